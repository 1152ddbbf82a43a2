import type { Api } from "grammy";
import type { Update } from "grammy/types";
import { getLogger, type Logger } from "../logging/logger";
import { apiSignal, classifyError, type TelegramFailure } from "./client";
import { backoff } from "./outbox-pacing";

export type UpdateKind = Exclude<keyof Update, "update_id">;

export const ALLOWED_UPDATES: readonly UpdateKind[] = ["message", "callback_query"];

export interface PollerOptions {
  /** Long-poll timeout sent to Telegram, in seconds. Default 50 (Telegram's maximum). */
  readonly timeoutSeconds?: number;
  /** Update kinds to receive. Default message + callback_query: nothing else is acted on. */
  readonly allowedUpdates?: readonly UpdateKind[];
  /** First delay after a network or server failure, doubled each time. Default 1000 ms. */
  readonly backoffMs?: number;
  /** Cap for that delay. Default 30 000 ms. */
  readonly maxBackoffMs?: number;
  readonly logger?: Logger;
}

export type PollerStopReason = "unauthorized" | "conflict" | "not_found";

/** Polling cannot go on: the token is wrong, or another process is taking this bot's updates. */
export class PollerStoppedError extends Error {
  constructor(
    readonly reason: PollerStopReason,
    message: string,
  ) {
    super(message);
    this.name = "PollerStoppedError";
  }
}

const STOP_MESSAGES: Record<PollerStopReason, string> = {
  unauthorized:
    "the bot token was rejected by Telegram (401 Unauthorized); check transports.telegram.bot_token",
  not_found:
    "Telegram answered 404 Not Found to getUpdates; check transports.telegram.bot_token and transports.telegram.api_root",
  conflict:
    "another process is consuming updates for this bot (409 Conflict); stop the other takopi instance or program using this token",
};

/** Waits `ms`, or less if the signal aborts first. Never throws. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * getUpdates long polling, outside the outbox: it is a read, and it must never queue behind
 * message pacing. Keeps the offset, rides out network loss and 5xx with capped backoff, honours
 * 429's retry_after, and stops with PollerStoppedError on 401 and 409.
 */
export class Poller {
  readonly #api: Api;
  readonly #timeout: number;
  readonly #allowed: UpdateKind[];
  readonly #backoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #log: Logger;
  #offset: number | undefined;
  #failures = 0;

  constructor(api: Api, opts: PollerOptions = {}) {
    this.#api = api;
    this.#timeout = opts.timeoutSeconds ?? 50;
    this.#allowed = [...(opts.allowedUpdates ?? ALLOWED_UPDATES)];
    this.#backoffMs = opts.backoffMs ?? 1000;
    this.#maxBackoffMs = opts.maxBackoffMs ?? 30_000;
    this.#log = opts.logger ?? getLogger("telegram.poller");
  }

  /** The next update_id to ask for (everything below it is confirmed to Telegram). */
  get offset(): number | undefined {
    return this.#offset;
  }

  /**
   * Fetches everything that queued up while we were away (timeout 0, until empty) and moves the
   * offset past it. The caller decides what to do with these; nothing is discarded here.
   */
  async drainBacklog(signal?: AbortSignal): Promise<Update[]> {
    const backlog: Update[] = [];
    while (!signal?.aborted) {
      const batch = await this.#fetch(0, signal);
      if (batch === undefined) continue;
      if (batch.length === 0) break;
      for (const u of batch) this.#offset = u.update_id + 1;
      backlog.push(...batch);
    }
    if (backlog.length > 0) this.#log.info("telegram.poll.backlog", { updates: backlog.length });
    return backlog;
  }

  /** Yields updates until the signal aborts. Throws PollerStoppedError on 401/409. */
  async *updates(signal: AbortSignal): AsyncGenerator<Update, void, undefined> {
    while (!signal.aborted) {
      const batch = await this.#fetch(this.#timeout, signal);
      if (!batch) continue;
      for (const u of batch) {
        // Confirm as we go: a crash while handling one update must not replay the whole batch.
        this.#offset = u.update_id + 1;
        yield u;
        if (signal.aborted) return;
      }
    }
  }

  /** One getUpdates call. `undefined` means "failed, already waited, try again". */
  async #fetch(timeout: number, signal: AbortSignal | undefined): Promise<Update[] | undefined> {
    try {
      const batch = await this.#api.getUpdates(
        {
          timeout,
          allowed_updates: this.#allowed,
          ...(this.#offset !== undefined ? { offset: this.#offset } : {}),
        },
        signal ? apiSignal(signal) : undefined,
      );
      if (this.#failures > 0) this.#log.info("telegram.poll.recovered", { after_failures: this.#failures });
      this.#failures = 0;
      return batch;
    } catch (e) {
      if (signal?.aborted) return [];
      await this.#recover(classifyError(e), signal);
      return undefined;
    }
  }

  async #recover(f: TelegramFailure, signal: AbortSignal | undefined): Promise<void> {
    // Retrying cannot fix these: a wrong token or URL (401, 404), or a second consumer (409).
    const stop: PollerStopReason | undefined =
      f.kind === "unauthorized" || f.kind === "conflict"
        ? f.kind
        : f.kind === "rejected" && f.status === 404
          ? "not_found"
          : undefined;
    if (stop) {
      this.#log.error("telegram.poll.stopped", { reason: stop, error: f.description });
      throw new PollerStoppedError(stop, STOP_MESSAGES[stop]);
    }
    if (f.kind === "rate_limited") {
      this.#log.warning("telegram.poll.rate_limited", { retry_after: f.retryAfter });
      await sleep(f.retryAfter * 1000, signal);
      return;
    }
    this.#failures += 1;
    const delay = backoff(this.#failures, this.#backoffMs, this.#maxBackoffMs);
    this.#log.warning("telegram.poll.failed", { kind: f.kind, error: f.description, retry_in_ms: delay });
    await sleep(delay, signal);
  }
}
