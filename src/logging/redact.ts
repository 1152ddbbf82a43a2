// Bot tokens look like `123456789:AAH…`. They appear in Bot API URLs as `bot<token>`.
const BOT_URL_TOKEN = /bot\d+:[A-Za-z0-9_-]+/g;
const BARE_TOKEN = /\b\d+:[A-Za-z0-9_-]{10,}\b/g;

/** Removes anything shaped like a Telegram bot token. Cheap when there is nothing to redact. */
export function redact(text: string): string {
  if (!text.includes(":")) return text;
  return text.replace(BOT_URL_TOKEN, "bot[REDACTED]").replace(BARE_TOKEN, "[REDACTED_TOKEN]");
}
