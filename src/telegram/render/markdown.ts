import type { MarkedToken, Token, Tokens } from "marked";
import { decodeEntities } from "./html-entities";
import { lexMarkdown } from "./lexer";
import { linkTarget } from "./links";
import { nestBulletsUnderNumbers } from "./nested-lists";
import { renderPlainLine } from "./plain";
import { layoutTable } from "./table";
import type { RenderedText } from "./types";
import { nbspIndent, TextWriter } from "./writer";

const RULE = "⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯";
const IMAGE = "🖼️";

/**
 * Markdown → Telegram plain text + entities (never HTML, never `parse_mode`).
 *
 * We walk marked's token tree ourselves and write text with a `TextWriter`, so every
 * entity offset is exact in UTF-16 code units. Nesting follows Telegram's rules: nothing
 * inside `code`/`pre`, no `code` inside a `text_link`, no blockquote inside a blockquote.
 */
export function renderMarkdown(md: string): RenderedText {
  // A lone surrogate cannot be sent to Telegram and would confuse entity boundaries.
  const source = md.isWellFormed() ? md : md.toWellFormed();
  return renderPlainLine(source) ?? renderWithLexer(source);
}

/** `renderMarkdown` without the plain-line shortcut (exported to test the two agree). */
export function renderWithLexer(source: string): RenderedText {
  if (source.trim().length === 0) return { text: "", entities: [] };
  let tokens: Token[];
  try {
    tokens = lexMarkdown(nestBulletsUnderNumbers(source));
  } catch {
    // marked should not throw, but if it does the user still gets the words.
    return { text: source.trimEnd(), entities: [] };
  }
  const walker = new Walker();
  walker.blocks(tokens, 2);
  return walker.out.finish();
}

class Walker {
  readonly out = new TextWriter();
  private linkDepth = 0;
  private quoteDepth = 0;

  /** Block tokens, separated by a line break (`gap` 1) or a blank line (`gap` 2). */
  blocks(tokens: readonly Token[], gap: 1 | 2, first = false): void {
    let leading = first;
    for (const token of tokens) {
      if (token.type === "space" || token.type === "def") continue;
      if (!leading) this.out.block(gap);
      leading = false;
      this.block(token);
    }
  }

  private block(token: Token): void {
    const t = token as MarkedToken;
    switch (t.type) {
      case "paragraph":
        this.inlines(t.tokens);
        return;
      case "text":
        // A tight list item's content arrives as a block-level text token.
        if (t.tokens) this.inlines(t.tokens);
        else this.out.inline(decodeEntities(t.text));
        return;
      case "heading":
        this.heading(t);
        return;
      case "code":
        this.code(t.text, t.lang);
        return;
      case "blockquote":
        this.blockquote(t);
        return;
      case "list":
        this.list(t);
        return;
      case "hr":
        this.out.literal(RULE);
        return;
      case "html":
        this.out.verbatim(t.text.replace(/\n+$/, ""));
        return;
      case "table":
        this.table(t);
        return;
      default:
        this.generic(token);
    }
  }

  private heading(t: Tokens.Heading): void {
    const start = this.out.open();
    if (t.depth === 1) this.out.upper++;
    this.inlines(t.tokens);
    if (t.depth === 1) this.out.upper--;
    // Closing order, inner first: bold, underline, italic read outer to inner.
    if (t.depth >= 4) this.out.close(start, { type: "italic" });
    if (t.depth <= 2 || t.depth === 4) this.out.close(start, { type: "underline" });
    if (t.depth <= 3) this.out.close(start, { type: "bold" });
  }

  private code(text: string, info: string | undefined): void {
    const start = this.out.openVerbatim();
    this.out.verbatim(text);
    const language = info?.trim().split(/\s+/, 1)[0];
    this.out.close(start, language ? { type: "pre", language } : { type: "pre" });
  }

  private blockquote(t: Tokens.Blockquote): void {
    const start = this.out.open();
    this.quoteDepth++;
    this.blocks(t.tokens, 2, true);
    this.quoteDepth--;
    // Telegram forbids nested blockquotes: only the outermost becomes an entity.
    if (this.quoteDepth === 0) this.out.close(start, { type: "blockquote" });
  }

  private list(t: Tokens.List): void {
    const gap = t.loose ? 2 : 1;
    const start = typeof t.start === "number" ? t.start : 1;
    const parentIndent = this.out.indent;
    t.items.forEach((item, i) => {
      if (i > 0) this.out.block(gap);
      const marker = t.ordered ? `${start + i}. ` : "- ";
      this.out.literal(marker);
      this.out.indent = parentIndent + nbspIndent(marker.length);
      let tokens = item.tokens;
      const box = tokens[0];
      if (box?.type === "checkbox") {
        this.out.literal((box as Tokens.Checkbox).checked ? "☑ " : "☐ ");
        tokens = tokens.slice(1);
      }
      this.blocks(tokens, gap, true);
      this.out.indent = parentIndent;
    });
  }

  private table(t: Tokens.Table): void {
    const text = layoutTable(
      t.header.map((c) => this.plain(c.tokens)),
      t.rows.map((row) => row.map((c) => this.plain(c.tokens))),
      t.align,
    );
    this.code(text, undefined);
  }

  /** Inline tokens rendered on their own, as plain text (for table cells). */
  private plain(tokens: readonly Token[]): string {
    const walker = new Walker();
    walker.inlines(tokens);
    return walker.out.finish().text;
  }

  inlines(tokens: readonly Token[]): void {
    for (const token of tokens) this.inline(token);
  }

  private inline(token: Token): void {
    const t = token as MarkedToken;
    switch (t.type) {
      case "text":
        if (t.tokens) this.inlines(t.tokens);
        else this.out.inline(decodeEntities(t.text));
        return;
      case "escape":
        this.out.literal(t.text);
        return;
      case "strong":
        this.wrap(t.tokens, "bold");
        return;
      case "em":
        this.wrap(t.tokens, "italic");
        return;
      case "del":
        this.wrap(t.tokens, "strikethrough");
        return;
      case "codespan":
        this.codespan(t.text);
        return;
      case "br":
        this.out.newline();
        return;
      case "link":
        this.link(t);
        return;
      case "image":
        this.image(t);
        return;
      case "html":
        // Raw HTML is shown as typed: Telegram would not interpret it anyway.
        this.out.inline(t.text);
        return;
      case "checkbox":
        this.out.literal(t.checked ? "☑ " : "☐ ");
        return;
      default:
        this.generic(token);
    }
  }

  private wrap(tokens: readonly Token[], type: "bold" | "italic" | "strikethrough"): void {
    const start = this.out.open();
    this.inlines(tokens);
    this.out.close(start, { type });
  }

  private codespan(text: string): void {
    // Inside a link a `code` entity would be invalid nesting; the link wins.
    const start = this.out.open();
    this.out.literal(text.replace(/\n/g, " "));
    if (this.linkDepth === 0) this.out.close(start, { type: "code" });
  }

  private link(t: Tokens.Link): void {
    const url = this.linkDepth === 0 ? linkTarget(t.autolink ? t.href : decodeEntities(t.href)) : undefined;
    if (!url) {
      this.inlines(t.tokens);
      return;
    }
    const start = this.out.open();
    this.linkDepth++;
    this.inlines(t.tokens);
    this.linkDepth--;
    this.out.close(start, { type: "text_link", url });
  }

  private image(t: Tokens.Image): void {
    const url = this.linkDepth === 0 ? linkTarget(decodeEntities(t.href)) : undefined;
    const start = this.out.open();
    this.out.literal(IMAGE);
    this.linkDepth++;
    this.inlines(t.tokens);
    this.linkDepth--;
    if (url) this.out.close(start, { type: "text_link", url });
  }

  /** Tokens from marked extensions we do not know: show their children or their source. */
  private generic(token: Token): void {
    const children = (token as Tokens.Generic).tokens;
    if (children && children.length > 0) this.inlines(children);
    else this.out.inline(token.raw);
  }
}
