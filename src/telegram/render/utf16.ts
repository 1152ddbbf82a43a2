import type { MessageEntity } from "grammy/types";
import type { RenderedText } from "./types";

export function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** The largest index ≤ `at` that does not fall between the two halves of a surrogate pair. */
export function safeCut(s: string, at: number): number {
  if (at <= 0) return 0;
  if (at >= s.length) return s.length;
  return isHighSurrogate(s.charCodeAt(at - 1)) && isLowSurrogate(s.charCodeAt(at)) ? at - 1 : at;
}

/** Keep only entities inside `[0, length)`, shortening those that cross the end. */
export function clampEntities(entities: readonly MessageEntity[], length: number): MessageEntity[] {
  const out: MessageEntity[] = [];
  for (const e of entities) {
    if (e.offset >= length || e.length <= 0) continue;
    out.push(e.offset + e.length > length ? { ...e, length: length - e.offset } : e);
  }
  return out;
}

/**
 * Outer entities first, so they read in nesting order. `entities` must be in closing
 * order (inner before outer): reversing it first makes the stable sort put the outer
 * of two equal ranges (a quote holding only bold text) first.
 */
export function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.reverse().sort((a, b) => a.offset - b.offset || b.length - a.length);
}

/** Join rendered pieces with a blank line, skipping empty ones and shifting entity offsets. */
export function joinRendered(pieces: readonly RenderedText[]): RenderedText {
  let text = "";
  const entities: MessageEntity[] = [];
  for (const piece of pieces) {
    if (piece.text.length === 0) continue;
    if (text.length > 0) text += "\n\n";
    const shift = text.length;
    for (const e of piece.entities) entities.push(shift === 0 ? e : { ...e, offset: e.offset + shift });
    text += piece.text;
  }
  return { text, entities };
}

/** Last resort when even header and footer do not fit: cut the rendered text itself. */
export function hardCut(rendered: RenderedText, limit: number): RenderedText {
  if (rendered.text.length <= limit) return rendered;
  const text = rendered.text.slice(0, safeCut(rendered.text, limit));
  return { text, entities: clampEntities(rendered.entities, text.length) };
}
