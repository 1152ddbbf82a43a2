import type { ResumeToken } from "../../model";

/**
 * The codex resume line, `` `codex resume <id>` ``. Users paste it between chats
 * and terminals, so the format and the pattern match the original byte for byte.
 */

const ENGINE = "codex";
const PATTERN = "^\\s*`?codex\\s+resume\\s+([^`\\s]+)`?\\s*$";
const LINE = new RegExp(PATTERN, "im");
const ALL = new RegExp(PATTERN, "gim");

export function formatCodexResume(token: ResumeToken): string {
  return `\`codex resume ${token.value}\``;
}

/** The last codex resume line in `text`, if any. */
export function extractCodexResume(text: string): ResumeToken | undefined {
  let value: string | undefined;
  for (const m of text.matchAll(ALL)) value = m[1];
  return value === undefined ? undefined : { engine: ENGINE, value };
}

export function isCodexResumeLine(line: string): boolean {
  return LINE.test(line);
}
