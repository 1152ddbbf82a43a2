import type { ResumeToken } from "../../model";

/**
 * The pi resume line, `` `pi --session <token>` ``. The token is the full session
 * id (decision 13); older lines carry an 8-character prefix or a session file
 * path, and are still accepted. A token with whitespace or `"` is written in
 * double quotes with inner `"` escaped; single or double quotes around a pasted
 * token are removed.
 */

const ENGINE = "pi";
const PATTERN = "^\\s*`?pi\\s+--session\\s+(.+?)`?\\s*$";
const LINE = new RegExp(PATTERN, "im");
const ALL = new RegExp(PATTERN, "gim");

export function formatPiResume(token: ResumeToken): string {
  return `\`pi --session ${quoteToken(token.value)}\``;
}

/** The last pi resume line in `text`, if any. */
export function extractPiResume(text: string): ResumeToken | undefined {
  let value: string | undefined;
  for (const m of text.matchAll(ALL)) {
    const token = unquoteToken(m[1] ?? "");
    if (token) value = token;
  }
  return value === undefined ? undefined : { engine: ENGINE, value };
}

export function isPiResumeLine(line: string): boolean {
  return LINE.test(line);
}

export function quoteToken(token: string): string {
  if (token === "" || !/[\s"]/.test(token)) return token;
  return `"${token.replaceAll('"', '\\"')}"`;
}

/** Inverse of {@link quoteToken}; also strips the single quotes a shell user might add. */
export function unquoteToken(raw: string): string {
  const token = raw.trim();
  if (token.length < 2) return token;
  const quote = token[0];
  if ((quote !== '"' && quote !== "'") || token[token.length - 1] !== quote) return token;
  const inner = token.slice(1, -1);
  return quote === '"' ? inner.replaceAll('\\"', '"') : inner;
}
