import type { ResumeToken } from "../../model";
import { resumeCodec } from "../resume-line";

/** The claude resume line, `` `claude --resume <id>` ``; `-r` is accepted when reading. */
const PATTERN = "^\\s*`?claude\\s+(?:--resume|-r)\\s+([^`\\s]+)`?\\s*$";

const codec = resumeCodec("claude", PATTERN, (id) => `claude --resume ${id}`);

export function formatClaudeResume(token: ResumeToken): string {
  return codec.format(token);
}

/** The last claude resume line in `text`, if any. */
export function extractClaudeResume(text: string): ResumeToken | undefined {
  return codec.extract(text);
}

export function isClaudeResumeLine(line: string): boolean {
  return codec.isLine(line);
}
