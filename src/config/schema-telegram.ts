import { z } from "zod";
import { boolean, choice, doc, float, integer, intList, show, text, textList } from "./fields";

export const DEFAULT_API_ROOT = "https://api.telegram.org";
export const DEFAULT_DENY_GLOBS: readonly string[] = [".git/**", ".env", ".envrc", "*.pem", ".ssh/**"];

/** An http(s) base URL; trailing slashes are dropped so `${root}/bot…` is always right. */
function apiRoot() {
  return z.unknown().transform((value, ctx): string => {
    const raw = typeof value === "string" ? value.trim() : undefined;
    let url: URL | undefined;
    try {
      url = raw ? new URL(raw) : undefined;
    } catch {
      url = undefined;
    }
    if (!raw || !url || (url.protocol !== "http:" && url.protocol !== "https:") || url.search || url.hash) {
      ctx.addIssue({
        code: "custom",
        message: `expected an http(s) URL such as "${DEFAULT_API_ROOT}", got ${show(value)}`,
        input: value,
      });
      return z.NEVER as never;
    }
    return raw.replace(/\/+$/, "");
  });
}

/** A path that must stay inside the project (uploads land under it). */
function relativePath() {
  return z.unknown().transform((value, ctx): string => {
    const raw = typeof value === "string" ? value.trim() : "";
    if (raw === "") {
      ctx.addIssue({
        code: "custom",
        message: `expected a non-empty relative path, got ${show(value)}`,
        input: value,
      });
      return z.NEVER as never;
    }
    if (raw.startsWith("/") || raw.startsWith("~") || /^[A-Za-z]:[\\/]/.test(raw)) {
      ctx.addIssue({ code: "custom", message: `must be a relative path, got ${show(value)}`, input: value });
      return z.NEVER as never;
    }
    return raw;
  });
}

export const TelegramTopicsSchema = z.strictObject({
  enabled: doc(
    boolean().default(false),
    "boolean",
    "Run each thread in its own forum topic (the chat must be a forum supergroup where the bot can manage topics).",
  ),
  scope: doc(
    choice(["auto", "main", "projects", "all"]).default("auto"),
    '"auto" | "main" | "projects" | "all"',
    'Which chats use topics: "main" = transports.telegram.chat_id, "projects" = the projects\' chat_id values, "all" = both, "auto" = "projects" if any project has a chat_id, else "main".',
  ),
});

export const TelegramFilesSchema = z.strictObject({
  enabled: doc(
    boolean().default(false),
    "boolean",
    "Allow `/file put` and `/file get` and uploads of documents/photos into the project.",
  ),
  auto_put: doc(
    boolean().default(true),
    "boolean",
    "Save a document sent without a `/file` command automatically.",
  ),
  auto_put_mode: doc(
    choice(["upload", "prompt"]).default("upload"),
    '"upload" | "prompt"',
    'After an automatic save: "upload" only saves the file; "prompt" also starts a run with the caption as the prompt.',
  ),
  uploads_dir: doc(
    relativePath().default("incoming"),
    "relative path",
    "Where uploads without an explicit destination go, relative to the project (or worktree) root.",
  ),
  allowed_user_ids: doc(
    intList().default([]),
    "integer[]",
    "Telegram user ids allowed to transfer files; empty = anyone allowed to talk to the bot.",
  ),
  deny_globs: doc(
    textList().default([...DEFAULT_DENY_GLOBS]),
    "string[]",
    "Paths that can never be read or written, matched from the right (`.env` also denies `sub/.env`). Any path inside `.git` is always denied.",
  ),
});

export const TelegramSchema = z.strictObject({
  bot_token: doc(
    text({ nonEmpty: true }),
    "string (required)",
    "Bot token from @BotFather. Never logged; the file is written with mode 0600.",
  ),
  chat_id: doc(
    integer({ coerceString: true }),
    "integer (required)",
    "The main chat the bot serves. A numeric string is accepted and stored as an integer.",
  ),
  api_root: doc(
    apiRoot().default(DEFAULT_API_ROOT),
    "http(s) URL",
    "Bot API base URL, for a self-hosted Bot API server. A trailing slash is removed.",
  ),
  allowed_user_ids: doc(
    intList().default([]),
    "integer[]",
    "Only these Telegram users may use the bot (their private chats are allowed too); empty = anyone in the configured chats.",
  ),
  message_overflow: doc(
    choice(["trim", "split"]).default("trim"),
    '"trim" | "split"',
    'A final answer longer than one Telegram message is "trim"med or "split" into several messages.',
  ),
  voice_transcription: doc(
    boolean().default(false),
    "boolean",
    "Transcribe voice notes and run them as prompts.",
  ),
  voice_max_bytes: doc(
    integer({ min: 0 }).default(10_485_760),
    "integer",
    "Largest voice note (bytes) that is transcribed.",
  ),
  voice_transcription_model: doc(
    text({ nonEmpty: true }).default("gpt-4o-mini-transcribe"),
    "string",
    "Transcription model name.",
  ),
  voice_transcription_base_url: doc(
    text({ nonEmpty: true }).optional(),
    "string",
    "OpenAI-compatible API base URL for transcription; unset = $OPENAI_BASE_URL or OpenAI.",
    "none",
  ),
  voice_transcription_api_key: doc(
    text({ nonEmpty: true }).optional(),
    "string",
    "API key for transcription; unset = $OPENAI_API_KEY.",
    "none",
  ),
  session_mode: doc(
    choice(["stateless", "chat"]).default("stateless"),
    '"stateless" | "chat"',
    '"stateless": every message starts a new thread unless it replies to one; "chat": a chat (or topic) continues its last thread until /new.',
  ),
  show_resume_line: doc(
    boolean().default(true),
    "boolean",
    "Show the resume line (e.g. `codex resume <id>`) under final answers.",
  ),
  forward_coalesce_s: doc(
    float({ min: 0 }).default(1.0),
    "number ≥ 0",
    "Seconds to wait for forwarded messages that follow a prompt, so they are sent together.",
  ),
  media_group_debounce_s: doc(
    float({ min: 0 }).default(1.0),
    "number ≥ 0",
    "Seconds to wait for the rest of an album (media group) before handling it.",
  ),
  topics: doc(TelegramTopicsSchema.prefault({}), "table", "Forum topics: one thread per topic."),
  files: doc(
    TelegramFilesSchema.prefault({}),
    "table",
    "File transfer between the chat and the project (`/file`).",
  ),
});

export type TelegramTopicsConfig = z.infer<typeof TelegramTopicsSchema>;
export type TelegramFilesConfig = z.infer<typeof TelegramFilesSchema>;
export type TelegramConfig = z.infer<typeof TelegramSchema>;
