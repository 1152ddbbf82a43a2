import type { ResumeToken } from "../../model";

/**
 * The opencode resume line, `` `opencode --session ses_…` ``. Users paste it
 * between chats and terminals, so the format and the pattern match the original
 * byte for byte: `opencode run --session …` and `-s` are accepted too.
 */

const ENGINE = "opencode";
const PATTERN = "^\\s*`?opencode(?:\\s+run)?\\s+(?:--session|-s)\\s+(ses_[A-Za-z0-9]+)`?\\s*$";
const LINE = new RegExp(PATTERN, "im");
const ALL = new RegExp(PATTERN, "gim");

export function formatOpencodeResume(token: ResumeToken): string {
  return `\`opencode --session ${token.value}\``;
}

/** The last opencode resume line in `text`, if any. */
export function extractOpencodeResume(text: string): ResumeToken | undefined {
  let value: string | undefined;
  for (const m of text.matchAll(ALL)) value = m[1];
  return value === undefined ? undefined : { engine: ENGINE, value };
}

export function isOpencodeResumeLine(line: string): boolean {
  return LINE.test(line);
}
