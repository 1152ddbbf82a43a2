import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { setSinks } from "../../src/logging/logger";
import { createTelegramApi } from "../../src/telegram/client";
import { Outbox } from "../../src/telegram/outbox";
import { MESSAGE_LIMIT } from "../../src/telegram/render";
import { TelegramTransport, type TelegramTransportOptions } from "../../src/telegram/transport";
import type { MessageRef, RenderedParts } from "../../src/transport";
import { FAKE_TOKEN, FakeTelegram } from "../support/fake-telegram";

let tg: FakeTelegram;
let transports: TelegramTransport[];

function transport(opts: TelegramTransportOptions = {}, globalPerSecond = 25): TelegramTransport {
  const outbox = new Outbox(createTelegramApi(FAKE_TOKEN, { apiRoot: tg.apiRoot }), {
    privateIntervalMs: 20,
    groupIntervalMs: 40,
    backoffMs: 10,
    globalPerSecond,
  });
  const t = new TelegramTransport(outbox, opts);
  transports.push(t);
  return t;
}

const parts = (header: string, body: string, footer = "`codex resume 0199a`"): RenderedParts => ({
  header,
  body,
  footer,
});
const CANCEL = { inline_keyboard: [[{ text: "cancel", callback_data: "takopi:cancel" }]] };

/** A forum topic with one user message in it: the usual thing the bridge answers. */
function userPrompt(): MessageRef {
  const chat = tg.createChat({ type: "supergroup", is_forum: true });
  const thread = tg.createTopic(chat.id, "work");
  const m = tg.sendUserMessage(chat.id, { text: "fix the bug", message_thread_id: thread });
  return { channelId: chat.id, messageId: m.message_id, threadId: thread };
}

/** A long markdown answer: many paragraphs and a code block. */
function longAnswer(paragraphs: number): string {
  const out: string[] = [];
  for (let i = 0; i < paragraphs; i++) {
    out.push(`Paragraph ${i}: **bold** words and \`code\` and more text to fill the line out nicely.`);
    if (i % 10 === 5) out.push("```ts\nconst x = 1;\nconsole.log(x);\n```");
  }
  return out.join("\n\n");
}

beforeEach(() => {
  tg = new FakeTelegram();
  transports = [];
  setSinks([]);
});
afterEach(async () => {
  for (const t of transports) await t.close();
  await tg.stop();
});

describe("telegram transport", () => {
  test("progress: a silent reply in the same topic, with entities, cancel button and no link preview", async () => {
    const user = userPrompt();
    const t = transport();
    const ref = await t.send(user.channelId, parts("starting · codex · 0s", "see https://example.com"), {
      replyTo: user,
      notify: false,
      cancelButton: true,
      threadId: user.threadId!,
    });
    expect(ref).toEqual({ channelId: user.channelId, messageId: ref!.messageId, threadId: user.threadId! });
    const m = tg.message(user.channelId, ref!.messageId)!;
    expect(m.text).toBe("starting · codex · 0s\n\nsee https://example.com\n\ncodex resume 0199a");
    expect(m.entities).toContainEqual({ type: "code", offset: m.text.indexOf("codex resume"), length: 18 });
    expect(m).toMatchObject({
      reply_to_message_id: user.messageId,
      message_thread_id: user.threadId,
      disable_notification: true,
      reply_markup: CANCEL,
      link_preview_options: { is_disabled: true },
    });
  });

  test("edits keep or drop the cancel button; fire-and-forget edits return at once and coalesce", async () => {
    const user = userPrompt();
    const t = transport();
    const ref = (await t.send(user.channelId, parts("starting", "…"), {
      replyTo: user,
      cancelButton: true,
    }))!;
    const fired = [1, 2, 3].map((i) =>
      t.edit(ref, parts(`working · ${i}s`, "▸ `ls`"), { cancelButton: true }),
    );
    expect(await Promise.all(fired)).toEqual([true, true, true]);
    await tg.waitFor(() => tg.message(ref.channelId, ref.messageId)?.text.startsWith("working · 3s"), {
      label: "last progress edit",
    });
    expect(tg.callsTo("editMessageText")).toHaveLength(1);
    expect(tg.message(ref.channelId, ref.messageId)?.reply_markup).toEqual(CANCEL);
    expect(await t.edit(ref, parts("`cancelled`", "▸ `ls`"), { wait: true })).toBe(true);
    const m = tg.message(ref.channelId, ref.messageId)!;
    expect(m.reply_markup).toBeUndefined();
    expect(tg.callsTo("editMessageText").at(-1)?.params.reply_markup).toEqual({ inline_keyboard: [] });
    expect(m.text.startsWith("cancelled")).toBe(true);
  });

  test("final answer replaces the progress message: a notifying reply, then the progress message goes", async () => {
    const user = userPrompt();
    const t = transport();
    const progress = (await t.send(user.channelId, parts("working", "▸ x"), {
      replyTo: user,
      notify: false,
      cancelButton: true,
    }))!;
    void t.edit(progress, parts("working · 2s", "▸ y"), { cancelButton: true });
    const final = await t.send(user.channelId, parts("done · codex · 3s", "All **fixed**."), {
      replyTo: user,
      notify: true,
      final: true,
      replace: progress,
      threadId: user.threadId!,
    });
    expect(final).toBeDefined();
    await tg.waitFor(() => tg.message(user.channelId, progress.messageId)?.deleted, {
      label: "progress deleted",
    });
    const live = tg.botMessages(user.channelId, { live: true });
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({
      text: "done · codex · 3s\n\nAll fixed.\n\ncodex resume 0199a",
      disable_notification: false,
      reply_to_message_id: user.messageId,
      message_thread_id: user.threadId,
    });
    expect(live[0]?.reply_markup).toBeUndefined();
  });

  test("trim mode: a huge final answer is one message within Telegram's limit, resume line kept", async () => {
    const user = userPrompt();
    const t = transport();
    const ref = await t.send(user.channelId, parts("done", longAnswer(120)), { replyTo: user, final: true });
    expect(ref).toBeDefined();
    const msgs = tg.botMessages(user.channelId);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]!.text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(msgs[0]!.text.endsWith("codex resume 0199a")).toBe(true);
  });

  test("split mode: follow-ups reply to the user message in the same topic with the same notify flag and no keyboard", async () => {
    const user = userPrompt();
    const t = transport({ messageOverflow: "split" });
    const progress = (await t.send(user.channelId, parts("working", "▸ x"), {
      replyTo: user,
      notify: false,
      cancelButton: true,
    }))!;
    const answer = longAnswer(150);
    const ref = await t.send(user.channelId, parts("done · codex · 9s", answer), {
      replyTo: user,
      notify: true,
      final: true,
      replace: progress,
    });
    expect(ref).toBeDefined();
    await tg.waitFor(() => tg.message(user.channelId, progress.messageId)?.deleted, {
      label: "progress deleted",
    });
    const msgs = tg.botMessages(user.channelId, { live: true });
    expect(msgs.length).toBeGreaterThanOrEqual(3);
    expect(msgs[0]!.message_id).toBe(ref!.messageId);
    msgs.forEach((m, i) => {
      expect(m.text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      expect(m.text.endsWith("codex resume 0199a")).toBe(true);
      expect(m.reply_to_message_id).toBe(user.messageId);
      expect(m.message_thread_id).toBe(user.threadId);
      expect(m.disable_notification).toBe(false);
      expect(m.reply_markup).toBeUndefined();
      if (i > 0)
        expect(m.text.startsWith(`done · codex · 9s · continued (${i + 1}/${msgs.length})`)).toBe(true);
    });
    // Nothing of the answer is lost: every paragraph shows up somewhere.
    const all = msgs.map((m) => m.text).join("\n");
    for (const i of [0, 75, 149]) expect(all).toContain(`Paragraph ${i}:`);
  });

  test("split mode, final edited in place: follow-ups still answer the user's message", async () => {
    const user = userPrompt();
    const t = transport({ messageOverflow: "split" });
    const progress = (await t.send(user.channelId, parts("working", "▸ x"), {
      replyTo: user,
      cancelButton: true,
    }))!;
    expect(
      await t.edit(progress, parts("error · codex · 9s", longAnswer(100)), { wait: true, final: true }),
    ).toBe(true);
    const msgs = tg.botMessages(user.channelId, { live: true });
    expect(msgs.length).toBeGreaterThanOrEqual(2);
    expect(msgs[0]!.message_id).toBe(progress.messageId);
    expect(msgs[0]!.reply_markup).toBeUndefined();
    for (const m of msgs.slice(1)) {
      expect(m.reply_to_message_id).toBe(user.messageId);
      expect(m.disable_notification).toBe(true);
    }
  });

  test("failures: unknown chat → undefined; editing a deleted message → false; delete reports", async () => {
    const user = userPrompt();
    const t = transport();
    expect(await t.send(424242, parts("x", "y"))).toBeUndefined();
    const ref = (await t.send(user.channelId, parts("x", "y"), { replyTo: user }))!;
    expect(await t.delete(ref)).toBe(true);
    expect(await t.edit(ref, parts("x", "z"), { wait: true })).toBe(false);
    expect(await t.delete(ref)).toBe(false);
  });

  test("a deleted prompt does not cost the user the answer", async () => {
    const chat = tg.createChat();
    const gone: MessageRef = { channelId: chat.id, messageId: 999 };
    const ref = await transport().send(chat.id, parts("done", "answer"), { replyTo: gone, final: true });
    expect(ref).toBeDefined();
  });

  test("a final answer survives a 429 storm and a 5xx, delivered exactly once", async () => {
    const user = userPrompt();
    const t = transport();
    tg.fail("sendMessage", { kind: "rate_limit", retry_after: 0.03 }, 3);
    tg.fail("sendMessage", { kind: "server_error", status: 502 }, 1);
    const ref = await t.send(user.channelId, parts("done", "the answer"), { replyTo: user, final: true });
    expect(ref).toBeDefined();
    expect(tg.botMessages(user.channelId).map((m) => m.text)).toEqual([
      "done\n\nthe answer\n\ncodex resume 0199a",
    ]);
  });

  test("answerCallback and setCommands go through the outbox", async () => {
    const chat = tg.createChat();
    const t = transport();
    const ref = (await t.send(chat.id, parts("working", "x"), { cancelButton: true }))!;
    const cb = tg.pressButton(chat.id, ref.messageId, "takopi:cancel");
    expect(await t.answerCallback(cb.id, "cancelling...")).toBe(true);
    expect(tg.callbacks.get(cb.id)?.answer).toEqual({ text: "cancelling..." });
    expect(await t.setCommands([{ command: "cancel", description: "cancel run" }])).toBe(true);
    expect(tg.commands.get("default")).toEqual([{ command: "cancel", description: "cancel run" }]);
  });
});

describe("telegram transport under load", () => {
  test("many chats, progress edits, 429s, 5xx and drops: every final answer lands exactly once", async () => {
    // A higher global ceiling than Telegram's keeps this test short; per-chat pacing is unchanged.
    const t = transport({}, 200);
    const users = Array.from({ length: 12 }, (_, i) => {
      const chat = tg.createChat({
        ...(i % 3 === 0
          ? { type: "group" as const }
          : { user: { id: 5000 + i, is_bot: false, first_name: `u${i}` } }),
      });
      const m = tg.sendUserMessage(chat.id, { text: "go" });
      return { channelId: chat.id, messageId: m.message_id } satisfies MessageRef;
    });
    tg.fail("sendMessage", { kind: "rate_limit", retry_after: 0.02 }, 6);
    tg.fail("sendMessage", { kind: "server_error", status: 502 }, 3);
    tg.fail("sendMessage", { kind: "drop" }, 2);
    tg.fail("editMessageText", { kind: "rate_limit", retry_after: 0.02 }, 4);
    tg.fail("deleteMessage", { kind: "server_error" }, 2);
    await Promise.all(
      users.map(async (user, i) => {
        const progress = await t.send(user.channelId, parts("starting", "…"), {
          replyTo: user,
          notify: false,
          cancelButton: true,
        });
        expect(progress).toBeDefined();
        for (let step = 1; step <= 5; step++) {
          void t.edit(progress!, parts(`working · ${step}s`, `▸ step ${step}`), { cancelButton: true });
          await Bun.sleep(5);
        }
        const final = await t.send(user.channelId, parts("done", `answer ${i}`), {
          replyTo: user,
          notify: true,
          final: true,
          replace: progress!,
        });
        expect(final).toBeDefined();
      }),
    );
    for (const [i, user] of users.entries()) {
      await tg.waitFor(() => tg.botMessages(user.channelId, { live: true }).length === 1, {
        label: `chat ${user.channelId} settled`,
      });
      const live = tg.botMessages(user.channelId, { live: true });
      expect(live.map((m) => m.text)).toEqual([`done\n\nanswer ${i}\n\ncodex resume 0199a`]);
      expect(tg.botMessages(user.channelId).filter((m) => m.text.includes(`answer ${i}`))).toHaveLength(1);
    }
    // No chat above its pace, even through retries (private 20 ms, group 40 ms here).
    for (const user of users) {
      expect(tg.minGapMs(user.channelId)).toBeGreaterThanOrEqual(user.channelId < 0 ? 40 : 20);
    }
  });
});
