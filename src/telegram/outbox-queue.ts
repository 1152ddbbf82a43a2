import type { Logger } from "../logging/logger";
import { isTransient, type TelegramFailure } from "./client";
import { backoff, type Clock, type PacingOptions } from "./outbox-pacing";

export type OutboxResult<T> =
  | { readonly ok: true; readonly value: T }
  /**
   * superseded: a newer op for the same target replaced this one (not an error);
   * failed: Telegram refused, or retries ran out; closed: the outbox shut down first.
   */
  | {
      readonly ok: false;
      readonly reason: "superseded" | "failed" | "closed";
      readonly failure?: TelegramFailure;
    };

export type OpKind = "send" | "delete" | "edit";

export interface OutboxOptions extends PacingOptions {
  /** Attempts for a send on 5xx/network errors (a final answer must not be lost). Default 5. */
  readonly sendAttempts?: number;
  /** Attempts for an edit: a later edit usually follows anyway. Default 2. */
  readonly editAttempts?: number;
  /** Attempts for a delete. Default 3. */
  readonly deleteAttempts?: number;
  /** First retry delay after a 5xx/network error, doubled each time. Default 1000 ms. */
  readonly backoffMs?: number;
  /** Cap for the retry delay. Default 16000 ms (5 send attempts span ~15 s of waiting). */
  readonly maxBackoffMs?: number;
  /** How many 429s one op may absorb before it is reported as failed. Default 20. */
  readonly maxRateLimitRetries?: number;
  /** Most requests in flight at once, across chats. Default 8. */
  readonly maxInFlight?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

export interface RetryPolicy {
  readonly attempts: Readonly<Record<OpKind, number>>;
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  readonly maxRateLimitRetries: number;
}

export function retryPolicy(opts: OutboxOptions): RetryPolicy {
  return {
    attempts: {
      send: opts.sendAttempts ?? 5,
      edit: opts.editAttempts ?? 2,
      delete: opts.deleteAttempts ?? 3,
    },
    backoffMs: opts.backoffMs ?? 1000,
    maxBackoffMs: opts.maxBackoffMs ?? 16_000,
    maxRateLimitRetries: opts.maxRateLimitRetries ?? 20,
  };
}

export interface Op {
  readonly seq: number;
  readonly kind: OpKind;
  readonly method: string;
  readonly chatId: number | undefined;
  /** Ops with the same key coalesce: the newest replaces a waiting one. */
  readonly key: string | undefined;
  readonly queuedAt: number;
  readonly run: (signal: AbortSignal) => Promise<unknown>;
  /** Set on sends that replace a message: delete it once the send lands. */
  readonly replaces?: number;
  resolve: (r: OutboxResult<unknown>) => void;
  attempts: number;
  rateLimited: number;
}

/** One chat's queue: one request at a time, paced. */
export interface Lane {
  readonly chatId: number | undefined;
  readonly interval: number;
  readonly queue: Op[];
  busy: boolean;
  nextAt: number;
  pausedUntil: number;
}

const PRIORITY: Record<OpKind, number> = { send: 0, delete: 1, edit: 2 };

/** Sends before deletes before edits; then first come, first served. */
export function before(a: Op, b: Op): boolean {
  const pa = PRIORITY[a.kind];
  const pb = PRIORITY[b.kind];
  if (pa !== pb) return pa < pb;
  return a.queuedAt !== b.queuedAt ? a.queuedAt < b.queuedAt : a.seq < b.seq;
}

/** The op a lane runs next. Queues are short (edits coalesce), so a scan beats a heap. */
export function head(lane: Lane): Op | undefined {
  let best: Op | undefined;
  for (const op of lane.queue) if (!best || before(op, best)) best = op;
  return best;
}

export type Verdict =
  | { readonly action: "resolve"; readonly result: OutboxResult<unknown> }
  /** Queue the op again after `waitMs`; `global` pauses every chat (a 429 outside any chat). */
  | {
      readonly action: "retry";
      readonly waitMs: number;
      readonly global: boolean;
      readonly rateLimited: boolean;
    };

/** What to do with an op whose request failed. `newerWaiting`: a newer op for its key is queued. */
export function verdict(op: Op, f: TelegramFailure, newerWaiting: boolean, policy: RetryPolicy): Verdict {
  if (f.kind === "not_modified" && op.kind === "edit")
    return { action: "resolve", result: { ok: true, value: true } };
  if (f.kind === "aborted") return { action: "resolve", result: { ok: false, reason: "closed", failure: f } };
  // Retrying is pointless when a newer version is already waiting to go out.
  if (newerWaiting) return { action: "resolve", result: { ok: false, reason: "superseded" } };
  if (f.kind === "rate_limited" && op.rateLimited < policy.maxRateLimitRetries) {
    return {
      action: "retry",
      waitMs: f.retryAfter * 1000,
      global: op.chatId === undefined,
      rateLimited: true,
    };
  }
  if (isTransient(f) && op.attempts < policy.attempts[op.kind]) {
    const waitMs = backoff(op.attempts, policy.backoffMs, policy.maxBackoffMs);
    return { action: "retry", waitMs, global: false, rateLimited: false };
  }
  return { action: "resolve", result: { ok: false, reason: "failed", failure: f } };
}
