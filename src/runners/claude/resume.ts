import type { ResumeToken } from "../../model";

/**
 * The claude resume line, `` `claude --resume <id>` ``; `-r` is accepted when
 * reading. Same format and pattern as the original, byte for byte.
 */

const ENGINE = "claude";
const PATTERN = "^\\s*`?claude\\s+(?:--resume|-r)\\s+([^`\\s]+)`?\\s*$";
const LINE = new RegExp(PATTERN, "im");
const ALL = new RegExp(PATTERN, "gim");

export function formatClaudeResume(token: ResumeToken): string {
  return `\`claude --resume ${token.value}\``;
}

/** The last claude resume line in `text`, if any. */
export function extractClaudeResume(text: string): ResumeToken | undefined {
  let value: string | undefined;
  for (const m of text.matchAll(ALL)) value = m[1];
  return value === undefined ? undefined : { engine: ENGINE, value };
}

export function isClaudeResumeLine(line: string): boolean {
  return LINE.test(line);
}
