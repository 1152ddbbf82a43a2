import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { Api, GrammyError, HttpError, InputFile } from "grammy";
import { FAKE_TOKEN, FakeTelegram } from "./fake-telegram";

let tg: FakeTelegram;
let api: Api;

beforeEach(() => {
  tg = new FakeTelegram();
  api = new Api(FAKE_TOKEN, { apiRoot: tg.apiRoot, fetch: globalThis.fetch as typeof fetch });
});
afterEach(async () => {
  await tg.stop();
});

async function apiError(p: Promise<unknown>): Promise<GrammyError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof GrammyError) return e;
    throw e;
  }
  throw new Error("expected the call to fail");
}

describe("fake telegram: messages", () => {
  test("getMe answers with the bot; a wrong token gets 401 Unauthorized", async () => {
    const me = await api.getMe();
    expect(me.is_bot).toBe(true);
    expect(me.id).toBe(123456789);
    const bad = new Api("123456789:wrong-token-xxxxxxxxxx", { apiRoot: tg.apiRoot });
    const e = await apiError(bad.getMe());
    expect(e.error_code).toBe(401);
    expect(e.description).toBe("Unauthorized");
    expect(tg.callsTo("getMe").map((c) => c.outcome)).toEqual(["ok", "error"]);
  });

  test("sendMessage records text, entities, reply, thread, notification flag and keyboard", async () => {
    const chat = tg.createChat();
    const user = tg.sendUserMessage(chat.id, { text: "hi" });
    const kb = { inline_keyboard: [[{ text: "cancel", callback_data: "takopi:cancel" }]] };
    const sent = await api.sendMessage(chat.id, "bold text", {
      entities: [{ type: "bold", offset: 0, length: 4 }],
      reply_parameters: { message_id: user.message_id },
      disable_notification: true,
      link_preview_options: { is_disabled: true },
      reply_markup: kb,
    });
    expect(sent.message_id).toBe(user.message_id + 1);
    expect(sent.reply_to_message?.message_id).toBe(user.message_id);
    const [m] = tg.botMessages(chat.id);
    expect(m).toMatchObject({
      text: "bold text",
      entities: [{ type: "bold", offset: 0, length: 4 }],
      reply_to_message_id: user.message_id,
      disable_notification: true,
      link_preview_options: { is_disabled: true },
      reply_markup: kb,
    });
  });

  test("rejects what Telegram rejects: empty/too long text, bad entities, unknown chat, missing reply", async () => {
    const chat = tg.createChat();
    expect((await apiError(api.sendMessage(chat.id, ""))).description).toBe(
      "Bad Request: message text is empty",
    );
    expect((await apiError(api.sendMessage(chat.id, "x".repeat(4097)))).description).toBe(
      "Bad Request: message is too long",
    );
    // 4096 UTF-16 units is fine, even when they are surrogate pairs.
    await api.sendMessage(chat.id, "😀".repeat(2048));
    const past = await apiError(
      api.sendMessage(chat.id, "abc", { entities: [{ type: "bold", offset: 1, length: 3 }] }),
    );
    expect(past.description).toContain("can't parse entities");
    const type = await apiError(
      api.sendMessage(chat.id, "abc", { entities: [{ type: "shiny", offset: 0, length: 1 } as never] }),
    );
    expect(type.description).toContain("unsupported type shiny");
    const pair = await apiError(
      api.sendMessage(chat.id, "😀x", { entities: [{ type: "bold", offset: 1, length: 2 }] }),
    );
    expect(pair.description).toContain("surrogate");
    const link = await apiError(
      api.sendMessage(chat.id, "abc", {
        entities: [{ type: "text_link", offset: 0, length: 3, url: "/etc/passwd" }],
      }),
    );
    expect(link.description).toContain("wrong HTTP URL");
    expect((await apiError(api.sendMessage(999, "x"))).description).toBe("Bad Request: chat not found");
    const reply = await apiError(api.sendMessage(chat.id, "x", { reply_parameters: { message_id: 77 } }));
    expect(reply.description).toBe("Bad Request: message to be replied not found");
    const tolerant = await api.sendMessage(chat.id, "x", {
      reply_parameters: { message_id: 77, allow_sending_without_reply: true },
    });
    expect(tolerant.reply_to_message).toBeUndefined();
    expect(
      (
        await apiError(
          api.sendMessage(chat.id, "x", {
            reply_markup: { inline_keyboard: [[{ text: "a", callback_data: "y".repeat(65) }]] },
          }),
        )
      ).description,
    ).toBe("Bad Request: BUTTON_DATA_INVALID");
  });

  test("edits keep history; identical edit is 'not modified'; missing message is 'not found'", async () => {
    const chat = tg.createChat();
    const kb = { inline_keyboard: [[{ text: "cancel", callback_data: "takopi:cancel" }]] };
    const sent = await api.sendMessage(chat.id, "one", { reply_markup: kb });
    await api.editMessageText(chat.id, sent.message_id, "two", { reply_markup: kb });
    const same = await apiError(api.editMessageText(chat.id, sent.message_id, "two", { reply_markup: kb }));
    expect(same.error_code).toBe(400);
    expect(same.description).toStartWith("Bad Request: message is not modified");
    // Same text, keyboard removed: that is a modification.
    await api.editMessageText(chat.id, sent.message_id, "two", { reply_markup: { inline_keyboard: [] } });
    const m = tg.message(chat.id, sent.message_id)!;
    expect(m.history.map((v) => [v.text, v.reply_markup ? "kb" : "-"])).toEqual([
      ["one", "kb"],
      ["two", "kb"],
      ["two", "-"],
    ]);
    expect((await apiError(api.editMessageText(chat.id, 99, "x"))).description).toBe(
      "Bad Request: message to edit not found",
    );
    await api.deleteMessage(chat.id, sent.message_id);
    expect(tg.message(chat.id, sent.message_id)?.deleted).toBe(true);
    expect((await apiError(api.editMessageText(chat.id, sent.message_id, "3"))).description).toBe(
      "Bad Request: message to edit not found",
    );
    expect((await apiError(api.deleteMessage(chat.id, sent.message_id))).description).toBe(
      "Bad Request: message to delete not found",
    );
    const user = tg.sendUserMessage(chat.id, { text: "mine" });
    expect((await apiError(api.editMessageText(chat.id, user.message_id, "x"))).description).toBe(
      "Bad Request: message can't be edited",
    );
  });

  test("groups, forums and topics; chat actions, commands, getChat, getChatMember", async () => {
    const group = tg.createChat({ type: "group", title: "team" });
    expect(group.id).toBeLessThan(0);
    const forum = tg.createChat({ type: "supergroup", is_forum: true });
    const topic = await api.createForumTopic(forum.id, "work");
    const inTopic = tg.sendUserMessage(forum.id, {
      text: "hello",
      message_thread_id: topic.message_thread_id,
    });
    const update = (await api.getUpdates({ timeout: 0 })).at(-1)!;
    // A message in a topic replies, implicitly, to the topic's opening message.
    expect(update.message?.reply_to_message?.message_id).toBe(topic.message_thread_id);
    expect(update.message?.message_id).toBe(inTopic.message_id);
    await api.sendMessage(forum.id, "in topic", { message_thread_id: topic.message_thread_id });
    expect(tg.botMessages(forum.id)[0]?.message_thread_id).toBe(topic.message_thread_id);
    expect((await apiError(api.sendMessage(forum.id, "x", { message_thread_id: 4242 }))).description).toBe(
      "Bad Request: message thread not found",
    );
    expect(await api.sendChatAction(group.id, "typing")).toBe(true);
    await api.setMyCommands([{ command: "cancel", description: "cancel run" }]);
    expect(tg.commands.get("default")).toEqual([{ command: "cancel", description: "cancel run" }]);
    expect((await apiError(api.setMyCommands([{ command: "Bad-Name", description: "x" }]))).description).toBe(
      "Bad Request: BOT_COMMAND_INVALID",
    );
    expect((await api.getChat(group.id)).type).toBe("group");
    expect((await api.getChatMember(group.id, 123456789)).status).toBe("administrator");
    expect((await api.getChatMember(group.id, 5)).status).toBe("left");
  });
});

describe("fake telegram: updates", () => {
  test("getUpdates returns queued updates at once and confirms them with offset", async () => {
    const chat = tg.createChat();
    const a = tg.sendUserMessage(chat.id, { text: "a" });
    tg.sendUserMessage(chat.id, { text: "b" });
    const first = await api.getUpdates({ timeout: 30 });
    expect(first.map((u) => u.message?.text)).toEqual(["a", "b"]);
    expect(first[0]?.update_id).toBe(a.update_id);
    // Not confirmed yet: same batch again.
    expect((await api.getUpdates({ timeout: 0 })).length).toBe(2);
    expect(await api.getUpdates({ timeout: 0, offset: first[1]!.update_id + 1 })).toEqual([]);
    expect(tg.pendingUpdates).toBe(0);
  });

  test("a waiting long poll wakes when a message is injected", async () => {
    const chat = tg.createChat();
    const t0 = performance.now();
    const poll = api.getUpdates({ timeout: 5 });
    await tg.waitForCall("getUpdates");
    setTimeout(() => tg.sendUserMessage(chat.id, { text: "wake" }), 30);
    const got = await poll;
    expect(got.map((u) => u.message?.text)).toEqual(["wake"]);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  test("long poll times out empty; allowed_updates filters; a second poller gets the first 409", async () => {
    const chat = tg.createChat();
    expect(await api.getUpdates({ timeout: 0.05 as number })).toEqual([]);
    const sent = await api.sendMessage(chat.id, "b", {
      reply_markup: { inline_keyboard: [[{ text: "go", callback_data: "go" }]] },
    });
    tg.pressButton(chat.id, sent.message_id, "go");
    tg.sendUserMessage(chat.id, { text: "m" });
    const only = await api.getUpdates({ timeout: 0, allowed_updates: ["message"] });
    expect(only.map((u) => Object.keys(u)[1])).toEqual(["message"]);
    const first = api.getUpdates({ timeout: 5, offset: only[0]!.update_id + 1 });
    await tg.waitForCall("getUpdates", (c) => c.params.timeout === 5);
    const second = api.getUpdates({ timeout: 0.05 as number, offset: only[0]!.update_id + 1 });
    const e = await apiError(first);
    expect(e.error_code).toBe(409);
    expect(e.description).toStartWith("Conflict: terminated by other getUpdates request");
    expect(await second).toEqual([]);
  });

  test("callback queries carry the message and must be answered once", async () => {
    const chat = tg.createChat();
    const sent = await api.sendMessage(chat.id, "run", {
      reply_markup: { inline_keyboard: [[{ text: "cancel", callback_data: "takopi:cancel" }]] },
    });
    expect(() => tg.pressButton(chat.id, sent.message_id, "other")).toThrow("no button");
    const cb = tg.pressButton(chat.id, sent.message_id, "takopi:cancel");
    const [u] = await api.getUpdates({ timeout: 0 });
    expect(u?.callback_query?.data).toBe("takopi:cancel");
    expect(u?.callback_query?.message?.message_id).toBe(sent.message_id);
    await api.answerCallbackQuery(cb.id, { text: "cancelling..." });
    expect(tg.callbacks.get(cb.id)?.answer).toEqual({ text: "cancelling..." });
    expect((await apiError(api.answerCallbackQuery(cb.id))).description).toContain("query ID is invalid");
  });

  test("forwards, documents and voice notes; getFile and download; sendDocument multipart", async () => {
    const chat = tg.createChat();
    tg.sendUserMessage(chat.id, {
      text: "fwd",
      forward: { from: { id: 7, is_bot: false, first_name: "Bo" } },
    });
    tg.sendUserMessage(chat.id, { caption: "see", document: { file_name: "a.txt", content: "hello file" } });
    tg.sendUserMessage(chat.id, { voice: { content: new Uint8Array([1, 2, 3]), duration: 2 } });
    const [fwd, doc, voice] = await api.getUpdates({ timeout: 0 });
    expect(fwd?.message?.forward_origin?.type).toBe("user");
    expect(doc?.message?.document?.file_name).toBe("a.txt");
    expect(doc?.message?.caption).toBe("see");
    expect(voice?.message?.voice?.duration).toBe(2);
    const file = await api.getFile(doc!.message!.document!.file_id);
    const body = await fetch(`${tg.apiRoot}/file/bot${FAKE_TOKEN}/${file.file_path}`);
    expect(await body.text()).toBe("hello file");
    expect((await fetch(`${tg.apiRoot}/file/botnope:x/${file.file_path}`)).status).toBe(401);
    const up = await api.sendDocument(
      chat.id,
      new InputFile(new TextEncoder().encode("report"), "report.md"),
      {
        caption: "here",
      },
    );
    expect(up.document.file_name).toBe("report.md");
    const stored = tg.botMessages(chat.id).at(-1)!;
    expect(new TextDecoder().decode(stored.document!.bytes)).toBe("report");
    expect(stored.text).toBe("here");
  });
});

describe("fake telegram: injected failures and control routes", () => {
  test("429 with retry_after, 5xx (json and html), dropped connection, then normal again", async () => {
    const chat = tg.createChat();
    tg.fail("sendMessage", { kind: "rate_limit", retry_after: 3 });
    const rl = await apiError(api.sendMessage(chat.id, "x"));
    expect(rl.error_code).toBe(429);
    expect(rl.parameters.retry_after).toBe(3);
    tg.fail("sendMessage", { kind: "server_error", status: 502 });
    expect((await apiError(api.sendMessage(chat.id, "x"))).error_code).toBe(502);
    tg.fail("*", { kind: "server_error", body: "html" });
    await expect(api.sendMessage(chat.id, "x")).rejects.toBeInstanceOf(HttpError);
    tg.fail("sendMessage", { kind: "drop" });
    await expect(api.sendMessage(chat.id, "x")).rejects.toBeInstanceOf(HttpError);
    await api.sendMessage(chat.id, "finally");
    expect(tg.callsTo("sendMessage").map((c) => c.outcome)).toEqual([
      "error",
      "error",
      "error",
      "dropped",
      "ok",
    ]);
    expect(tg.botMessages(chat.id).map((m) => m.text)).toEqual(["finally"]);
  });

  test("failures for every call until cleared; 409 on getUpdates", async () => {
    const chat = tg.createChat();
    tg.fail("sendMessage", { kind: "server_error" }, Number.POSITIVE_INFINITY);
    for (let i = 0; i < 3; i++) expect((await apiError(api.sendMessage(chat.id, "x"))).error_code).toBe(500);
    tg.clearFailures();
    await api.sendMessage(chat.id, "ok");
    tg.fail("getUpdates", { kind: "conflict" });
    expect((await apiError(api.getUpdates())).error_code).toBe(409);
  });

  test("HTTP control API drives the same state", async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${tg.apiRoot}/__control/${path}`, { method: "POST", body: JSON.stringify(body) }).then((r) =>
        r.json(),
      );
    const chat = (await post("chats", { type: "group", title: "ops" })) as { id: number };
    const msg = (await post("messages", { chat_id: chat.id, text: "/cancel" })) as { message_id: number };
    const sent = await api.sendMessage(chat.id, "reply", {
      reply_parameters: { message_id: msg.message_id },
    });
    await post("failures", { method: "editMessageText", failure: { kind: "rate_limit", retry_after: 1 } });
    expect((await apiError(api.editMessageText(chat.id, sent.message_id, "x"))).error_code).toBe(429);
    const log = (await (await fetch(`${tg.apiRoot}/__control/chats/${chat.id}/messages`)).json()) as {
      text: string;
      from_bot: boolean;
    }[];
    expect(log.map((m) => [m.text, m.from_bot])).toEqual([
      ["/cancel", false],
      ["reply", true],
    ]);
    const calls = (await (
      await fetch(`${tg.apiRoot}/__control/calls?method=editMessageText`)
    ).json()) as unknown[];
    expect(calls).toHaveLength(1);
  });

  test("waitFor resolves on a change and times out with a useful message", async () => {
    const chat = tg.createChat();
    const waiting = tg.waitForMessage(chat.id, (m) => m.text === "later");
    setTimeout(() => void api.sendMessage(chat.id, "later"), 20);
    expect((await waiting).text).toBe("later");
    await expect(tg.waitFor(() => false, { timeout: 30, label: "nothing" })).rejects.toThrow(
      "timed out after 30 ms waiting for nothing",
    );
  });
});

describe("fake telegram: standalone process", () => {
  test("main.ts serves in its own process and answers control routes", async () => {
    const proc = Bun.spawn([process.execPath, `${import.meta.dir}/fake-telegram/main.ts`], {
      stdout: "pipe",
    });
    try {
      const reader = proc.stdout.getReader();
      const { value } = await reader.read();
      reader.releaseLock();
      const info = JSON.parse(new TextDecoder().decode(value)) as { api_root: string; token: string };
      const remote = new Api(info.token, { apiRoot: info.api_root });
      const chat = (await (
        await fetch(`${info.api_root}/__control/chats`, { method: "POST", body: "{}" })
      ).json()) as { id: number };
      await remote.sendMessage(chat.id, "from afar");
      const log = (await (await fetch(`${info.api_root}/__control/chats/${chat.id}/messages`)).json()) as {
        text: string;
      }[];
      expect(log.map((m) => m.text)).toEqual(["from afar"]);
    } finally {
      proc.kill("SIGTERM");
      await proc.exited;
    }
  });
});
