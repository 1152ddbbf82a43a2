import type { ResumeToken } from "../../model";
import { resumeCodec } from "../resume-line";

/** The opencode resume line, `` `opencode --session ses_…` ``; `opencode run --session …` and `-s` are accepted when reading. */
const PATTERN = "^\\s*`?opencode(?:\\s+run)?\\s+(?:--session|-s)\\s+(ses_[A-Za-z0-9]+)`?\\s*$";

const codec = resumeCodec("opencode", PATTERN, (id) => `opencode --session ${id}`);

export function formatOpencodeResume(token: ResumeToken): string {
  return codec.format(token);
}

/** The last opencode resume line in `text`, if any. */
export function extractOpencodeResume(text: string): ResumeToken | undefined {
  return codec.extract(text);
}

export function isOpencodeResumeLine(line: string): boolean {
  return codec.isLine(line);
}
