import { describe, expect, test } from "bun:test";
import type { TelegramFailure } from "../../src/telegram/client";
import { backoff, chatInterval, pacing, SlidingWindow } from "../../src/telegram/outbox-pacing";
import {
  before,
  head,
  type Lane,
  type Op,
  type OpKind,
  retryPolicy,
  verdict,
} from "../../src/telegram/outbox-queue";

let seq = 0;
function op(kind: OpKind, queuedAt = 0, extra: Partial<Op> = {}): Op {
  return {
    seq: ++seq,
    kind,
    method: kind,
    chatId: 1,
    key: undefined,
    queuedAt,
    run: async () => true,
    resolve: () => {},
    attempts: 1,
    rateLimited: 0,
    ...extra,
  };
}

const policy = retryPolicy({ backoffMs: 100, maxBackoffMs: 400 });
const f = (x: TelegramFailure) => x;

describe("outbox queue", () => {
  test("order: sends, then deletes, then edits; then by age", () => {
    const lane: Lane = { chatId: 1, interval: 0, queue: [], busy: false, nextAt: 0, pausedUntil: 0 };
    const edit = op("edit", 0);
    const del = op("delete", 5);
    const late = op("send", 9);
    const early = op("send", 3);
    lane.queue.push(edit, del, late, early);
    expect(head(lane)).toBe(early);
    expect(before(late, del)).toBe(true);
    expect(before(del, edit)).toBe(true);
  });

  test.each([
    ["edit not modified → success", op("edit"), f({ kind: "not_modified", description: "" }), "resolve:ok"],
    [
      "429 → retry after retry_after",
      op("send"),
      f({ kind: "rate_limited", retryAfter: 3, description: "" }),
      "retry:3000",
    ],
    [
      "429 outside a chat → global pause",
      op("send", 0, { chatId: undefined }),
      f({ kind: "rate_limited", retryAfter: 1, description: "" }),
      "retry:1000:global",
    ],
    [
      "5xx on a send → backoff",
      op("send", 0, { attempts: 3 }),
      f({ kind: "server", status: 502, description: "" }),
      "retry:400",
    ],
    [
      "5xx on the 5th send attempt → failed",
      op("send", 0, { attempts: 5 }),
      f({ kind: "server", status: 502, description: "" }),
      "resolve:failed",
    ],
    [
      "network on the 2nd edit attempt → failed",
      op("edit", 0, { attempts: 2 }),
      f({ kind: "network", description: "" }),
      "resolve:failed",
    ],
    [
      "400 → failed at once",
      op("send"),
      f({ kind: "rejected", status: 400, description: "" }),
      "resolve:failed",
    ],
    ["401 → failed at once", op("send"), f({ kind: "unauthorized", description: "" }), "resolve:failed"],
    [
      "too many 429s → failed",
      op("send", 0, { rateLimited: 20 }),
      f({ kind: "rate_limited", retryAfter: 1, description: "" }),
      "resolve:failed",
    ],
  ])("%s", (_name, o, failure, expected) => {
    const v = verdict(o, failure, false, policy);
    const got =
      v.action === "retry"
        ? `retry:${v.waitMs}${v.global ? ":global" : ""}`
        : `resolve:${v.result.ok ? "ok" : v.result.reason}`;
    expect(got).toBe(expected);
  });

  test("a newer op waiting for the same key supersedes a failed one instead of retrying", () => {
    const v = verdict(op("edit"), { kind: "rate_limited", retryAfter: 1, description: "" }, true, policy);
    expect(v).toEqual({ action: "resolve", result: { ok: false, reason: "superseded" } });
  });
});

describe("outbox pacing", () => {
  test("per-chat intervals: private, group (negative id), none outside a chat", () => {
    const p = pacing();
    expect([chatInterval(p, 42), chatInterval(p, -100123), chatInterval(p, undefined)]).toEqual([
      1000, 3000, 0,
    ]);
  });

  test("sliding window: at most N starts in any window", () => {
    const w = new SlidingWindow(3, 1000);
    for (const t of [0, 10, 20]) {
      expect(w.nextSlot(t)).toBe(t);
      w.take(t);
    }
    expect(w.nextSlot(30)).toBe(1000);
    w.take(1000);
    expect(w.nextSlot(1000)).toBe(1010);
  });

  test("backoff doubles and caps", () => {
    expect([1, 2, 3, 4, 5].map((n) => backoff(n, 1000, 5000))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });
});
