import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { getLogger, type LogRecord, setLogLevel, setSinks } from "../../src/logging/logger";
import { classifyError, createTelegramApi, describeError } from "../../src/telegram/client";
import { FAKE_TOKEN, FakeTelegram } from "../support/fake-telegram";

let tg: FakeTelegram;
beforeEach(() => {
  tg = new FakeTelegram();
});
afterEach(async () => {
  await tg.stop();
});

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return { kind: classifyError(e), text: describeError(e), raw: e };
  }
  throw new Error("expected a failure");
}

describe("telegram client", () => {
  test("talks to the configured api_root (a trailing slash is fine)", async () => {
    const api = createTelegramApi(FAKE_TOKEN, { apiRoot: `${tg.apiRoot}/` });
    expect((await api.getMe()).username).toBe("takopi_test_bot");
  });

  test("classifies 429, 5xx (json and html), network drops, not modified, 401, 409 and other 4xx", async () => {
    const api = createTelegramApi(FAKE_TOKEN, { apiRoot: tg.apiRoot });
    const chat = tg.createChat();
    tg.fail("sendMessage", { kind: "rate_limit", retry_after: 7 });
    expect((await failure(api.sendMessage(chat.id, "x"))).kind).toMatchObject({
      kind: "rate_limited",
      retryAfter: 7,
    });
    tg.fail("sendMessage", { kind: "server_error", status: 500 });
    expect((await failure(api.sendMessage(chat.id, "x"))).kind).toMatchObject({
      kind: "server",
      status: 500,
    });
    tg.fail("sendMessage", { kind: "server_error", status: 502, body: "html" });
    expect((await failure(api.sendMessage(chat.id, "x"))).kind).toMatchObject({
      kind: "server",
      status: 502,
    });
    tg.fail("sendMessage", { kind: "drop" });
    expect((await failure(api.sendMessage(chat.id, "x"))).kind.kind).toBe("network");
    const sent = await api.sendMessage(chat.id, "same");
    expect((await failure(api.editMessageText(chat.id, sent.message_id, "same"))).kind.kind).toBe(
      "not_modified",
    );
    expect((await failure(api.editMessageText(chat.id, 999, "x"))).kind).toMatchObject({
      kind: "rejected",
      status: 400,
    });
    tg.fail("getUpdates", { kind: "conflict" });
    expect((await failure(api.getUpdates())).kind.kind).toBe("conflict");
    const wrong = createTelegramApi("123456789:AAnotTheRightTokenAtAll_xyz", { apiRoot: tg.apiRoot });
    expect((await failure(wrong.getMe())).kind.kind).toBe("unauthorized");
  });

  test("an unreachable server is a network failure", async () => {
    const root = tg.apiRoot;
    await tg.stop();
    const api = createTelegramApi(FAKE_TOKEN, { apiRoot: root });
    expect((await failure(api.getMe())).kind.kind).toBe("network");
  });

  test("the token never reaches error text or logs (500, dropped connection, refused connection)", async () => {
    const records: LogRecord[] = [];
    const lines: string[] = [];
    setSinks([(r) => records.push(r)]);
    try {
      const api = createTelegramApi(FAKE_TOKEN, { apiRoot: tg.apiRoot });
      const chat = tg.createChat();
      const log = getLogger("test");
      tg.fail("sendMessage", { kind: "server_error", status: 500 });
      tg.fail("sendMessage", { kind: "drop" }, 1);
      for (let i = 0; i < 2; i++) {
        const f = await failure(api.sendMessage(chat.id, "x"));
        lines.push(f.text, String(f.raw), JSON.stringify(f.kind));
        log.error("telegram.failed", { error: f.raw, text: f.text });
      }
      const root = tg.apiRoot;
      await tg.stop();
      const gone = await failure(createTelegramApi(FAKE_TOKEN, { apiRoot: root }).getMe());
      lines.push(gone.text, JSON.stringify(gone.kind));
      log.error("telegram.failed", { error: gone.raw, text: gone.text });
      tg = new FakeTelegram();
    } finally {
      setSinks([]);
    }
    const secret = FAKE_TOKEN.split(":")[1]!;
    const all = `${lines.join("\n")}\n${JSON.stringify(records)}`;
    expect(all).toContain("sendMessage");
    expect(all).not.toContain(secret);
  });

  test("with debug logging, each call is logged without the token", async () => {
    const records: LogRecord[] = [];
    setSinks([(r) => records.push(r)]);
    setLogLevel("debug");
    try {
      const api = createTelegramApi(FAKE_TOKEN, { apiRoot: tg.apiRoot });
      const chat = tg.createChat();
      await api.sendMessage(chat.id, "hi");
      tg.fail("sendMessage", { kind: "drop" });
      await api.sendMessage(chat.id, "x").catch(() => undefined);
    } finally {
      setLogLevel("info");
      setSinks([]);
    }
    const calls = records.filter((r) => r.event === "telegram.api.call");
    expect(calls.map((r) => [r.fields.method, r.fields.ok])).toEqual([
      ["sendMessage", true],
      ["sendMessage", false],
    ]);
    expect(JSON.stringify(records)).not.toContain(FAKE_TOKEN.split(":")[1]!);
  });
});
