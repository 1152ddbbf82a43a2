import type { User } from "grammy/types";
import type { FakeState } from "./state";
import type { FakeFile, Json, LoggedMessage } from "./types";

const unixNow = () => Math.floor(Date.now() / 1000);

export interface UserMessageInput {
  readonly text?: string;
  readonly caption?: string;
  readonly entities?: readonly Json[];
  readonly from?: User;
  /** Id of a message in the same chat this one replies to. */
  readonly reply_to?: number;
  readonly message_thread_id?: number;
  /** Marks the message as forwarded (both `forward_origin` and the legacy fields are set). */
  readonly forward?: { readonly from?: User; readonly sender_name?: string; readonly date?: number };
  readonly document?: {
    readonly file_name: string;
    readonly mime_type?: string;
    readonly content: Uint8Array | string;
  };
  readonly voice?: {
    readonly content: Uint8Array | string;
    readonly duration?: number;
    readonly mime_type?: string;
  };
  readonly media_group_id?: string;
}

export interface Injected {
  readonly update_id: number;
  readonly message_id: number;
}

export interface InjectedCallback {
  readonly id: string;
  readonly update_id: number;
}

export interface PressOptions {
  readonly from?: User;
  /** Press even if the message has no such button (a press that raced an edit). */
  readonly force?: boolean;
}

export function injectMessage(state: FakeState, chatId: number, input: UserMessageInput): Injected {
  const chat = state.chat(chatId);
  const from = input.from ?? chat.user ?? state.defaultUser;
  const wire: Json = { from };
  if (input.text !== undefined) wire.text = input.text;
  if (input.entities) wire.entities = input.entities;
  if (input.caption !== undefined) wire.caption = input.caption;
  let replyTo: LoggedMessage | undefined;
  if (input.reply_to !== undefined) {
    replyTo = state.message(chatId, input.reply_to);
    if (!replyTo) throw new Error(`fake telegram: no message ${input.reply_to} in chat ${chatId}`);
  }
  const thread = input.message_thread_id ?? replyTo?.message_thread_id;
  if (thread !== undefined) {
    wire.message_thread_id = thread;
    if (chat.is_forum) {
      wire.is_topic_message = true;
      // In forums, a message that replies to nothing "replies" to the topic's opening message.
      replyTo ??= state.message(chatId, thread);
    }
  }
  if (replyTo) wire.reply_to_message = state.replyWire(replyTo);
  if (input.forward) {
    const date = input.forward.date ?? unixNow() - 60;
    const origin = input.forward.from
      ? { type: "user", sender_user: input.forward.from, date }
      : { type: "hidden_user", sender_user_name: input.forward.sender_name ?? "someone", date };
    wire.forward_origin = origin;
    wire.forward_date = date;
    if (input.forward.from) wire.forward_from = input.forward.from;
    else wire.forward_sender_name = input.forward.sender_name ?? "someone";
  }
  let document: FakeFile | undefined;
  if (input.document) {
    document = state.storeFile(
      input.document.content,
      "documents",
      input.document.file_name,
      input.document.mime_type,
    );
    wire.document = state.documentWire(document);
  }
  if (input.voice) {
    const f = state.storeFile(
      input.voice.content,
      "voice",
      "voice.ogg",
      input.voice.mime_type ?? "audio/ogg",
    );
    wire.voice = {
      file_id: f.file_id,
      file_unique_id: f.file_unique_id,
      duration: input.voice.duration ?? 1,
      mime_type: f.mime_type,
      file_size: f.bytes.length,
    };
  }
  if (input.media_group_id) wire.media_group_id = input.media_group_id;
  const msg = state.addMessage(chat, {
    from,
    from_bot: false,
    text: input.text ?? input.caption ?? "",
    ...(replyTo ? { reply_to_message_id: replyTo.message_id } : {}),
    ...(thread !== undefined ? { message_thread_id: thread } : {}),
    ...(document ? { document } : {}),
    wire,
  });
  const update_id = state.pushUpdate({ message: msg.wire });
  return { update_id, message_id: msg.message_id };
}

/** A user pressing an inline button. The button must exist unless `force` (a stale press). */
export function injectCallback(
  state: FakeState,
  chatId: number,
  messageId: number,
  data: string,
  opts: PressOptions = {},
): InjectedCallback {
  const chat = state.chat(chatId);
  const msg = state.message(chatId, messageId);
  if (!msg?.from_bot || msg.deleted)
    throw new Error(`fake telegram: no bot message ${messageId} in chat ${chatId}`);
  const hasButton = msg.reply_markup?.inline_keyboard.some((row) =>
    row.some((b) => "callback_data" in b && b.callback_data === data),
  );
  if (!hasButton && !opts.force) {
    throw new Error(`fake telegram: message ${messageId} has no button with callback_data ${data}`);
  }
  const id = String(9_000_000 + state.callbacks.size + 1);
  state.callbacks.set(id, { id, chat_id: chatId, message_id: messageId, data, answered: false });
  const update_id = state.pushUpdate({
    callback_query: {
      id,
      from: opts.from ?? chat.user ?? state.defaultUser,
      message: msg.wire,
      chat_instance: String(chat.id),
      data,
    },
  });
  return { id, update_id };
}
