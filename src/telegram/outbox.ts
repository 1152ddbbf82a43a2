import type { Api, RawApi } from "grammy";
import type { Message } from "grammy/types";
import { getLogger, type Logger } from "../logging/logger";
import { apiSignal, classifyError, type TelegramFailure } from "./client";
import { type Clock, chatInterval, type Pacing, pacing, realClock, SlidingWindow } from "./outbox-pacing";
import {
  before,
  head,
  type Lane,
  type Op,
  type OpKind,
  type OutboxOptions,
  type OutboxResult,
  type RetryPolicy,
  retryPolicy,
  verdict,
} from "./outbox-queue";

export type SendMessageParams = Omit<Parameters<RawApi["sendMessage"]>[0], "chat_id">;
export type EditMessageParams = Omit<
  Parameters<RawApi["editMessageText"]>[0],
  "chat_id" | "message_id" | "inline_message_id"
>;

export type { OpKind, OutboxOptions, OutboxResult } from "./outbox-queue";

const GLOBAL_LANE = "global";

/**
 * Every Bot API write goes through here. Each chat is its own lane: one request at a time,
 * paced to Telegram's per-chat limits, sends before deletes before edits. Lanes run in parallel
 * under a global ceiling. Edits to one message coalesce to the latest; 429s wait `retry_after`;
 * 5xx and network errors are retried with backoff (sends most of all).
 */
export class Outbox {
  readonly #api: Api;
  readonly #pacing: Pacing;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #window: SlidingWindow;
  readonly #lanes = new Map<number | string, Lane>();
  /** Queued (not in-flight) ops by coalescing key. */
  readonly #pending = new Map<string, Op>();
  readonly #abort = new AbortController();
  readonly #policy: RetryPolicy;
  readonly #maxInFlight: number;
  #seq = 0;
  #inFlight = 0;
  #globalPausedUntil = 0;
  #cancelTimer: (() => void) | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #closed = false;
  #idle: (() => void) | undefined;

  constructor(api: Api, opts: OutboxOptions = {}) {
    this.#api = api;
    this.#pacing = pacing(opts);
    this.#clock = opts.clock ?? realClock;
    this.#log = opts.logger ?? getLogger("telegram.outbox");
    this.#window = new SlidingWindow(this.#pacing.globalPerSecond);
    this.#policy = retryPolicy(opts);
    this.#maxInFlight = opts.maxInFlight ?? 8;
  }

  /** The Api, for reads that need no pacing (getMe, getChat, getFile). */
  get api(): Api {
    return this.#api;
  }

  /** Ops queued or in flight. */
  get size(): number {
    let n = this.#inFlight;
    for (const lane of this.#lanes.values()) n += lane.queue.length;
    return n;
  }

  /**
   * Sends a message. With `replace`, pending edits of that message are dropped and, once this
   * send has landed, the old message is deleted (it stays if the send fails).
   */
  send(
    chatId: number,
    params: SendMessageParams,
    opts: { replace?: number } = {},
  ): Promise<OutboxResult<Message.TextMessage>> {
    const replace = opts.replace;
    if (replace !== undefined) this.#supersede(`edit:${chatId}:${replace}`);
    return this.#enqueue<Message.TextMessage>({
      kind: "send",
      method: "sendMessage",
      chatId,
      key: replace !== undefined ? `send:${chatId}:${replace}` : undefined,
      run: (signal) => this.#api.raw.sendMessage({ ...params, chat_id: chatId }, apiSignal(signal)),
      ...(replace !== undefined ? { replaces: replace } : {}),
    });
  }

  /** Edits a message's text. A newer edit of the same message replaces this one while it waits. */
  edit(
    chatId: number,
    messageId: number,
    params: EditMessageParams | (() => EditMessageParams),
  ): Promise<OutboxResult<true>> {
    // A function is called only when the edit is actually sent: superseded edits are never built.
    let built: EditMessageParams | undefined = typeof params === "function" ? undefined : params;
    return this.#enqueue<true>({
      kind: "edit",
      method: "editMessageText",
      chatId,
      key: `edit:${chatId}:${messageId}`,
      run: async (signal) => {
        built ??= (params as () => EditMessageParams)();
        await this.#api.raw.editMessageText(
          { ...built, chat_id: chatId, message_id: messageId },
          apiSignal(signal),
        );
        return true;
      },
    });
  }

  /** Deletes a message; pending edits of it are dropped first. */
  delete(chatId: number, messageId: number): Promise<OutboxResult<true>> {
    this.#supersede(`edit:${chatId}:${messageId}`);
    return this.#enqueue<true>({
      kind: "delete",
      method: "deleteMessage",
      chatId,
      key: `delete:${chatId}:${messageId}`,
      run: (signal) =>
        this.#api.raw.deleteMessage({ chat_id: chatId, message_id: messageId }, apiSignal(signal)),
    });
  }

  /**
   * Any other write (sendDocument, sendChatAction, answerCallbackQuery, setMyCommands …).
   * With a chat it is paced with that chat; without, only the global ceiling applies.
   */
  call<T>(
    method: string,
    run: (api: Api, signal: AbortSignal) => Promise<T>,
    opts: { chatId?: number; kind?: OpKind; key?: string } = {},
  ): Promise<OutboxResult<T>> {
    const kind = opts.kind ?? "send";
    return this.#enqueue<T>({
      kind,
      method,
      chatId: opts.chatId,
      key: opts.key,
      run: (signal) => run(this.#api, signal),
    });
  }

  /**
   * Stops the outbox. With `drain`, waits (up to `timeoutMs`) for queued ops first; whatever is
   * left resolves as "closed" and in-flight requests are aborted.
   */
  async close(opts: { drain?: boolean; timeoutMs?: number } = {}): Promise<void> {
    if (opts.drain && this.size > 0 && !this.#closed) {
      await new Promise<void>((resolve) => {
        const cancel = this.#clock.setTimer(resolve, opts.timeoutMs ?? 10_000);
        this.#idle = () => {
          cancel();
          resolve();
        };
      });
    }
    this.#closed = true;
    this.#idle = undefined;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    for (const lane of this.#lanes.values()) {
      for (const op of lane.queue.splice(0)) op.resolve({ ok: false, reason: "closed" });
    }
    this.#pending.clear();
    this.#abort.abort();
  }

  // ---- queueing ---------------------------------------------------------------------------

  #enqueue<T>(
    spec: Omit<Op, "seq" | "queuedAt" | "resolve" | "attempts" | "rateLimited">,
  ): Promise<OutboxResult<T>> {
    if (this.#closed) return Promise.resolve({ ok: false, reason: "closed" });
    return new Promise<OutboxResult<T>>((resolve) => {
      const older = spec.key ? this.#pending.get(spec.key) : undefined;
      const op: Op = {
        ...spec,
        seq: ++this.#seq,
        // A replacement keeps its predecessor's place in line.
        queuedAt: older?.queuedAt ?? this.#clock.now(),
        resolve: resolve as (r: OutboxResult<unknown>) => void,
        attempts: 0,
        rateLimited: 0,
      };
      const lane = this.#lane(spec.chatId);
      if (older) {
        lane.queue[lane.queue.indexOf(older)] = op;
        older.resolve({ ok: false, reason: "superseded" });
      } else {
        lane.queue.push(op);
      }
      if (op.key) this.#pending.set(op.key, op);
      this.#pump();
    });
  }

  #supersede(key: string): void {
    const op = this.#pending.get(key);
    if (!op) return;
    this.#pending.delete(key);
    const lane = this.#lanes.get(op.chatId ?? GLOBAL_LANE);
    if (lane) lane.queue.splice(lane.queue.indexOf(op), 1);
    op.resolve({ ok: false, reason: "superseded" });
  }

  #lane(chatId: number | undefined): Lane {
    const id = chatId ?? GLOBAL_LANE;
    let lane = this.#lanes.get(id);
    if (!lane) {
      lane = {
        chatId,
        interval: chatInterval(this.#pacing, chatId),
        queue: [],
        busy: false,
        nextAt: 0,
        pausedUntil: 0,
      };
      this.#lanes.set(id, lane);
    }
    return lane;
  }

  // ---- scheduling -------------------------------------------------------------------------

  /** Starts every op that may start now and arms one timer for the next one that may not. */
  #pump(): void {
    if (this.#closed) return;
    const now = this.#clock.now();
    let wake = Number.POSITIVE_INFINITY;
    const ready: { lane: Lane; op: Op }[] = [];
    for (const [id, lane] of this.#lanes) {
      if (lane.busy) continue;
      const op = head(lane);
      if (!op) {
        // Forget idle lanes once their pacing no longer matters.
        if (lane.nextAt <= now && lane.pausedUntil <= now) this.#lanes.delete(id);
        continue;
      }
      const at = Math.max(lane.nextAt, lane.pausedUntil, this.#globalPausedUntil);
      if (at > now) wake = Math.min(wake, at);
      else ready.push({ lane, op });
    }
    ready.sort((a, b) => (before(a.op, b.op) ? -1 : 1));
    for (const { lane, op } of ready) {
      if (this.#inFlight >= this.#maxInFlight) break;
      const slot = this.#window.nextSlot(now);
      if (slot > now) {
        wake = Math.min(wake, slot);
        break;
      }
      this.#window.take(now);
      void this.#dispatch(lane, op, now);
    }
    this.#arm(wake, now);
    if (this.#idle && this.size === 0) this.#idle();
  }

  #arm(at: number, now: number): void {
    if (at === this.#timerAt) return;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#timerAt = at;
    if (at === Number.POSITIVE_INFINITY) return;
    this.#cancelTimer = this.#clock.setTimer(() => {
      this.#cancelTimer = undefined;
      this.#timerAt = Number.POSITIVE_INFINITY;
      this.#pump();
    }, at - now);
  }

  async #dispatch(lane: Lane, op: Op, start: number): Promise<void> {
    lane.queue.splice(lane.queue.indexOf(op), 1);
    if (op.key && this.#pending.get(op.key) === op) this.#pending.delete(op.key);
    lane.busy = true;
    lane.nextAt = start + lane.interval;
    this.#inFlight += 1;
    op.attempts += 1;
    try {
      const value = await op.run(this.#abort.signal);
      op.resolve({ ok: true, value });
      if (op.replaces !== undefined && op.chatId !== undefined) void this.delete(op.chatId, op.replaces);
    } catch (e) {
      this.#failed(lane, op, classifyError(e));
    } finally {
      // Pace from the answer, not the start: a request slow to reach Telegram must not let the
      // next one arrive too close behind it.
      lane.nextAt = Math.max(lane.nextAt, this.#clock.now() + lane.interval);
      lane.busy = false;
      this.#inFlight -= 1;
      this.#pump();
    }
  }

  #failed(lane: Lane, op: Op, f: TelegramFailure): void {
    const newer = op.key !== undefined && this.#pending.has(op.key);
    const v = this.#closed
      ? ({ action: "resolve", result: { ok: false, reason: "closed", failure: f } } as const)
      : verdict(op, f, newer, this.#policy);
    const fields = { method: op.method, chat_id: op.chatId, attempt: op.attempts, error: f.description };
    if (v.action === "resolve") {
      if (v.result.ok === false && v.result.reason === "failed") {
        this.#log[op.kind === "send" ? "error" : "warning"]("telegram.outbox.failed", fields);
      }
      op.resolve(v.result);
      return;
    }
    const until = this.#clock.now() + v.waitMs;
    if (v.global) this.#globalPausedUntil = Math.max(this.#globalPausedUntil, until);
    else lane.pausedUntil = Math.max(lane.pausedUntil, until);
    if (v.rateLimited) op.rateLimited += 1;
    this.#log.warning(v.rateLimited ? "telegram.outbox.rate_limited" : "telegram.outbox.retry", {
      ...fields,
      wait_ms: v.waitMs,
    });
    this.#requeue(lane, op);
  }

  #requeue(lane: Lane, op: Op): void {
    lane.queue.push(op);
    if (op.key) this.#pending.set(op.key, op);
  }
}
