import type { User } from "grammy/types";
import {
  type Injected,
  type InjectedCallback,
  injectCallback,
  injectMessage,
  type PressOptions,
  type UserMessageInput,
} from "./inject";
import {
  badRequest,
  type CallbackRecord,
  type CallRecord,
  type ChatType,
  type Failure,
  type FailureRule,
  type FakeChat,
  type FakeFile,
  type Json,
  type LoggedMessage,
} from "./types";

export interface CreateChatOptions {
  readonly type?: ChatType;
  readonly id?: number;
  readonly title?: string;
  /** Supergroups only: a forum with topics. */
  readonly is_forum?: boolean;
  /** Private chats: the user (default: the default user). */
  readonly user?: User;
}

export interface WaitOptions {
  readonly timeout?: number;
  readonly label?: string;
}

/** What a new chat-log entry is made from; the rest (ids, date, history) is filled in. */
export type MessageInit = Pick<LoggedMessage, "from" | "from_bot" | "text" | "wire"> &
  Partial<
    Pick<
      LoggedMessage,
      | "entities"
      | "disable_notification"
      | "reply_to_message_id"
      | "message_thread_id"
      | "link_preview_options"
      | "document"
      | "reply_markup"
    >
  >;

type PollResult = "updates" | "conflict" | "timeout" | "aborted";

const encoder = new TextEncoder();
const now = () => performance.now();
const unixNow = () => Math.floor(Date.now() / 1000);

/** In-memory Telegram: chats, messages with edit history, updates, files, and the call log. */
export class FakeState {
  readonly bot: User;
  readonly defaultUser: User = { id: 1001, is_bot: false, first_name: "Alice", username: "alice" };
  readonly chats = new Map<number, FakeChat>();
  readonly calls: CallRecord[] = [];
  readonly callbacks = new Map<string, CallbackRecord>();
  readonly files = new Map<string, FakeFile>();
  /** Last setMyCommands payload per scope (JSON of the scope, "default" when none). */
  readonly commands = new Map<string, Json[]>();
  readonly failures: FailureRule[] = [];
  allowedUpdates: readonly string[] | undefined;

  readonly #logs = new Map<number, LoggedMessage[]>();
  #updates: Json[] = [];
  #nextUpdateId = 1;
  #nextGroupId = 1;
  #nextFile = 1;
  #seq = 0;
  #poller: ((r: PollResult) => void) | undefined;
  readonly #watchers = new Set<() => void>();

  constructor(readonly token: string) {
    const id = Number(token.split(":")[0]) || 123456;
    this.bot = { id, is_bot: true, first_name: "takopi", username: "takopi_test_bot" };
  }

  // ---- chats and users -------------------------------------------------------------------

  createChat(opts: CreateChatOptions = {}): FakeChat {
    const type = opts.type ?? "private";
    const user = type === "private" ? (opts.user ?? this.defaultUser) : undefined;
    const id =
      opts.id ??
      (type === "private"
        ? user!.id
        : type === "group"
          ? -(4000 + this.#nextGroupId++)
          : -(1_000_000_000_000 + this.#nextGroupId++));
    if (this.chats.has(id)) throw new Error(`fake telegram: chat ${id} already exists`);
    const chat: FakeChat = {
      id,
      type,
      is_forum: type === "supergroup" && opts.is_forum === true,
      topics: new Map(),
      members: new Map(),
      nextMessageId: 1,
      ...(opts.title !== undefined || type !== "private" ? { title: opts.title ?? `chat ${id}` } : {}),
      ...(user ? { user } : {}),
    };
    chat.members.set(this.bot.id, type === "private" ? "member" : "administrator");
    if (user) chat.members.set(user.id, "member");
    this.chats.set(id, chat);
    this.#logs.set(id, []);
    this.changed();
    return chat;
  }

  chat(id: number): FakeChat {
    const chat = this.chats.get(id);
    if (!chat) throw badRequest("chat not found");
    return chat;
  }

  chatWire(chat: FakeChat): Json {
    if (chat.type === "private") {
      return {
        id: chat.id,
        type: "private",
        first_name: chat.user?.first_name,
        username: chat.user?.username,
      };
    }
    return { id: chat.id, type: chat.type, title: chat.title, ...(chat.is_forum ? { is_forum: true } : {}) };
  }

  /** Creates a forum topic; its id is the id of the service message that opens it. */
  createTopic(chatId: number, name: string): number {
    const chat = this.chat(chatId);
    if (!chat.is_forum) throw badRequest("the chat is not a forum");
    const id = chat.nextMessageId++;
    chat.topics.set(id, name);
    const wire: Json = {
      message_id: id,
      message_thread_id: id,
      from: this.bot,
      chat: this.chatWire(chat),
      date: unixNow(),
      forum_topic_created: { name, icon_color: 0x6fb9f0 },
      is_topic_message: true,
    };
    this.#record({ chat_id: chatId, message_id: id, from: this.bot, from_bot: true, wire, text: "" });
    return id;
  }

  // ---- messages -----------------------------------------------------------------------------

  log(chatId: number): readonly LoggedMessage[] {
    return this.#logs.get(chatId) ?? [];
  }

  message(chatId: number, messageId: number): LoggedMessage | undefined {
    return this.#logs.get(chatId)?.find((m) => m.message_id === messageId);
  }

  /** Adds a message to a chat's log. Used for bot sends and injected user messages alike. */
  addMessage(chat: FakeChat, init: MessageInit): LoggedMessage {
    const message_id = chat.nextMessageId++;
    const date = unixNow();
    const wire: Json = { message_id, ...init.wire, chat: this.chatWire(chat), date };
    return this.#record({ ...init, chat_id: chat.id, message_id, date, wire });
  }

  #record(m: MessageInit & { chat_id: number; message_id: number; date?: number }): LoggedMessage {
    const at = now();
    const entities = m.entities ?? [];
    const msg: LoggedMessage = {
      ...m,
      date: m.date ?? unixNow(),
      entities,
      disable_notification: m.disable_notification ?? false,
      history: [{ text: m.text, entities, ...(m.reply_markup ? { reply_markup: m.reply_markup } : {}), at }],
      deleted: false,
      sent_at: at,
    };
    this.#logs.get(m.chat_id)?.push(msg);
    this.changed();
    return msg;
  }

  /** The message as embedded in another message's `reply_to_message` (never nested further). */
  replyWire(m: LoggedMessage): Json {
    const { reply_to_message: _drop, ...rest } = m.wire;
    return rest;
  }

  // ---- injection (what a user does) --------------------------------------------------------

  /** A user sends a message (text, reply, forward, document, voice, topic). */
  sendUserMessage(chatId: number, input: UserMessageInput): Injected {
    return injectMessage(this, chatId, input);
  }

  /** A user presses an inline button. The button must exist unless `force` (a stale press). */
  pressButton(chatId: number, messageId: number, data: string, opts: PressOptions = {}): InjectedCallback {
    return injectCallback(this, chatId, messageId, data, opts);
  }

  // ---- files ---------------------------------------------------------------------------------

  storeFile(content: Uint8Array | string, dir: string, name?: string, mime?: string): FakeFile {
    const n = this.#nextFile++;
    const file: FakeFile = {
      file_id: `file-${n}`,
      file_unique_id: `uniq-${n}`,
      file_path: `${dir}/file_${n}${name?.includes(".") ? name.slice(name.lastIndexOf(".")) : ""}`,
      bytes: typeof content === "string" ? encoder.encode(content) : content,
      ...(name !== undefined ? { file_name: name } : {}),
      ...(mime !== undefined ? { mime_type: mime } : {}),
    };
    this.files.set(file.file_id, file);
    return file;
  }

  fileByPath(path: string): FakeFile | undefined {
    for (const f of this.files.values()) if (f.file_path === path) return f;
    return undefined;
  }

  documentWire(f: FakeFile): Json {
    return {
      file_id: f.file_id,
      file_unique_id: f.file_unique_id,
      file_name: f.file_name,
      mime_type: f.mime_type,
      file_size: f.bytes.length,
    };
  }

  // ---- updates and long polling ---------------------------------------------------------------

  pushUpdate(body: Json): number {
    const update_id = this.#nextUpdateId++;
    this.#updates.push({ update_id, ...body });
    this.#poller?.("updates");
    this.changed();
    return update_id;
  }

  get pendingUpdates(): number {
    return this.#updates.length;
  }

  /** getUpdates semantics: `offset` confirms everything below it; filtered by allowed_updates. */
  takeUpdates(offset: number | undefined, limit: number): Json[] {
    if (offset !== undefined && offset > 0)
      this.#updates = this.#updates.filter((u) => (u.update_id as number) >= offset);
    const allowed = this.allowedUpdates;
    if (allowed && allowed.length > 0) {
      this.#updates = this.#updates.filter((u) => allowed.some((k) => k in u));
    }
    return this.#updates.slice(0, limit);
  }

  /**
   * Waits for an update to arrive. Like Telegram, a newer long poll ends an older one
   * with 409 Conflict.
   */
  waitUpdates(ms: number, signal: AbortSignal): Promise<PollResult> {
    this.#poller?.("conflict");
    return new Promise((resolve) => {
      const done = (r: PollResult) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        if (this.#poller === done) this.#poller = undefined;
        resolve(r);
      };
      const onAbort = () => done("aborted");
      const timer = setTimeout(() => done("timeout"), ms);
      signal.addEventListener("abort", onAbort, { once: true });
      this.#poller = done;
    });
  }

  // ---- calls and failures ----------------------------------------------------------------------

  logCall(method: string, params: Json): CallRecord {
    const chat = params.chat_id;
    const chat_id =
      typeof chat === "number" ? chat : typeof chat === "string" && chat !== "" ? Number(chat) : undefined;
    const rec: CallRecord = {
      seq: ++this.#seq,
      method,
      at: now(),
      ...(chat_id !== undefined && Number.isFinite(chat_id) ? { chat_id } : {}),
      params,
      outcome: "ok",
    };
    this.calls.push(rec);
    this.changed();
    return rec;
  }

  /** The next `times` calls of `method` ("*" for any) fail this way. `Infinity` = until cleared. */
  fail(method: string, failure: Failure, times = 1): FailureRule {
    const rule: FailureRule = { method, failure, remaining: times };
    this.failures.push(rule);
    return rule;
  }

  clearFailures(): void {
    this.failures.length = 0;
  }

  takeFailure(method: string): Failure | undefined {
    const rule = this.failures.find((r) => r.remaining > 0 && (r.method === method || r.method === "*"));
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule.failure;
  }

  // ---- observation -------------------------------------------------------------------------------

  changed(): void {
    for (const w of this.#watchers) w();
  }

  /** Resolves with the probe's first truthy value; rejects after `timeout` ms (default 3000). */
  waitFor<T>(probe: () => T | undefined | null | false, opts: WaitOptions = {}): Promise<T> {
    const first = probe();
    if (first) return Promise.resolve(first);
    const timeout = opts.timeout ?? 3000;
    return new Promise((resolve, reject) => {
      const check = () => {
        const v = probe();
        if (!v) return;
        cleanup();
        resolve(v);
      };
      const timer = setTimeout(() => {
        cleanup();
        const recent = this.calls
          .slice(-8)
          .map((c) => `${c.method}:${c.outcome}`)
          .join(", ");
        reject(
          new Error(
            `fake telegram: timed out after ${timeout} ms waiting for ${opts.label ?? "condition"} (recent calls: ${recent || "none"})`,
          ),
        );
      }, timeout);
      const cleanup = () => {
        clearTimeout(timer);
        this.#watchers.delete(check);
      };
      this.#watchers.add(check);
    });
  }
}
