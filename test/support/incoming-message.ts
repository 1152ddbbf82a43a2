import type { IncomingMessage } from "../../src/telegram/incoming";

let nextId = 1;

/** A parsed user message in private chat 5 from user 7, with fresh update/message ids. */
export function incomingMessage(text: string, extra: Partial<IncomingMessage> = {}): IncomingMessage {
  const id = nextId++;
  return {
    kind: "message",
    updateId: id,
    chatId: 5,
    chatType: "private",
    messageId: id,
    senderId: 7,
    senderIsBot: false,
    text,
    isForward: false,
    hasDocument: false,
    hasVoice: false,
    date: 0,
    ...extra,
  };
}

/** A fresh update id for hand-built callbacks, distinct from the messages'. */
export function nextUpdateId(): number {
  return nextId++;
}
