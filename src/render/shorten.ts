/**
 * Python's `textwrap.shorten(text, width, placeholder="…")`, which the
 * original used for every action title, reproduced exactly so titles cut at
 * the same place: whitespace is collapsed, the text is cut at a word (or
 * hyphen) boundary and `…` appended; a first word longer than the width
 * leaves just `…`. Lengths count code points, as Python does.
 */

export const TITLE_WIDTH = 300;
const PLACEHOLDER = "…";

// What Python's `str.split()` treats as whitespace.
const PY_SPACE =
  "\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const COLLAPSE = new RegExp(`[${PY_SPACE}]+`, "gu");
const NEEDS_COLLAPSE = new RegExp(
  `^[${PY_SPACE}]|[${PY_SPACE}]$|[${PY_SPACE}]{2}|[^ \\P{White_Space}]|[\\x1c-\\x1f]`,
  "u",
);

// TextWrapper.wordsep_re (break_on_hyphens=True), with Python's Unicode `\w`
// approximated as letters, numbers and `_`.
const WS = "[\\t\\n\\v\\f\\r ]";
const NWS = "[^\\t\\n\\v\\f\\r ]";
const W = "[\\p{L}\\p{N}_]";
const WP = "[\\p{L}\\p{N}_!\"'&.,?]";
const LT = "[\\p{L}\\p{Nl}\\p{No}_]";
const WORDSEP = new RegExp(
  `(${WS}+|(?<=${WP})-{2,}(?=${W})|${NWS}+?(?:-(?:(?<=${LT}{2}-)|(?<=${LT}-${LT}-))(?=${LT}-?${LT})|(?=${WS}|$)|(?<=${WP})(?=-{2,}${W})))`,
  "u",
);

function cpLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

const isBlank = (s: string): boolean => s.trim() === "";

export function collapseWhitespace(text: string): string {
  if (!NEEDS_COLLAPSE.test(text)) return text;
  const spaced = text.replace(COLLAPSE, " ");
  const start = spaced.startsWith(" ") ? 1 : 0;
  const end = spaced.length > start && spaced.endsWith(" ") ? spaced.length - 1 : spaced.length;
  return spaced.slice(start, end);
}

export function shorten(text: string, width: number = TITLE_WIDTH): string {
  if (width <= 0) return "";
  const collapsed = collapseWhitespace(text);
  // Fast path: a UTF-16 length within the width means the code points fit too.
  if (collapsed.length <= width || cpLength(collapsed) <= width) return collapsed;
  // Chunks, reversed so the next one is at the end (as TextWrapper keeps them).
  const chunks = collapsed
    .split(WORDSEP)
    .filter((c) => c !== "")
    .reverse();
  const line: string[] = [];
  let len = 0;
  while (chunks.length > 0) {
    const next = cpLength(chunks[chunks.length - 1]!);
    if (len + next > width) break;
    line.push(chunks.pop()!);
    len += next;
  }
  if (chunks.length > 0 && cpLength(chunks[chunks.length - 1]!) > width) {
    // A word longer than the whole width is broken (at a hyphen if one fits).
    const chunk = Array.from(chunks[chunks.length - 1]!);
    const room = width - len;
    let end = room;
    const hyphen = room > 0 ? chunk.lastIndexOf("-", room - 1) : -1;
    if (hyphen > 0 && chunk.slice(0, hyphen).some((c) => c !== "-")) end = hyphen + 1;
    line.push(chunk.slice(0, end).join(""));
    chunks[chunks.length - 1] = chunk.slice(end).join("");
    len += end;
  }
  if (line.length > 0 && isBlank(line[line.length - 1]!)) len -= cpLength(line.pop()!);
  // Drop words from the end until the placeholder fits after a word.
  while (line.length > 0) {
    const last = line[line.length - 1]!;
    if (!isBlank(last) && len + PLACEHOLDER.length <= width) return line.join("") + PLACEHOLDER;
    len -= cpLength(last);
    line.pop();
  }
  return PLACEHOLDER;
}
