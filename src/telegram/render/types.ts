import type { MessageEntity } from "grammy/types";

/** Plain text plus the entities Telegram should apply to it (offsets in UTF-16 code units). */
export interface RenderedText {
  readonly text: string;
  readonly entities: MessageEntity[];
}

/** Telegram's cap on a message's text, counted in UTF-16 code units after entity parsing. */
export const MESSAGE_LIMIT = 4096;

/**
 * Raw-markdown budget for a message body. It leaves room for the header and footer
 * and for the little growth rendering can add (list indentation, padded tables).
 */
export const BODY_LIMIT = 3500;

/**
 * Telegram applies at most this many entities to a message and silently ignores the
 * rest, so without a cap a long formatted body would strip the footer's formatting.
 */
export const MAX_ENTITIES = 100;
