import type { ResumeToken } from "../../model";
import { resumeCodec } from "../resume-line";

/** The codex resume line, `` `codex resume <id>` ``. */
const PATTERN = "^\\s*`?codex\\s+resume\\s+([^`\\s]+)`?\\s*$";

const codec = resumeCodec("codex", PATTERN, (id) => `codex resume ${id}`);

export function formatCodexResume(token: ResumeToken): string {
  return codec.format(token);
}

/** The last codex resume line in `text`, if any. */
export function extractCodexResume(text: string): ResumeToken | undefined {
  return codec.extract(text);
}

export function isCodexResumeLine(line: string): boolean {
  return codec.isLine(line);
}
