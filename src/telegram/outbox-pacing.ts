/** Time source for the outbox, injectable so tests can drive pacing without waiting. */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Calls `fn` after `ms`; returns a function that cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  setTimer(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(t);
  },
};

export interface PacingOptions {
  /** Minimum gap between calls to one private chat. Default 1000 ms (Telegram: ~1 message/s per chat). */
  readonly privateIntervalMs?: number;
  /** Minimum gap between calls to one group (negative chat id). Default 3000 ms (~20 messages/min). */
  readonly groupIntervalMs?: number;
  /** Ceiling for all chats together, per second. Default 25 (Telegram's bot-wide limit is ~30/s). */
  readonly globalPerSecond?: number;
}

export interface Pacing {
  readonly privateIntervalMs: number;
  readonly groupIntervalMs: number;
  readonly globalPerSecond: number;
}

export function pacing(opts: PacingOptions = {}): Pacing {
  return {
    privateIntervalMs: opts.privateIntervalMs ?? 1000,
    groupIntervalMs: opts.groupIntervalMs ?? 3000,
    globalPerSecond: opts.globalPerSecond ?? 25,
  };
}

/** Gap between two calls to the same chat. Calls that belong to no chat are only globally limited. */
export function chatInterval(p: Pacing, chatId: number | undefined): number {
  if (chatId === undefined) return 0;
  return chatId < 0 ? p.groupIntervalMs : p.privateIntervalMs;
}

/**
 * At most `limit` calls in any window of `windowMs`: a ring of the last `limit` start times.
 * Unlike a fixed gap, a burst after a quiet spell goes out at once.
 */
export class SlidingWindow {
  readonly #times: number[];
  #next = 0;

  constructor(
    readonly limit: number,
    readonly windowMs = 1000,
  ) {
    this.#times = new Array<number>(Math.max(1, limit)).fill(Number.NEGATIVE_INFINITY);
  }

  /** Earliest time a call may start. */
  nextSlot(now: number): number {
    const oldest = this.#times[this.#next]!;
    return Math.max(now, oldest + this.windowMs);
  }

  take(now: number): void {
    this.#times[this.#next] = now;
    this.#next = (this.#next + 1) % this.#times.length;
  }
}

/** Delay before retry number `attempt` (1-based): base, 2×base, 4×base … capped. */
export function backoff(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
