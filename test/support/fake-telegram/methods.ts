import type { Params } from "./params";
import type { FakeState } from "./state";
import { ApiError, badRequest, type FakeChat, type Json, type LoggedMessage } from "./types";
import { sameContent, validateEntities, validateMarkup, validateText } from "./validate";

/** A Bot API method: params in, `result` out; throws ApiError for `ok: false` answers. */
export type Method = (state: FakeState, p: Params) => unknown;

const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);

function chatOf(state: FakeState, p: Params): FakeChat {
  return state.chat(p.requireInt("chat_id"));
}

/** reply_parameters (Bot API 7+) or the legacy reply_to_message_id. */
function replyTarget(state: FakeState, chat: FakeChat, p: Params): LoggedMessage | undefined {
  const rp = p.json("reply_parameters") as Json | undefined;
  const id = rp ? Number(rp.message_id) : p.int("reply_to_message_id");
  if (id === undefined) return undefined;
  const allowMissing = rp ? rp.allow_sending_without_reply === true : p.bool("allow_sending_without_reply");
  const target = state.message(chat.id, id);
  if (target && !target.deleted) return target;
  if (allowMissing) return undefined;
  throw badRequest("message to be replied not found");
}

function threadOf(chat: FakeChat, p: Params, reply: LoggedMessage | undefined): number | undefined {
  const thread = p.int("message_thread_id") ?? (chat.is_forum ? reply?.message_thread_id : undefined);
  if (thread !== undefined && chat.is_forum && !chat.topics.has(thread))
    throw badRequest("message thread not found");
  return thread;
}

function outgoing(
  state: FakeState,
  chat: FakeChat,
  p: Params,
  body: Json,
  text: string,
  extra: Partial<LoggedMessage>,
) {
  const reply = replyTarget(state, chat, p);
  const thread = threadOf(chat, p, reply);
  const markup = validateMarkup(p.json("reply_markup"));
  const wire: Json = { from: state.bot, ...body };
  if (reply) wire.reply_to_message = state.replyWire(reply);
  if (thread !== undefined) {
    wire.message_thread_id = thread;
    if (chat.is_forum) wire.is_topic_message = true;
  }
  if (markup) wire.reply_markup = markup;
  const lpo = p.json("link_preview_options") as Json | undefined;
  if (lpo) wire.link_preview_options = lpo;
  const msg = state.addMessage(chat, {
    from: state.bot,
    from_bot: true,
    text,
    entities: (body.entities as LoggedMessage["entities"]) ?? [],
    disable_notification: p.bool("disable_notification"),
    ...(reply ? { reply_to_message_id: reply.message_id } : {}),
    ...(thread !== undefined ? { message_thread_id: thread } : {}),
    ...(markup ? { reply_markup: markup } : {}),
    ...(lpo ? { link_preview_options: lpo } : {}),
    ...extra,
    wire,
  });
  return msg.wire;
}

function editable(state: FakeState, p: Params): LoggedMessage {
  const chat = chatOf(state, p);
  const msg = state.message(chat.id, p.requireInt("message_id", "message identifier is not specified"));
  if (!msg || msg.deleted) throw badRequest("message to edit not found");
  if (!msg.from_bot) throw badRequest("message can't be edited");
  return msg;
}

export const methods: Record<string, Method> = {
  getMe: (s) => ({
    ...s.bot,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
  }),

  deleteWebhook: () => true,

  sendMessage(s, p) {
    const chat = chatOf(s, p);
    const text = validateText(p.str("text"));
    const entities = validateEntities(text, p.json("entities"));
    const body: Json = { text };
    if (entities.length) body.entities = entities;
    return outgoing(s, chat, p, body, text, {});
  },

  editMessageText(s, p) {
    const msg = editable(s, p);
    const text = validateText(p.str("text"));
    const entities = validateEntities(text, p.json("entities"));
    // Like Telegram: an edit without reply_markup removes the inline keyboard.
    const markup = validateMarkup(p.json("reply_markup"));
    const next = { text, entities, ...(markup ? { reply_markup: markup } : {}) };
    if (sameContent(msg, next)) {
      throw badRequest(
        "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
      );
    }
    msg.text = text;
    msg.entities = entities;
    msg.reply_markup = markup;
    msg.history.push({ ...next, at: performance.now() });
    const { entities: _e, reply_markup: _r, ...rest } = msg.wire;
    msg.wire = {
      ...rest,
      text,
      ...(entities.length ? { entities } : {}),
      ...(markup ? { reply_markup: markup } : {}),
      edit_date: Math.floor(Date.now() / 1000),
    };
    s.changed();
    return msg.wire;
  },

  deleteMessage(s, p) {
    const chat = chatOf(s, p);
    const msg = s.message(chat.id, p.requireInt("message_id", "message identifier is not specified"));
    if (!msg || msg.deleted) throw badRequest("message to delete not found");
    msg.deleted = true;
    msg.deleted_at = performance.now();
    s.changed();
    return true;
  },

  sendChatAction(s, p) {
    chatOf(s, p);
    const action = p.str("action");
    if (!action || !CHAT_ACTIONS.has(action)) throw badRequest("wrong parameter action in request");
    return true;
  },

  setMyCommands(s, p) {
    const commands = p.json("commands");
    if (!Array.isArray(commands)) throw badRequest('parameter "commands" is required');
    if (commands.length > 100) throw badRequest("too many commands specified");
    for (const c of commands as Json[]) {
      if (typeof c.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(c.command))
        throw badRequest("BOT_COMMAND_INVALID");
      if (typeof c.description !== "string" || c.description.length < 1 || c.description.length > 256) {
        throw badRequest("command description is empty");
      }
    }
    const scope = p.json("scope");
    s.commands.set(scope ? JSON.stringify(scope) : "default", commands as Json[]);
    s.changed();
    return true;
  },

  getMyCommands(s, p) {
    const scope = p.json("scope");
    return s.commands.get(scope ? JSON.stringify(scope) : "default") ?? [];
  },

  answerCallbackQuery(s, p) {
    const cb = s.callbacks.get(p.str("callback_query_id") ?? "");
    if (!cb || cb.answered) {
      throw badRequest("query is too old and response timeout expired or query ID is invalid");
    }
    cb.answered = true;
    const text = p.str("text");
    cb.answer = {
      ...(text !== undefined ? { text } : {}),
      ...(p.bool("show_alert") ? { show_alert: true } : {}),
    };
    s.changed();
    return true;
  },

  getChat(s, p) {
    const chat = chatOf(s, p);
    return { ...s.chatWire(chat), accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: {} };
  },

  getChatMember(s, p) {
    const chat = chatOf(s, p);
    const userId = p.requireInt("user_id", "user not found");
    const status = chat.members.get(userId) ?? "left";
    const user =
      userId === s.bot.id
        ? s.bot
        : chat.user?.id === userId
          ? chat.user
          : { id: userId, is_bot: false, first_name: `user ${userId}` };
    return { status, user };
  },

  createForumTopic(s, p) {
    const chat = chatOf(s, p);
    const name = p.str("name");
    if (!name) throw badRequest("topic name is empty");
    const id = s.createTopic(chat.id, name);
    return { message_thread_id: id, name, icon_color: 0x6fb9f0 };
  },

  editForumTopic(s, p) {
    const chat = chatOf(s, p);
    const id = p.requireInt("message_thread_id");
    if (!chat.topics.has(id)) throw badRequest("message thread not found");
    const name = p.str("name");
    if (name) chat.topics.set(id, name);
    s.changed();
    return true;
  },

  async sendDocument(s, p) {
    const chat = chatOf(s, p);
    const ref = p.str("document");
    let file: File | undefined;
    if (ref?.startsWith("attach://")) file = p.files.get(ref.slice("attach://".length));
    file ??= p.files.get("document");
    let stored = file
      ? s.storeFile(
          new Uint8Array(await file.arrayBuffer()),
          "documents",
          file.name || "document.dat",
          file.type || undefined,
        )
      : ref
        ? s.files.get(ref)
        : undefined;
    if (!stored)
      throw badRequest(
        ref ? "wrong file identifier/HTTP URL specified" : "there is no document in the request",
      );
    stored = { ...stored };
    const caption = p.str("caption");
    if (caption && caption.length > 1024) throw badRequest("message caption is too long");
    const body: Json = { document: s.documentWire(stored) };
    if (caption) body.caption = caption;
    return outgoing(s, chat, p, body, caption ?? "", { document: stored });
  },

  getFile(s, p) {
    const f = s.files.get(p.str("file_id") ?? "");
    if (!f) throw badRequest("invalid file_id");
    return {
      file_id: f.file_id,
      file_unique_id: f.file_unique_id,
      file_size: f.bytes.length,
      file_path: f.file_path,
    };
  },
};

export { ApiError };
