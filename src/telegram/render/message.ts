import type { RenderedParts } from "../../transport";
import { renderCached } from "./cache";
import { renderMarkdown } from "./markdown";
import { MIN_SPLIT_LIMIT, splitBody } from "./split";
import { BODY_LIMIT, MAX_ENTITIES, MESSAGE_LIMIT, type RenderedText } from "./types";
import { hardCut, joinRendered, safeCut } from "./utf16";

// Header, body and footer are rendered separately and joined with a blank line. Rendering
// them as one document would let a body cut mid-fence swallow the footer into its code
// block; apart they cannot interfere, so the ctx and resume lines always come out intact.

/**
 * Header, body and footer joined into one message. Past Telegram's entity cap the body
 * gives up its last entities (formatting only, never text) so header and footer keep theirs.
 */
function assemble(header: RenderedText, body: RenderedText, footer: RenderedText): RenderedText {
  const spare = MAX_ENTITIES - header.entities.length - footer.entities.length;
  if (body.entities.length > spare)
    body = { text: body.text, entities: body.entities.slice(0, Math.max(0, spare)) };
  return joinRendered([header, body, footer]);
}

/** Cut raw markdown to `limit` UTF-16 units, the last one being "…". */
export function trimBody(body: string, limit: number): string {
  if (body.length <= limit) return body;
  if (limit <= 0) return "";
  return `${body.slice(0, safeCut(body, limit - 1))}…`;
}

/**
 * One message: header, body and footer, with only the body cut to fit (progress messages,
 * and final answers when `message_overflow = "trim"`).
 */
export function renderTrimmed(parts: RenderedParts): RenderedText {
  const header = renderCached(parts.header);
  const footer = renderCached(parts.footer);
  const budget = Math.min(parts.body.length, BODY_LIMIT);
  const first = assemble(header, renderCached(trimBody(parts.body, budget)), footer);
  if (first.text.length <= MESSAGE_LIMIT) return first;

  // Rendering grew past Telegram's limit (padded tables, long list indentation, ß → SS in
  // an h1): find the longest body cut that fits. Rare, so a binary search is fine.
  const frame = joinRendered([header, footer]);
  if (frame.text.length > MESSAGE_LIMIT) return hardCut(frame, MESSAGE_LIMIT);
  let best = frame;
  let lo = 1;
  let hi = budget - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const candidate = assemble(header, renderMarkdown(trimBody(parts.body, mid)), footer);
    if (candidate.text.length <= MESSAGE_LIMIT) {
      best = candidate;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

/** The header of chunk `index` (1-based) of `count`; the first keeps the plain header. */
export function continuedHeader(header: string, index: number, count: number): string {
  if (index <= 1) return header;
  const note = `continued (${index}/${count})`;
  return header.trim().length > 0 ? `${header} · ${note}` : note;
}

/**
 * Final answers when `message_overflow = "split"`: the body spread over as many messages
 * as needed, each with the footer, the later ones headed "<header> · continued (i/N)".
 * A body that fits gives exactly one message, with the plain header.
 */
export function renderSplit(parts: RenderedParts): RenderedText[] {
  const header = renderCached(parts.header);
  const footer = renderCached(parts.footer);
  let limit = BODY_LIMIT;
  for (;;) {
    const chunks = splitBody(parts.body, limit);
    const count = chunks.length;
    let overflow = 0;
    const out = chunks.map((chunk, i) => {
      const head = i === 0 ? header : renderMarkdown(continuedHeader(parts.header, i + 1, count));
      const body = renderMarkdown(chunk.prefix + chunk.content + chunk.suffix);
      const message = assemble(head, body, footer);
      overflow = Math.max(overflow, message.text.length - MESSAGE_LIMIT);
      return message;
    });
    if (overflow <= 0) return out;
    // Some chunk rendered too long: split finer. At the floor, the header and footer
    // themselves must be huge, and cutting the rendered text is all that is left.
    if (limit === MIN_SPLIT_LIMIT) return out.map((m) => hardCut(m, MESSAGE_LIMIT));
    limit = Math.max(MIN_SPLIT_LIMIT, limit - overflow - 16);
  }
}
