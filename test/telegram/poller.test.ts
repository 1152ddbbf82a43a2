import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Update } from "grammy/types";
import { setSinks } from "../../src/logging/logger";
import { createTelegramApi } from "../../src/telegram/client";
import { Poller, type PollerOptions, PollerStoppedError } from "../../src/telegram/poller";
import { FAKE_TOKEN, FakeTelegram } from "../support/fake-telegram";

let tg: FakeTelegram;
let stop: AbortController;
const FAST: PollerOptions = { timeoutSeconds: 1, backoffMs: 20, maxBackoffMs: 80 };

function poller(opts: PollerOptions = FAST, token = FAKE_TOKEN, root = tg.apiRoot): Poller {
  return new Poller(createTelegramApi(token, { apiRoot: root, timeoutSeconds: 5 }), opts);
}

/** Consumes the poller in the background, collecting updates; resolves with the error it stopped on. */
function consume(p: Poller, signal: AbortSignal) {
  const got: Update[] = [];
  const done = (async () => {
    try {
      for await (const u of p.updates(signal)) got.push(u);
      return undefined;
    } catch (e) {
      return e;
    }
  })();
  return { got, done };
}

const texts = (us: Update[]) => us.map((u) => u.message?.text ?? u.callback_query?.data);
const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);

beforeEach(() => {
  tg = new FakeTelegram();
  stop = new AbortController();
  setSinks([]);
});
afterEach(async () => {
  stop.abort();
  await tg.stop();
});

describe("poller", () => {
  test("drainBacklog returns what queued up while away and moves past it", async () => {
    const chat = tg.createChat();
    const sent = await createTelegramApi(FAKE_TOKEN, { apiRoot: tg.apiRoot }).sendMessage(
      chat.id,
      "progress",
      {
        reply_markup: { inline_keyboard: [[{ text: "cancel", callback_data: "takopi:cancel" }]] },
      },
    );
    for (let i = 0; i < 3; i++) tg.sendUserMessage(chat.id, { text: `old ${i}` });
    tg.pressButton(chat.id, sent.message_id, "takopi:cancel");
    const p = poller();
    const backlog = await p.drainBacklog();
    expect(texts(backlog)).toEqual(["old 0", "old 1", "old 2", "takopi:cancel"]);
    expect(p.offset).toBe(backlog.at(-1)!.update_id + 1);
    expect(tg.callsTo("getUpdates").every((c) => c.params.timeout === 0)).toBe(true);
    expect(tg.callsTo("getUpdates")[0]?.params.allowed_updates).toEqual(["message", "callback_query"]);
    // Nothing is delivered twice.
    tg.sendUserMessage(chat.id, { text: "new" });
    const { got } = consume(p, stop.signal);
    await tg.waitFor(() => got.length === 1, { label: "the new update" });
    expect(texts(got)).toEqual(["new"]);
  });

  test("long polling yields updates as they arrive, confirming each with the offset", async () => {
    const chat = tg.createChat();
    const p = poller();
    const { got } = consume(p, stop.signal);
    await tg.waitForCall("getUpdates");
    const t0 = performance.now();
    tg.sendUserMessage(chat.id, { text: "one" });
    await tg.waitFor(() => got.length === 1, { label: "first update" });
    expect(performance.now() - t0).toBeLessThan(200);
    tg.sendUserMessage(chat.id, { text: "two" });
    tg.sendUserMessage(chat.id, { text: "three" });
    await tg.waitFor(() => got.length === 3, { label: "three updates" });
    expect(texts(got)).toEqual(["one", "two", "three"]);
    await tg.waitFor(() => tg.pendingUpdates === 0, { label: "updates confirmed" });
    const polls = tg.callsTo("getUpdates");
    expect(polls.at(-1)?.params).toMatchObject({ timeout: 1, offset: got.at(-1)!.update_id + 1 });
  });

  test("aborting ends polling at once, and a new poller takes over without a conflict", async () => {
    const first = consume(poller(), stop.signal);
    await tg.waitForCall("getUpdates");
    const t0 = performance.now();
    stop.abort();
    expect(await first.done).toBeUndefined();
    expect(performance.now() - t0).toBeLessThan(100);
    await Bun.sleep(20);
    const next = new AbortController();
    const second = consume(poller(), next.signal);
    tg.sendUserMessage(tg.createChat().id, { text: "hi" });
    await tg.waitFor(() => second.got.length === 1, { label: "update for the new poller" });
    next.abort();
    expect(await second.done).toBeUndefined();
  });

  test("5xx and dropped connections: retries with capped exponential backoff, then delivers", async () => {
    const chat = tg.createChat();
    tg.fail("getUpdates", { kind: "server_error", status: 502 }, 2);
    tg.fail("getUpdates", { kind: "drop" }, 1);
    tg.fail("getUpdates", { kind: "server_error", body: "html" }, 2);
    tg.sendUserMessage(chat.id, { text: "still here" });
    const { got } = consume(poller(), stop.signal);
    await tg.waitFor(() => got.length === 1, { label: "update after failures" });
    // Five failures, then the poll that delivers (a seventh may already be waiting).
    const times = tg
      .callsTo("getUpdates")
      .map((c) => c.at)
      .slice(0, 6);
    expect(
      tg
        .callsTo("getUpdates")
        .slice(0, 6)
        .map((c) => c.outcome),
    ).toEqual(["error", "error", "dropped", "error", "error", "ok"]);
    const g = gaps(times);
    // 20, 40, 80, 80 (capped), 80
    expect(g[0]!).toBeGreaterThanOrEqual(18);
    expect(g[1]!).toBeGreaterThanOrEqual(38);
    expect(g[2]!).toBeGreaterThanOrEqual(78);
    expect(g[3]!).toBeLessThan(150);
  });

  test("survives the server going away and coming back", async () => {
    const port = tg.port;
    const p = poller();
    const { got } = consume(p, stop.signal);
    await tg.waitForCall("getUpdates");
    await tg.stop();
    await Bun.sleep(100);
    tg = new FakeTelegram({ port });
    tg.sendUserMessage(tg.createChat().id, { text: "back" });
    await tg.waitFor(() => got.length === 1, { label: "update after reconnect", timeout: 3000 });
    expect(texts(got)).toEqual(["back"]);
  });

  test("429 waits retry_after before polling again", async () => {
    tg.fail("getUpdates", { kind: "rate_limit", retry_after: 0.25 });
    consume(poller(), stop.signal);
    await tg.waitFor(() => tg.callsTo("getUpdates").length >= 2, { label: "second poll" });
    const [a, b] = tg.callsTo("getUpdates");
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(245);
  });

  test("401 stops polling with a clear error", async () => {
    const { done } = consume(poller(FAST, "123456789:AAwrongTokenNotThisOne_xyz"), stop.signal);
    const e = await done;
    expect(e).toBeInstanceOf(PollerStoppedError);
    expect((e as PollerStoppedError).reason).toBe("unauthorized");
    expect((e as Error).message).toStartWith("the bot token was rejected by Telegram (401 Unauthorized)");
    expect(tg.callsTo("getUpdates")).toHaveLength(1);
  });

  test("409: a second consumer of the same bot stops the first one with a clear error", async () => {
    const first = consume(poller(), stop.signal);
    await tg.waitForCall("getUpdates");
    const other = new AbortController();
    consume(poller(), other.signal);
    const e = await first.done;
    other.abort();
    expect(e).toBeInstanceOf(PollerStoppedError);
    expect((e as PollerStoppedError).reason).toBe("conflict");
    expect((e as Error).message).toContain("another process is consuming updates for this bot");
  });

  test("404 (a wrong api_root or malformed token) stops instead of retrying forever", async () => {
    const { done } = consume(poller(FAST, FAKE_TOKEN, `${tg.apiRoot}/nowhere`), stop.signal);
    const e = await done;
    expect((e as PollerStoppedError).reason).toBe("not_found");
    expect((e as Error).message).toContain("api_root");
  });

  test("drainBacklog also stops on 409 instead of looping", async () => {
    tg.fail("getUpdates", { kind: "conflict" });
    await expect(poller().drainBacklog()).rejects.toBeInstanceOf(PollerStoppedError);
  });
});
