import type { EngineId, ResumeToken } from "../model";

export interface ResumeCodec {
  format(token: ResumeToken): string;
  /** The last resume line of this engine in `text`, if any. */
  extract(text: string): ResumeToken | undefined;
  isLine(line: string): boolean;
}

/**
 * A resume-line codec from the engine's line pattern (one capture group: the
 * token). Resume lines are pasted between chats and terminals, so each engine's
 * pattern matches the original's byte for byte; the last match in a text wins.
 */
export function resumeCodec(
  engine: EngineId,
  pattern: string,
  format: (value: string) => string,
): ResumeCodec {
  const line = new RegExp(pattern, "im");
  const all = new RegExp(pattern, "gim");
  return {
    format: (token) => `\`${format(token.value)}\``,
    extract(text) {
      let value: string | undefined;
      for (const m of text.matchAll(all)) value = m[1];
      return value === undefined ? undefined : { engine, value };
    },
    isLine: (text) => line.test(text),
  };
}
