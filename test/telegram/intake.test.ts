import { expect, test } from "bun:test";
import type { Update } from "grammy/types";
import { parseUpdate } from "../../src/telegram/incoming";
import { Intake } from "../../src/telegram/intake";

let nextUpdate = 1;
function message(fields: Record<string, unknown>): Update {
  return {
    update_id: nextUpdate++,
    message: {
      message_id: nextUpdate,
      date: 0,
      chat: { id: 42, type: "private", first_name: "u" },
      from: { id: 7, is_bot: false, first_name: "u" },
      text: "hi",
      ...fields,
    },
  } as unknown as Update;
}

test("parses text, caption, replies and forwards", () => {
  const m = parseUpdate(
    message({
      caption: "cap",
      text: undefined,
      reply_to_message: {
        message_id: 3,
        date: 0,
        chat: { id: 42, type: "private" },
        text: "`codex resume x`",
      },
      forward_origin: { type: "user", date: 0, sender_user: { id: 1, is_bot: false, first_name: "a" } },
    }),
  );
  expect(m).toMatchObject({ kind: "message", text: "cap", isForward: true, replyTo: { messageId: 3 } });
});

test("a topic message replying to the topic root is not a reply", () => {
  const m = parseUpdate(
    message({
      message_thread_id: 9,
      reply_to_message: { message_id: 9, date: 0, chat: { id: 42, type: "supergroup" } },
    }),
  );
  expect(m && "replyTo" in m ? m.replyTo : undefined).toBeUndefined();
});

test("callbacks without a message are dropped", () => {
  const u = {
    update_id: 1,
    callback_query: { id: "c", from: { id: 7 }, chat_instance: "x" },
  } as unknown as Update;
  expect(parseUpdate(u)).toBeUndefined();
});

test("intake filters chats, users, bots and duplicates", () => {
  const intake = new Intake({ allowedChats: () => new Set([42]), allowedUserIds: new Set([7]) });
  const ok = parseUpdate(message({}))!;
  expect(intake.check(ok)).toBe("accept");
  expect(intake.check(ok)).toBe("duplicate");
  expect(intake.check(parseUpdate(message({ chat: { id: 5, type: "private" } }))!)).toBe("other-chat");
  expect(intake.check(parseUpdate(message({ from: { id: 8, is_bot: false, first_name: "x" } }))!)).toBe(
    "not-allowed-user",
  );
  expect(intake.check(parseUpdate(message({ from: undefined }))!)).toBe("not-allowed-user");
  // Same chat/message id under a new update id is still a duplicate.
  const again = { ...(ok as object), updateId: 999 } as typeof ok;
  expect(intake.check(again)).toBe("duplicate");
});
