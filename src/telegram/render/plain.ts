import type { RenderedText } from "./types";

// One line with none of the characters that could start markdown syntax. Headers such as
// "working · codex · 1m 02s · step 3" change on every edit (the elapsed time) and are
// like this, so they skip the lexer. Bare URLs need "://", "www." or "@" to autolink.
const SPECIAL = /[\n\r`*_~[\]<>!#|&\\@]|:\/\/|www\./;
const BLOCK_START = /^[ \t]*(?:[-+=]|\d{1,9}[.)])|^ {0,3}\t|^ {4}/;
const WHITESPACE_RUNS = /[ \t\f]+/g;

/** The rendering of `md` if it is a plain line of text, else undefined (use the lexer). */
export function renderPlainLine(md: string): RenderedText | undefined {
  if (SPECIAL.test(md) || BLOCK_START.test(md)) return undefined;
  // Like the lexer path: ASCII whitespace collapses and leaves the line start; at the
  // end all whitespace goes (TextWriter.finish). NBSP and friends at the start stay.
  const collapsed = md.replace(WHITESPACE_RUNS, " ");
  return { text: (collapsed.startsWith(" ") ? collapsed.slice(1) : collapsed).trimEnd(), entities: [] };
}
