import type { Dispatcher } from "../core/dispatcher";
import { getLogger } from "../logging/logger";
import type { MessageRef } from "../transport";
import { coalescedText, ForwardCoalescer, type PendingPrompt } from "./forward-coalescer";
import type { Incoming, IncomingCallback, IncomingMessage } from "./incoming";
import type { Intake } from "./intake";

const log = getLogger("telegram.updates");

export const CANCEL_CALLBACK = "takopi:cancel";

/** Chat commands that later versions handle; until then they get an honest answer instead of reaching an engine. */
const NOT_YET = new Set(["agent", "model", "reasoning", "trigger", "file", "ctx", "topic"]);

export interface UpdateHandlerDeps {
  readonly intake: Intake;
  readonly dispatcher: Dispatcher;
  readonly answerCallback: (callbackId: string, text?: string) => Promise<void>;
  readonly forwardCoalesceMs: number;
  readonly botUsername?: string;
  /** `[transports.telegram.files] enabled`: decides what a document gets told. */
  readonly filesEnabled?: boolean;
}

function refOf(m: IncomingMessage): MessageRef {
  return {
    channelId: m.chatId,
    messageId: m.messageId,
    ...(m.threadId !== undefined ? { threadId: m.threadId } : {}),
    ...(m.senderId !== undefined ? { senderId: m.senderId } : {}),
  };
}

function replyRef(m: IncomingMessage): MessageRef | undefined {
  return m.replyTo
    ? {
        channelId: m.chatId,
        messageId: m.replyTo.messageId,
        ...(m.threadId !== undefined ? { threadId: m.threadId } : {}),
      }
    : undefined;
}

/** `/cancel@bot extra` → `cancel`; undefined when the text is not a slash command. */
export function slashCommand(text: string, botUsername?: string): string | undefined {
  const first = text.trimStart().split(/\s+/, 1)[0] ?? "";
  if (!first.startsWith("/") || first.length < 2) return undefined;
  const [name = "", target] = first.slice(1).split("@", 2);
  if (target && botUsername && target.toLowerCase() !== botUsername) return undefined;
  return name.toLowerCase();
}

/**
 * Routes each accepted update (behaviour §3.2, with decisions.md 6–12): every
 * message from an allowed user ends in a run or a reply.
 */
export class UpdateHandler {
  readonly coalescer: ForwardCoalescer;

  constructor(readonly deps: UpdateHandlerDeps) {
    this.coalescer = new ForwardCoalescer(deps.forwardCoalesceMs, (p) => this.#submit(p));
  }

  async handle(incoming: Incoming): Promise<void> {
    const verdict = this.deps.intake.check(incoming);
    if (verdict !== "accept") {
      log.debug("update.ignored", { verdict, chat: incoming.chatId });
      return;
    }
    if (incoming.kind === "callback") return this.#callback(incoming);
    return this.#message(incoming);
  }

  async #callback(cb: IncomingCallback): Promise<void> {
    if (cb.data !== CANCEL_CALLBACK) return this.deps.answerCallback(cb.callbackId);
    const result = await this.deps.dispatcher.cancel({ channelId: cb.chatId, messageId: cb.messageId });
    const text =
      result === "cancelled"
        ? "cancelling..."
        : result === "dropped"
          ? "dropped from queue."
          : "nothing is currently running for that message.";
    await this.deps.answerCallback(cb.callbackId, text);
  }

  async #message(m: IncomingMessage): Promise<void> {
    const { dispatcher } = this.deps;
    const ref = refOf(m);
    if (m.isForward && !m.hasDocument && !m.hasVoice && !m.mediaGroupId) {
      if (!this.coalescer.addForward(m)) {
        await dispatcher.reply(
          ref,
          "got a forwarded message with no prompt to attach it to. send your prompt first, then forward messages right after it.",
        );
      }
      return;
    }
    const command = slashCommand(m.text, this.deps.botUsername);
    if (command === "cancel") {
      const target = replyRef(m);
      if (!target) return dispatcher.reply(ref, "reply to the progress message to cancel.");
      const result = await dispatcher.cancel(target);
      if (result === "nothing") await dispatcher.reply(ref, "nothing is currently running for that message.");
      return;
    }
    if (command === "new") {
      this.coalescer.cancel(ForwardCoalescer.key(m));
      // Stateless mode keeps no sessions: every message without a resume line already starts fresh.
      return dispatcher.reply(
        ref,
        "no stored session to clear: every new message already starts a new thread.",
      );
    }
    if (command !== undefined && NOT_YET.has(command)) {
      return dispatcher.reply(ref, `\`/${command}\` is not available in this version of takopi yet.`);
    }
    if (m.hasVoice) {
      return dispatcher.reply(
        ref,
        "voice notes can't be transcribed yet in this version of takopi; please send your prompt as text.",
      );
    }
    if (m.hasDocument) {
      return dispatcher.reply(
        ref,
        this.deps.filesEnabled
          ? "file transfer isn't available in this version of takopi yet; the file was not saved."
          : "file transfer is disabled. to enable it, set `enabled = true` under `[transports.telegram.files]` in your takopi config.",
      );
    }
    if (m.text.trim() === "") {
      return dispatcher.reply(ref, "this message has no text to run. send a prompt as text.");
    }
    const target = replyRef(m);
    if (target && dispatcher.deps.running.get(target)) {
      // A reply to a live progress message bypasses coalescing: it queues behind that run.
      this.#submit({ message: m, forwards: [] });
      return;
    }
    this.coalescer.addPrompt(m);
  }

  #submit(prompt: PendingPrompt): void {
    const m = prompt.message;
    const target = replyRef(m);
    void this.deps.dispatcher
      .submit({
        ref: refOf(m),
        text: coalescedText(prompt),
        ...(target ? { replyTo: target } : {}),
        ...(m.replyTo ? { replyText: m.replyTo.text } : {}),
      })
      .catch((error) => {
        log.error("dispatch.failed", { error });
        return this.deps.dispatcher.reply(
          refOf(m),
          `error:\n${error instanceof Error ? error.message : error}`,
        );
      });
  }
}
