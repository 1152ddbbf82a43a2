import type { InlineKeyboardMarkup, MessageEntity, User } from "grammy/types";

/** Loose JSON object as it travels over the wire. */
export type Json = Record<string, unknown>;

export type ChatType = "private" | "group" | "supergroup";

export interface FakeChat {
  readonly id: number;
  readonly type: ChatType;
  readonly title?: string;
  readonly is_forum: boolean;
  /** For private chats: the user on the other side. */
  readonly user?: User;
  /** Forum topics by message_thread_id. */
  readonly topics: Map<number, string>;
  /** Chat member statuses by user id (getChatMember). */
  readonly members: Map<number, string>;
  nextMessageId: number;
}

/** One version of a message's content: the original, then one per successful edit. */
export interface MessageVersion {
  readonly text: string;
  readonly entities: readonly MessageEntity[];
  readonly reply_markup?: InlineKeyboardMarkup;
  /** performance.now() when this version was written. */
  readonly at: number;
}

export interface FakeFile {
  readonly file_id: string;
  readonly file_unique_id: string;
  readonly file_path: string;
  readonly bytes: Uint8Array;
  readonly file_name?: string;
  readonly mime_type?: string;
}

/** A message in a chat log, sent by the bot or injected as a user's message. */
export interface LoggedMessage {
  readonly chat_id: number;
  readonly message_id: number;
  readonly from: User;
  readonly from_bot: boolean;
  readonly date: number;
  readonly reply_to_message_id?: number;
  readonly message_thread_id?: number;
  readonly disable_notification: boolean;
  readonly link_preview_options?: Json;
  readonly document?: FakeFile;
  /** The message as Telegram would send it inside an update (current content). */
  wire: Json;
  text: string;
  entities: readonly MessageEntity[];
  reply_markup?: InlineKeyboardMarkup;
  /** Every version: history[0] is the original, the last one is current. */
  readonly history: MessageVersion[];
  deleted: boolean;
  deleted_at?: number;
  readonly sent_at: number;
}

export type CallOutcome = "ok" | "error" | "dropped";

/** One Bot API request as the fake saw it. */
export interface CallRecord {
  readonly seq: number;
  readonly method: string;
  /** performance.now() when the request arrived. */
  readonly at: number;
  readonly chat_id?: number;
  readonly params: Json;
  outcome: CallOutcome;
  error_code?: number;
  description?: string;
}

/** A failure the fake returns instead of handling a request. */
export type Failure =
  | { readonly kind: "rate_limit"; readonly retry_after: number }
  | { readonly kind: "server_error"; readonly status?: number; readonly body?: "json" | "html" }
  | { readonly kind: "drop" }
  | { readonly kind: "conflict" }
  | { readonly kind: "error"; readonly code: number; readonly description: string };

export interface FailureRule {
  readonly method: string;
  readonly failure: Failure;
  remaining: number;
}

export interface CallbackRecord {
  readonly id: string;
  readonly chat_id: number;
  readonly message_id: number;
  readonly data: string;
  answered: boolean;
  answer?: { text?: string; show_alert?: boolean };
}

/** Thrown by method handlers; the server turns it into a Bot API error response. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: Json,
  ) {
    super(description);
  }
}

export const badRequest = (what: string): ApiError => new ApiError(400, `Bad Request: ${what}`);
