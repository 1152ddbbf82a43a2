import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { setSinks } from "../../src/logging/logger";
import { createTelegramApi } from "../../src/telegram/client";
import { Outbox, type OutboxOptions } from "../../src/telegram/outbox";
import type { Clock } from "../../src/telegram/outbox-pacing";
import { FAKE_TOKEN, FakeTelegram } from "../support/fake-telegram";

/** Manual time: timers fire only when the test advances the clock. */
class FakeClock implements Clock {
  t = 0;
  #timers: { at: number; fn: () => void }[] = [];
  now = () => this.t;
  setTimer = (fn: () => void, ms: number) => {
    const timer = { at: this.t + Math.max(0, ms), fn };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((x) => x !== timer);
    };
  };
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.#timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((x) => x !== due);
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = end;
  }
}

let tg: FakeTelegram;
let outboxes: Outbox[];
const FAST: OutboxOptions = { privateIntervalMs: 40, groupIntervalMs: 120, backoffMs: 10, maxBackoffMs: 40 };

function outbox(opts: OutboxOptions = FAST): Outbox {
  const o = new Outbox(createTelegramApi(FAKE_TOKEN, { apiRoot: tg.apiRoot }), opts);
  outboxes.push(o);
  return o;
}

const text = (t: string) => ({ text: t });
const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);

beforeEach(() => {
  tg = new FakeTelegram();
  outboxes = [];
  setSinks([]);
});
afterEach(async () => {
  for (const o of outboxes) await o.close();
  await tg.stop();
});

describe("outbox: ordering and coalescing", () => {
  test("a send returns the message Telegram created", async () => {
    const chat = tg.createChat();
    const r = await outbox().send(chat.id, { text: "hello", disable_notification: true });
    expect(r.ok && r.value.message_id).toBe(1);
    expect(tg.botMessages(chat.id)[0]).toMatchObject({ text: "hello", disable_notification: true });
  });

  test("edits to one message coalesce to the latest; superseded callers are told so", async () => {
    const chat = tg.createChat();
    const o = outbox();
    const sent = await o.send(chat.id, text("v0"));
    if (!sent.ok) throw new Error("send failed");
    const id = sent.value.message_id;
    const results = await Promise.all([1, 2, 3, 4, 5].map((i) => o.edit(chat.id, id, text(`v${i}`))));
    expect(results.map((r) => (r.ok ? "ok" : r.reason))).toEqual([
      "superseded",
      "superseded",
      "superseded",
      "superseded",
      "ok",
    ]);
    expect(tg.callsTo("editMessageText")).toHaveLength(1);
    expect(tg.message(chat.id, id)?.history.map((v) => v.text)).toEqual(["v0", "v5"]);
  });

  test("an edit given as a function is built only if it is the one that is sent", async () => {
    const chat = tg.createChat();
    const o = outbox();
    const sent = await o.send(chat.id, text("v0"));
    if (!sent.ok) throw new Error("send failed");
    const built: number[] = [];
    const edit = (i: number) => () => {
      built.push(i);
      return text(`v${i}`);
    };
    await Promise.all([1, 2, 3].map((i) => o.edit(chat.id, sent.value.message_id, edit(i))));
    expect(built).toEqual([3]);
    expect(tg.message(chat.id, sent.value.message_id)?.text).toBe("v3");
  });

  test("within a chat: sends before deletes before edits", async () => {
    const chat = tg.createChat();
    const o = outbox();
    const a = await o.send(chat.id, text("a"));
    const b = await o.send(chat.id, text("b"));
    if (!a.ok || !b.ok) throw new Error("setup failed");
    // The lane is paced now, so these three wait together and go out by priority.
    const edit = o.edit(chat.id, a.value.message_id, text("a2"));
    const del = o.delete(chat.id, b.value.message_id);
    const send = o.send(chat.id, text("c"));
    await Promise.all([edit, del, send]);
    const order = tg.calls.filter((c) => c.seq > 2).map((c) => c.method);
    expect(order).toEqual(["sendMessage", "deleteMessage", "editMessageText"]);
  });

  test("'message is not modified' counts as success; other 4xx fail at once without retry", async () => {
    const chat = tg.createChat();
    const o = outbox();
    const sent = await o.send(chat.id, text("same"));
    if (!sent.ok) throw new Error("send failed");
    expect(await o.edit(chat.id, sent.value.message_id, text("same"))).toEqual({ ok: true, value: true });
    const missing = await o.edit(chat.id, 999, text("x"));
    expect(missing.ok).toBe(false);
    if (!missing.ok) {
      expect(missing.reason).toBe("failed");
      expect(missing.failure?.description).toContain("message to edit not found");
    }
    expect(tg.callsTo("editMessageText").filter((c) => c.params.message_id === 999)).toHaveLength(1);
  });
});

describe("outbox: replace and delete", () => {
  test("a replacing send drops pending edits, lands, then deletes the old message", async () => {
    const chat = tg.createChat();
    const o = outbox();
    const progress = await o.send(chat.id, text("working"));
    if (!progress.ok) throw new Error("send failed");
    const pid = progress.value.message_id;
    const edit = o.edit(chat.id, pid, text("working more"));
    const final = await o.send(chat.id, text("done"), { replace: pid });
    expect(await edit).toEqual({ ok: false, reason: "superseded" });
    expect(final.ok).toBe(true);
    await tg.waitFor(() => tg.message(chat.id, pid)?.deleted, { label: "progress deleted" });
    expect(tg.callsTo("editMessageText")).toHaveLength(0);
    expect(tg.botMessages(chat.id, { live: true }).map((m) => m.text)).toEqual(["done"]);
  });

  test("when the replacing send fails, the old message stays", async () => {
    const chat = tg.createChat();
    const o = outbox();
    const progress = await o.send(chat.id, text("working"));
    if (!progress.ok) throw new Error("send failed");
    tg.fail("sendMessage", { kind: "error", code: 400, description: "Bad Request: something odd" });
    const final = await o.send(chat.id, text("done"), { replace: progress.value.message_id });
    expect(final.ok).toBe(false);
    await Bun.sleep(80);
    expect(tg.callsTo("deleteMessage")).toHaveLength(0);
    expect(tg.message(chat.id, progress.value.message_id)?.deleted).toBe(false);
  });

  test("a delete drops pending edits of that message", async () => {
    const chat = tg.createChat();
    const o = outbox();
    const sent = await o.send(chat.id, text("x"));
    if (!sent.ok) throw new Error("send failed");
    const edit = o.edit(chat.id, sent.value.message_id, text("y"));
    const del = o.delete(chat.id, sent.value.message_id);
    expect(await edit).toEqual({ ok: false, reason: "superseded" });
    expect((await del).ok).toBe(true);
    expect(tg.callsTo("editMessageText")).toHaveLength(0);
  });
});

describe("outbox: pacing", () => {
  test("each chat keeps its own pace; chats proceed in parallel", async () => {
    const a = tg.createChat();
    const b = tg.createChat({ user: { id: 2002, is_bot: false, first_name: "Bob" } });
    const g = tg.createChat({ type: "group" });
    const o = outbox();
    const t0 = performance.now();
    const all: Promise<unknown>[] = [];
    for (let i = 0; i < 4; i++) for (const c of [a, b, g]) all.push(o.send(c.id, text(`m${i}`)));
    await Promise.all(all);
    const elapsed = performance.now() - t0;
    const times = (id: number) => tg.accepted("sendMessage", id).map((c) => c.at);
    for (const gap of [...gaps(times(a.id)), ...gaps(times(b.id))]) expect(gap).toBeGreaterThanOrEqual(40);
    for (const gap of gaps(times(g.id))) expect(gap).toBeGreaterThanOrEqual(120);
    // Serial pacing of all 12 would take > 11 × 40 ms; parallel lanes finish with the group's 3 × 120 ms.
    expect(elapsed).toBeLessThan(3 * 120 + 200);
    expect(Math.abs(times(a.id)[0]! - times(b.id)[0]!)).toBeLessThan(30);
    expect(tg.minGapMs(a.id)).toBeGreaterThanOrEqual(40);
    expect(tg.minGapMs(g.id)).toBeGreaterThanOrEqual(120);
  });

  test("with a manual clock nothing goes out before its time, per chat and under the global ceiling", async () => {
    const clock = new FakeClock();
    const o = outbox({ privateIntervalMs: 1000, groupIntervalMs: 3000, globalPerSecond: 3, clock });
    const chats = [1, 2, 3, 4, 5].map((i) =>
      tg.createChat({ user: { id: 3000 + i, is_bot: false, first_name: `u${i}` } }),
    );
    const group = tg.createChat({ type: "group" });
    const sends = chats.map((c) => o.send(c.id, text("hi")));
    const g1 = o.send(group.id, text("g1"));
    const g2 = o.send(group.id, text("g2"));
    const count = () => tg.calls.length;
    await tg.waitFor(() => count() === 3, { label: "first 3 calls" });
    await Bun.sleep(30);
    expect(count()).toBe(3); // global ceiling: 3 per second
    clock.advance(999);
    await Bun.sleep(30);
    expect(count()).toBe(3);
    clock.advance(1);
    await tg.waitFor(() => count() === 6, { label: "next 3 calls" });
    await Promise.all([...sends, g1]);
    // g1 went out at t=1000; g2 waits for the group's own 3 s gap, not just the global window.
    clock.advance(2999);
    await Bun.sleep(30);
    expect(tg.accepted("sendMessage", group.id)).toHaveLength(1);
    clock.advance(1);
    await tg.waitFor(() => tg.accepted("sendMessage", group.id).length === 2, { label: "second group send" });
    expect((await g2).ok).toBe(true);
  });
});

describe("outbox: failures", () => {
  test("a 429 storm delays a send, which then lands exactly once", async () => {
    const chat = tg.createChat();
    tg.fail("sendMessage", { kind: "rate_limit", retry_after: 0.05 }, 4);
    const t0 = performance.now();
    const r = await outbox().send(chat.id, text("final answer"));
    expect(r.ok).toBe(true);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(4 * 50 - 5);
    expect(tg.callsTo("sendMessage").map((c) => c.outcome)).toEqual([
      "error",
      "error",
      "error",
      "error",
      "ok",
    ]);
    expect(tg.botMessages(chat.id).map((m) => m.text)).toEqual(["final answer"]);
    for (const gap of gaps(tg.callsTo("sendMessage").map((c) => c.at)))
      expect(gap).toBeGreaterThanOrEqual(45);
  });

  test("a 429 in one chat does not hold up another", async () => {
    const a = tg.createChat();
    const b = tg.createChat({ user: { id: 2002, is_bot: false, first_name: "Bob" } });
    const o = outbox();
    tg.fail("sendMessage", { kind: "rate_limit", retry_after: 0.3 });
    const slow = o.send(a.id, text("a"));
    await tg.waitForCall("sendMessage", (c) => c.outcome === "error");
    const t0 = performance.now();
    expect((await o.send(b.id, text("b"))).ok).toBe(true);
    expect(performance.now() - t0).toBeLessThan(150);
    expect((await slow).ok).toBe(true);
  });

  test("a 429 on a call outside any chat pauses every chat", async () => {
    const chat = tg.createChat();
    const o = outbox();
    tg.fail("setMyCommands", { kind: "rate_limit", retry_after: 0.2 });
    const cmds = o.call("setMyCommands", (api) =>
      api.setMyCommands([{ command: "cancel", description: "cancel run" }]),
    );
    await tg.waitForCall("setMyCommands");
    await Bun.sleep(5);
    const t0 = performance.now();
    expect((await o.send(chat.id, text("x"))).ok).toBe(true);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(150);
    expect((await cmds).ok).toBe(true);
  });

  test("5xx and dropped connections: sends retry with backoff and land once", async () => {
    const chat = tg.createChat();
    tg.fail("sendMessage", { kind: "server_error", status: 502 }, 2);
    tg.fail("sendMessage", { kind: "drop" }, 1);
    tg.fail("sendMessage", { kind: "server_error", body: "html" }, 1);
    const r = await outbox().send(chat.id, text("answer"));
    expect(r.ok).toBe(true);
    expect(tg.callsTo("sendMessage").map((c) => c.outcome)).toEqual([
      "error",
      "error",
      "dropped",
      "error",
      "ok",
    ]);
    const g = gaps(tg.callsTo("sendMessage").map((c) => c.at));
    // backoff 10, 20, 40, 40 (capped)
    expect(g[0]!).toBeGreaterThanOrEqual(8);
    expect(g[2]!).toBeGreaterThanOrEqual(35);
    expect(tg.botMessages(chat.id)).toHaveLength(1);
  });

  test("retries are bounded: sends give up after 5 attempts, edits after 2", async () => {
    const chat = tg.createChat();
    const o = outbox();
    const sent = await o.send(chat.id, text("x"));
    if (!sent.ok) throw new Error("send failed");
    tg.fail("*", { kind: "server_error" }, Number.POSITIVE_INFINITY);
    const send = await o.send(chat.id, text("y"));
    expect(send).toMatchObject({ ok: false, reason: "failed", failure: { kind: "server", status: 500 } });
    const edit = await o.edit(chat.id, sent.value.message_id, text("z"));
    expect(edit).toMatchObject({ ok: false, reason: "failed" });
    expect(tg.callsTo("sendMessage")).toHaveLength(1 + 5);
    expect(tg.callsTo("editMessageText")).toHaveLength(2);
  });

  test("an edit that hits 429 while a newer edit waits is superseded, not retried", async () => {
    const chat = tg.createChat();
    const o = outbox();
    const sent = await o.send(chat.id, text("v0"));
    if (!sent.ok) throw new Error("send failed");
    const id = sent.value.message_id;
    await Bun.sleep(50); // let the pacing gap pass so the first edit goes out at once
    tg.fail("editMessageText", { kind: "rate_limit", retry_after: 0.05 });
    const first = o.edit(chat.id, id, text("v1"));
    await tg.waitForCall("editMessageText");
    const second = o.edit(chat.id, id, text("v2"));
    expect(await first).toEqual({ ok: false, reason: "superseded" });
    expect((await second).ok).toBe(true);
    expect(tg.message(chat.id, id)?.history.map((v) => v.text)).toEqual(["v0", "v2"]);
  });
});

describe("outbox: close", () => {
  test("close() fails pending ops as closed; later calls are refused", async () => {
    const chat = tg.createChat();
    const o = outbox({ ...FAST, privateIntervalMs: 10_000 });
    await o.send(chat.id, text("a"));
    const waiting = o.send(chat.id, text("b"));
    await o.close();
    expect(await waiting).toEqual({ ok: false, reason: "closed" });
    expect(await o.send(chat.id, text("c"))).toEqual({ ok: false, reason: "closed" });
    expect(tg.botMessages(chat.id)).toHaveLength(1);
  });

  test("close({ drain: true }) lets queued ops finish first", async () => {
    const chat = tg.createChat();
    const o = outbox();
    const all = [o.send(chat.id, text("a")), o.send(chat.id, text("b")), o.send(chat.id, text("c"))];
    await o.close({ drain: true, timeoutMs: 2000 });
    expect((await Promise.all(all)).every((r) => r.ok)).toBe(true);
    expect(tg.botMessages(chat.id).map((m) => m.text)).toEqual(["a", "b", "c"]);
  });
});
