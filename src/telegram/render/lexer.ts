import { Lexer, type MarkedOptions, type Token, Tokenizer, type Tokens } from "marked";

const BLANK_LINE = /\n[ \t]*(?:\n|$)/;
const SETEXT_UNDERLINE = /\n {0,3}(?:=+|-+)[ \t]*(?:\n|$)/;

/**
 * marked's setext-heading rule ("Title\n=====") is tried before every paragraph, and in
 * Bun its regex runs in time that explodes past a few thousand characters of paragraph
 * (measured: 1 ms at 4,000 chars, 500 ms at 6,000, 1.5 s at 16,000). An underline line
 * before the paragraph's first blank line is required for a match, so look for one
 * cheaply first and skip the regex when there is none. (A single line of more than
 * ~5,000 characters directly above a "---" is still slow; trim and split never lex
 * more than ~3,600 characters at once, so messages are not affected.)
 */
class GuardedTokenizer extends Tokenizer {
  override lheading(src: string): Tokens.Heading | undefined {
    const blank = BLANK_LINE.exec(src);
    const paragraph = blank ? src.slice(0, blank.index + 1) : src;
    return SETEXT_UNDERLINE.test(paragraph) ? super.lheading(src) : undefined;
  }
}

const OPTIONS: MarkedOptions = { gfm: true, tokenizer: new GuardedTokenizer() };

/** marked's block and inline token tree for `src` (GitHub-flavoured markdown). */
export function lexMarkdown(src: string): Token[] {
  return new Lexer(OPTIONS).lex(src);
}
