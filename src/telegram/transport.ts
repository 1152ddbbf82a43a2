import type { BotCommand, InlineKeyboardMarkup, MessageEntity, ReplyParameters } from "grammy/types";
import { getLogger } from "../logging/logger";
import type { EditOptions, MessageRef, RenderedParts, SendOptions, Transport } from "../transport";
import { apiSignal } from "./client";
import type { Outbox, OutboxResult, SendMessageParams } from "./outbox";
import { type RenderedText, renderSplit, renderTrimmed } from "./render";

export const CANCEL_CALLBACK_DATA = "takopi:cancel";
export const CANCEL_KEYBOARD: InlineKeyboardMarkup = {
  inline_keyboard: [[{ text: "cancel", callback_data: CANCEL_CALLBACK_DATA }]],
};
/** Sent on edits that must drop the cancel button (finals, cancellations). */
export const NO_KEYBOARD: InlineKeyboardMarkup = { inline_keyboard: [] };
const NO_PREVIEW = { is_disabled: true } as const;

export type MessageOverflow = "trim" | "split";

export interface TelegramTransportOptions {
  /** `transports.telegram.message_overflow`: long final answers are cut (default) or split. */
  readonly messageOverflow?: MessageOverflow;
  /**
   * How long close() lets queued messages go out (e.g. "cancelled" edits at shutdown) before
   * dropping the rest. Pacing still applies, so a busy group needs a few seconds. Default 10 000.
   */
  readonly closeTimeoutMs?: number;
}

const log = getLogger("telegram.transport");

/** Progress messages we sent as replies, so a split final edited into one can reply to the same user message. */
const TRACK_LIMIT = 1024;

const key = (chat: number, message: number) => `${chat}:${message}`;

function entities(r: RenderedText): { entities?: MessageEntity[] } {
  return r.entities.length > 0 ? { entities: [...r.entities] } : {};
}

function replyTo(ref: MessageRef | undefined): { reply_parameters?: ReplyParameters } {
  // allow_sending_without_reply: a user deleting their prompt must not cost them the answer.
  return ref ? { reply_parameters: { message_id: ref.messageId, allow_sending_without_reply: true } } : {};
}

function failed(r: OutboxResult<unknown>): string {
  return r.ok ? "" : (r.failure?.description ?? r.reason);
}

/** The bridge's Transport on Telegram: rendering, keyboards and reply threading over the outbox. */
export class TelegramTransport implements Transport {
  readonly #outbox: Outbox;
  readonly #split: boolean;
  readonly #closeTimeoutMs: number;
  readonly #replies = new Map<string, MessageRef>();

  constructor(outbox: Outbox, opts: TelegramTransportOptions = {}) {
    this.#outbox = outbox;
    this.#split = opts.messageOverflow === "split";
    this.#closeTimeoutMs = opts.closeTimeoutMs ?? 10_000;
  }

  #render(parts: RenderedParts, final: boolean | undefined): RenderedText[] {
    return final && this.#split ? renderSplit(parts) : [renderTrimmed(parts)];
  }

  async send(
    channelId: number,
    parts: RenderedParts,
    opts: SendOptions = {},
  ): Promise<MessageRef | undefined> {
    const [first, ...rest] = this.#render(parts, opts.final);
    if (!first) return undefined;
    const threadId = opts.threadId ?? opts.replyTo?.threadId;
    const common: SendMessageParams = {
      text: "",
      link_preview_options: NO_PREVIEW,
      disable_notification: opts.notify === false,
      ...(threadId !== undefined ? { message_thread_id: threadId } : {}),
    };
    const replace =
      opts.replace && opts.replace.channelId === channelId ? { replace: opts.replace.messageId } : {};
    const sending = this.#outbox.send(
      channelId,
      {
        ...common,
        text: first.text,
        ...entities(first),
        ...replyTo(opts.replyTo),
        ...(opts.cancelButton ? { reply_markup: CANCEL_KEYBOARD } : {}),
      },
      replace,
    );
    const r = await sending;
    if (opts.replace) this.#replies.delete(key(opts.replace.channelId, opts.replace.messageId));
    if (!r.ok) {
      log.warning("telegram.send.failed", { chat_id: channelId, reason: r.reason, error: failed(r) });
      return undefined;
    }
    const ref: MessageRef = {
      channelId,
      messageId: r.value.message_id,
      ...(threadId !== undefined ? { threadId } : {}),
    };
    if (opts.cancelButton && opts.replyTo) this.#track(ref, opts.replyTo);
    await this.#followUps(channelId, rest, common, opts.replyTo);
    return ref;
  }

  async edit(ref: MessageRef, parts: RenderedParts, opts: EditOptions = {}): Promise<boolean> {
    const params = (r: RenderedText) => ({
      text: r.text,
      ...entities(r),
      link_preview_options: NO_PREVIEW,
      reply_markup: opts.cancelButton ? CANCEL_KEYBOARD : NO_KEYBOARD,
    });
    const single = !(opts.final && this.#split);
    if (!opts.wait && single) {
      // Fire and forget: progress edits coalesce in the outbox, and the text is rendered only
      // for the edit that is actually sent; a lost one is replaced by the next.
      const editing = this.#outbox.edit(ref.channelId, ref.messageId, () => params(renderTrimmed(parts)));
      void editing.then((r) => {
        if (!r.ok && r.reason === "failed")
          log.debug("telegram.edit.failed", { chat_id: ref.channelId, error: failed(r) });
      });
      return true;
    }
    const [first, ...rest] = this.#render(parts, opts.final);
    if (!first) return false;
    const r = await this.#outbox.edit(ref.channelId, ref.messageId, params(first));
    if (!r.ok && r.reason !== "superseded") {
      log.warning("telegram.edit.failed", { chat_id: ref.channelId, reason: r.reason, error: failed(r) });
      return false;
    }
    if (rest.length > 0) {
      const user = this.#replies.get(key(ref.channelId, ref.messageId));
      const common: SendMessageParams = {
        text: "",
        link_preview_options: NO_PREVIEW,
        // Split finals edited in place are the quiet path (errors, --no-final-notify).
        disable_notification: true,
        ...(ref.threadId !== undefined ? { message_thread_id: ref.threadId } : {}),
      };
      await this.#followUps(ref.channelId, rest, common, user ?? ref);
    }
    if (opts.final) this.#replies.delete(key(ref.channelId, ref.messageId));
    return true;
  }

  async delete(ref: MessageRef): Promise<boolean> {
    this.#replies.delete(key(ref.channelId, ref.messageId));
    const r = await this.#outbox.delete(ref.channelId, ref.messageId);
    if (!r.ok && r.reason === "failed")
      log.debug("telegram.delete.failed", { chat_id: ref.channelId, error: failed(r) });
    return r.ok;
  }

  /** Answers a button press (the little toast on the user's screen). */
  async answerCallback(callbackQueryId: string, text?: string): Promise<boolean> {
    const r = await this.#outbox.call("answerCallbackQuery", (api, signal) =>
      api.answerCallbackQuery(callbackQueryId, text !== undefined ? { text } : {}, apiSignal(signal)),
    );
    return r.ok;
  }

  /** Replaces the bot's command menu (default scope). */
  async setCommands(commands: readonly BotCommand[]): Promise<boolean> {
    const r = await this.#outbox.call("setMyCommands", (api) => api.setMyCommands([...commands]));
    if (!r.ok) log.warning("telegram.commands.failed", { error: failed(r) });
    return r.ok;
  }

  close(): Promise<void> {
    return this.#outbox.close({ drain: true, timeoutMs: this.#closeTimeoutMs });
  }

  async #followUps(
    channelId: number,
    chunks: readonly RenderedText[],
    common: SendMessageParams,
    to: MessageRef | undefined,
  ): Promise<void> {
    if (chunks.length === 0) return;
    const results = await Promise.all(
      chunks.map((c) =>
        this.#outbox.send(channelId, { ...common, text: c.text, ...entities(c), ...replyTo(to) }),
      ),
    );
    const lost = results.filter((r) => !r.ok).length;
    if (lost > 0) log.warning("telegram.split.failed", { chat_id: channelId, lost, of: chunks.length });
  }

  #track(ref: MessageRef, user: MessageRef): void {
    if (this.#replies.size >= TRACK_LIMIT) {
      const oldest = this.#replies.keys().next().value;
      if (oldest !== undefined) this.#replies.delete(oldest);
    }
    this.#replies.set(key(ref.channelId, ref.messageId), user);
  }
}
