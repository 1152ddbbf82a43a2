import type { Server } from "bun";
import { serve } from "./server";
import { FakeState } from "./state";
import type { CallRecord, LoggedMessage } from "./types";

export type { Injected, InjectedCallback, PressOptions, UserMessageInput } from "./inject";
export type { CreateChatOptions, WaitOptions } from "./state";
export type {
  CallbackRecord,
  CallRecord,
  ChatType,
  Failure,
  FailureRule,
  FakeChat,
  FakeFile,
  LoggedMessage,
  MessageVersion,
} from "./types";

const WRITES = new Set(["sendMessage", "editMessageText", "deleteMessage", "sendDocument"]);

export const FAKE_TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijk";

export interface FakeTelegramOptions {
  readonly token?: string;
  /** Listen on this port (e.g. to come back where a stopped fake was). Default: any free port. */
  readonly port?: number;
}

/**
 * A Bot API server on 127.0.0.1 with Telegram's validation and an in-process control API.
 * Point grammY (or takopi's `transports.telegram.api_root`) at `apiRoot`; stop it with
 * `stop()` or `await using`.
 *
 * Drive it like a user:    createChat, createTopic, sendUserMessage, pressButton
 * Read what the bot did:   log / botMessages / message (text, entities, keyboard, edit history,
 *                          deletions, notify flag), calls / callsTo / accepted / writes / minGapMs,
 *                          callbacks (answers), commands (setMyCommands), files
 * Make Telegram misbehave: fail(method | "*", failure, times) — rate_limit (429 + retry_after),
 *                          server_error (5xx, JSON or HTML), drop (socket closed), conflict (409),
 *                          error (any code/description); clearFailures()
 * Wait for things:         waitFor(probe), waitForMessage, waitForCall
 * The same over HTTP under /__control/ (see control-http.ts), and standalone via main.ts.
 */
export class FakeTelegram extends FakeState {
  readonly #server: Server<undefined>;
  readonly apiRoot: string;

  constructor(opts: FakeTelegramOptions = {}) {
    super(opts.token ?? FAKE_TOKEN);
    this.#server = serve(this, opts.port ?? 0);
    this.apiRoot = `http://127.0.0.1:${this.#server.port}`;
  }

  get port(): number {
    return this.#server.port ?? 0;
  }

  /** Messages the bot sent to a chat (deleted ones included unless `live`). */
  botMessages(chatId: number, opts: { live?: boolean } = {}): LoggedMessage[] {
    return this.log(chatId).filter(
      (m) => m.from_bot && !(opts.live && m.deleted) && !("forum_topic_created" in m.wire),
    );
  }

  callsTo(method: string): CallRecord[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Successful calls of a method to one chat: what Telegram actually accepted. */
  accepted(method: string, chatId?: number): CallRecord[] {
    return this.calls.filter(
      (c) => c.method === method && c.outcome === "ok" && (chatId === undefined || c.chat_id === chatId),
    );
  }

  /** Writes Telegram accepted for a chat (send, edit, delete, document), in arrival order. */
  writes(chatId: number): CallRecord[] {
    return this.calls.filter((c) => c.chat_id === chatId && c.outcome === "ok" && WRITES.has(c.method));
  }

  /** Smallest gap in ms between two accepted writes to a chat (Infinity with fewer than two). */
  minGapMs(chatId: number): number {
    const w = this.writes(chatId);
    let min = Number.POSITIVE_INFINITY;
    for (let i = 1; i < w.length; i++) min = Math.min(min, w[i]!.at - w[i - 1]!.at);
    return min;
  }

  waitForMessage(
    chatId: number,
    pred: (m: LoggedMessage) => boolean = () => true,
    timeout?: number,
  ): Promise<LoggedMessage> {
    return this.waitFor(() => this.botMessages(chatId).find(pred), {
      label: `a bot message in chat ${chatId}`,
      ...(timeout !== undefined ? { timeout } : {}),
    });
  }

  waitForCall(
    method: string,
    pred: (c: CallRecord) => boolean = () => true,
    timeout?: number,
  ): Promise<CallRecord> {
    return this.waitFor(() => this.calls.find((c) => c.method === method && pred(c)), {
      label: `a ${method} call`,
      ...(timeout !== undefined ? { timeout } : {}),
    });
  }

  async stop(): Promise<void> {
    await this.#server.stop(true);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

export function startFakeTelegram(opts: FakeTelegramOptions = {}): FakeTelegram {
  return new FakeTelegram(opts);
}
