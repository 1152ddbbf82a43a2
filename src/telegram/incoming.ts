import type { CallbackQuery, Message, Update } from "grammy/types";

/** A user message, reduced to what takopi routes on. */
export interface IncomingMessage {
  readonly kind: "message";
  readonly updateId: number;
  readonly chatId: number;
  readonly chatType: string;
  readonly messageId: number;
  readonly threadId?: number;
  readonly senderId?: number;
  readonly senderIsBot: boolean;
  /** `text` or `caption`, or "". */
  readonly text: string;
  readonly replyTo?: {
    readonly messageId: number;
    readonly text: string;
    readonly fromBot: boolean;
    readonly fromUsername?: string;
  };
  readonly isForward: boolean;
  readonly hasDocument: boolean;
  readonly hasVoice: boolean;
  readonly mediaGroupId?: string;
  readonly date: number;
}

export interface IncomingCallback {
  readonly kind: "callback";
  readonly updateId: number;
  readonly callbackId: string;
  readonly chatId: number;
  readonly messageId: number;
  readonly threadId?: number;
  readonly senderId?: number;
  readonly data: string;
}

export type Incoming = IncomingMessage | IncomingCallback;

// Forwards are recognised by the Bot API 7 field as well as the older ones (decisions.md 11).
const FORWARD_FIELDS = [
  "forward_origin",
  "forward_from",
  "forward_from_chat",
  "forward_from_message_id",
  "forward_sender_name",
  "forward_signature",
  "forward_date",
  "is_automatic_forward",
] as const;

function isForwarded(message: Message): boolean {
  const raw = message as unknown as Record<string, unknown>;
  return FORWARD_FIELDS.some(
    (field) => raw[field] !== undefined && raw[field] !== null && raw[field] !== false,
  );
}

function parseMessage(updateId: number, message: Message): IncomingMessage {
  const reply = message.reply_to_message;
  const threadId = message.message_thread_id;
  // A message in a forum topic "replies" to the topic's root service message; that is not a real reply.
  const implicitTopicReply = threadId !== undefined && reply?.message_id === threadId;
  const hasDocument =
    message.document !== undefined || message.video !== undefined || (message.photo?.length ?? 0) > 0;
  return {
    kind: "message",
    updateId,
    chatId: message.chat.id,
    chatType: message.chat.type,
    messageId: message.message_id,
    ...(threadId !== undefined ? { threadId } : {}),
    ...(message.from ? { senderId: message.from.id } : {}),
    senderIsBot: message.from?.is_bot ?? false,
    text: message.text ?? message.caption ?? "",
    ...(reply && !implicitTopicReply
      ? {
          replyTo: {
            messageId: reply.message_id,
            text: reply.text ?? reply.caption ?? "",
            fromBot: reply.from?.is_bot ?? false,
            ...(reply.from?.username ? { fromUsername: reply.from.username } : {}),
          },
        }
      : {}),
    isForward: isForwarded(message),
    hasDocument,
    hasVoice: message.voice !== undefined,
    ...(message.media_group_id ? { mediaGroupId: message.media_group_id } : {}),
    date: message.date,
  };
}

function parseCallback(updateId: number, query: CallbackQuery): IncomingCallback | undefined {
  const message = query.message;
  if (!message) return undefined;
  const threadId = "message_thread_id" in message ? message.message_thread_id : undefined;
  return {
    kind: "callback",
    updateId,
    callbackId: query.id,
    chatId: message.chat.id,
    messageId: message.message_id,
    ...(threadId !== undefined ? { threadId } : {}),
    senderId: query.from.id,
    data: query.data ?? "",
  };
}

/** Reduces a Bot API update to what takopi handles; anything else is `undefined`. */
export function parseUpdate(update: Update): Incoming | undefined {
  if (update.message) return parseMessage(update.update_id, update.message);
  if (update.callback_query) return parseCallback(update.update_id, update.callback_query);
  return undefined;
}
