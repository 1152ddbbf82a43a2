import type { MessageEntity } from "grammy/types";
import type { RenderedText } from "./types";
import { sortEntities } from "./utf16";

// HTML's whitespace: NBSP and other Unicode spaces are content, not layout.
const WHITESPACE = /[ \t\n\r\f]/;
const WHITESPACE_RUNS = /[ \t\n\r\f]+/g;
const NBSP = "\u00a0";

type EntityFields =
  | { type: MessageEntity.CommonMessageEntity["type"] }
  | { type: "pre"; language?: string }
  | { type: "text_link"; url: string };

/**
 * Accumulates plain text and entities while the markdown walker visits tokens.
 *
 * Outside code it collapses whitespace the way an HTML renderer does (a run of spaces or
 * newlines becomes one space, dropped at line starts and line ends), so a paragraph's
 * soft line breaks read as spaces; only explicit breaks produce newlines. Offsets are
 * JS string indices, which are UTF-16 code units, exactly what Telegram counts.
 */
export class TextWriter {
  private text = "";
  private readonly entities: MessageEntity[] = [];
  /** A collapsed run of whitespace waiting to become one space before the next content. */
  private pendingSpace = false;
  private atLineStart = true;
  /** Newlines at the end of `text`, to join blocks with exactly one or two. */
  private trailingNewlines = 0;
  /**
   * The last code unit written. Kept apart because reading `text` back would flatten the
   * engine's rope string on every call, turning rendering quadratic.
   */
  private lastCode = 0;
  /** Written at the start of each content line: NBSP indentation of nested list items. */
  indent = "";
  /** > 0 inside an h1: text is upper-cased as it is written. */
  upper = 0;

  /** Start a new block: `gap` 1 puts it on the next line, 2 leaves a blank line between. */
  block(gap: 1 | 2): void {
    this.pendingSpace = false;
    if (this.text.length === 0) return;
    while (this.trailingNewlines < gap) this.newline();
  }

  /** A hard line break (`"  \n"`, `"\\\n"`, or a line inside a literal block). */
  newline(): void {
    this.text += "\n";
    this.lastCode = 10;
    this.trailingNewlines++;
    this.pendingSpace = false;
    this.atLineStart = true;
  }

  /** Running text: whitespace collapses. */
  inline(s: string): void {
    if (!WHITESPACE.test(s)) {
      this.content(s);
      return;
    }
    const collapsed = s.replace(WHITESPACE_RUNS, " ");
    const start = collapsed.charCodeAt(0) === 32 ? 1 : 0;
    const trailing = collapsed.length > start && collapsed.charCodeAt(collapsed.length - 1) === 32;
    if (start === 1) this.pendingSpace = true;
    const end = trailing ? collapsed.length - 1 : collapsed.length;
    if (end > start) this.content(collapsed.slice(start, end));
    if (trailing) this.pendingSpace = true;
  }

  /** Text written as is, apart from what the caller already normalised (code spans, markers). */
  literal(s: string): void {
    if (s.length === 0) return;
    this.prepare();
    this.append(s);
  }

  /**
   * Multi-line text kept verbatim (code blocks, raw HTML blocks, tables). Lines are not
   * indented, so code copied from a nested list item is exactly what the agent wrote.
   */
  verbatim(s: string): void {
    if (s.length === 0) return;
    this.pendingSpace = false;
    this.append(s);
    this.atLineStart = s.endsWith("\n");
  }

  /** Begin an entity at the current position; pass the result to `close`. */
  open(): number {
    this.prepare();
    return this.text.length;
  }

  /** End an entity begun with `open`; empty entities are dropped. */
  close(start: number, fields: EntityFields): void {
    const length = this.text.length - start;
    if (length > 0) this.entities.push({ ...fields, offset: start, length });
  }

  /** The start of a literal block: no indentation, no pending space. */
  openVerbatim(): number {
    this.pendingSpace = false;
    return this.text.length;
  }

  /** Trailing whitespace is dropped (Telegram trims it anyway) and entities clamped to match. */
  finish(): RenderedText {
    const text = this.text.trimEnd();
    const entities: MessageEntity[] = [];
    for (const e of this.entities) {
      if (e.offset >= text.length) continue;
      const end = Math.min(e.offset + e.length, text.length);
      entities.push(end === e.offset + e.length ? e : { ...e, length: end - e.offset });
    }
    return { text, entities: sortEntities(entities) };
  }

  private content(s: string): void {
    this.prepare();
    this.append(this.upper > 0 ? s.toUpperCase() : s);
  }

  /** Emit what must precede content: the indentation of a new line or one collapsed space. */
  private prepare(): void {
    if (this.atLineStart) {
      if (this.indent) this.append(this.indent);
      this.atLineStart = false;
      this.pendingSpace = false;
      return;
    }
    if (this.pendingSpace) {
      if (this.lastCode !== 32) this.append(" ");
      this.pendingSpace = false;
    }
  }

  private append(s: string): void {
    this.text += s;
    this.lastCode = s.charCodeAt(s.length - 1);
    let n = 0;
    while (n < s.length && s.charCodeAt(s.length - 1 - n) === 10) n++;
    this.trailingNewlines = n === s.length ? this.trailingNewlines + n : n;
  }
}

/** NBSP indentation: Telegram clients keep it, where leading plain spaces may be dropped. */
export function nbspIndent(width: number): string {
  return NBSP.repeat(width);
}
