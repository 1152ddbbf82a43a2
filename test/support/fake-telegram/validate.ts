import type { InlineKeyboardMarkup, MessageEntity } from "grammy/types";
import { badRequest } from "./types";

/** Telegram's limit, counted in UTF-16 code units (JS string length). */
export const MAX_TEXT = 4096;

const ENTITY_TYPES = new Set([
  "mention",
  "hashtag",
  "cashtag",
  "bot_command",
  "url",
  "email",
  "phone_number",
  "bold",
  "italic",
  "underline",
  "strikethrough",
  "spoiler",
  "blockquote",
  "expandable_blockquote",
  "code",
  "pre",
  "text_link",
  "text_mention",
  "custom_emoji",
  "date_time",
]);

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** True when a boundary at `i` would cut a surrogate pair in half. */
function splitsPair(text: string, i: number): boolean {
  return i > 0 && i < text.length && isHigh(text.charCodeAt(i - 1)) && isLow(text.charCodeAt(i));
}

function validUrl(url: string): boolean {
  if (/^tg:\/\/\S+/.test(url)) return true;
  try {
    const u = new URL(url);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname.length > 0;
  } catch {
    return false;
  }
}

export function validateText(text: string | undefined): string {
  if (text === undefined || text.trim() === "") throw badRequest("message text is empty");
  if (text.length > MAX_TEXT) throw badRequest("message is too long");
  return text;
}

/**
 * Stricter than Telegram on purpose: Telegram quietly clamps some bad offsets, but an entity
 * outside the text or cutting a surrogate pair is always a bug in our renderer.
 */
export function validateEntities(text: string, value: unknown): MessageEntity[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badRequest("can't parse entities: entities must be an array");
  const out: MessageEntity[] = [];
  for (const [i, raw] of value.entries()) {
    const fail = (why: string) => badRequest(`can't parse entities: entity ${i}: ${why}`);
    if (!raw || typeof raw !== "object") throw fail("not an object");
    const e = raw as Record<string, unknown>;
    const { type, offset, length } = e;
    if (typeof type !== "string" || !ENTITY_TYPES.has(type)) throw fail(`unsupported type ${String(type)}`);
    if (!Number.isInteger(offset) || (offset as number) < 0) throw fail(`bad offset ${String(offset)}`);
    if (!Number.isInteger(length) || (length as number) < 1) throw fail(`bad length ${String(length)}`);
    const start = offset as number;
    const end = start + (length as number);
    if (end > text.length) throw fail(`ends at ${end}, beyond the text (length ${text.length})`);
    if (splitsPair(text, start) || splitsPair(text, end)) throw fail("cuts a surrogate pair");
    if (type === "text_link" && (typeof e.url !== "string" || !validUrl(e.url))) {
      throw badRequest(`can't parse entities: entity ${i}: wrong HTTP URL ${String(e.url)}`);
    }
    if (type === "pre" && e.language !== undefined && typeof e.language !== "string")
      throw fail("bad language");
    if (type === "custom_emoji" && typeof e.custom_emoji_id !== "string")
      throw fail("custom_emoji_id missing");
    if (type === "text_mention" && (typeof e.user !== "object" || e.user === null))
      throw fail("user missing");
    out.push(e as unknown as MessageEntity);
  }
  return out;
}

/** Only inline keyboards are modelled; an empty keyboard means "no keyboard". */
export function validateMarkup(value: unknown): InlineKeyboardMarkup | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object") throw badRequest("can't parse reply keyboard markup JSON object");
  const rows = (value as Record<string, unknown>).inline_keyboard;
  if (!Array.isArray(rows)) throw badRequest("can't parse inline keyboard markup: inline_keyboard missing");
  for (const row of rows) {
    if (!Array.isArray(row)) throw badRequest("can't parse inline keyboard button: row must be an array");
    for (const b of row) {
      const btn = b as Record<string, unknown>;
      if (!btn || typeof btn.text !== "string" || btn.text === "") throw badRequest("BUTTON_TEXT_EMPTY");
      const data = btn.callback_data;
      if (data !== undefined && (typeof data !== "string" || new TextEncoder().encode(data).length > 64)) {
        throw badRequest("BUTTON_DATA_INVALID");
      }
      if (data === undefined && typeof btn.url !== "string") {
        throw badRequest("can't parse inline keyboard button: button has no action");
      }
    }
  }
  const hasButtons = rows.some((r) => (r as unknown[]).length > 0);
  return hasButtons ? (value as InlineKeyboardMarkup) : undefined;
}

/** JSON with sorted keys, so key order does not make two equal values differ. */
function canon(v: unknown): string {
  return JSON.stringify(v ?? null, (_k, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );
}

/** Telegram compares text, entities and keyboard when deciding "message is not modified". */
export function sameContent(
  a: { text: string; entities: readonly MessageEntity[]; reply_markup?: InlineKeyboardMarkup },
  b: { text: string; entities: readonly MessageEntity[]; reply_markup?: InlineKeyboardMarkup },
): boolean {
  return (
    a.text === b.text &&
    canon(a.entities) === canon(b.entities) &&
    canon(a.reply_markup) === canon(b.reply_markup)
  );
}
