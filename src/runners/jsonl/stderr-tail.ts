import { redact } from "../../logging/redact";

/** Keeps only the last `limit` characters of a stream, for error messages. */
export class StderrTail {
  #chunks: string[] = [];
  #size = 0;

  constructor(private readonly limit = 64 * 1024) {}

  push(chunk: string): void {
    if (chunk.length >= this.limit) {
      this.#chunks = [chunk.slice(chunk.length - this.limit)];
      this.#size = this.limit;
      return;
    }
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    while (this.#size > this.limit) {
      const first = this.#chunks[0] ?? "";
      const excess = this.#size - this.limit;
      if (first.length <= excess) {
        this.#chunks.shift();
        this.#size -= first.length;
      } else {
        this.#chunks[0] = first.slice(excess);
        this.#size -= excess;
      }
    }
  }

  text(): string {
    return this.#chunks.join("");
  }
}

// CSI and OSC escape sequences: CLIs colour their stderr even when piped.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ESC is the point
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

/**
 * The last few non-empty lines of `text`, without colour codes, redacted and cut to
 * about `maxChars` (keeping the end, where the actual error usually is).
 */
export function summarizeStderr(text: string, maxLines = 5, maxChars = 500): string {
  if (text === "") return "";
  const lines: string[] = [];
  let end = text.length;
  while (end > 0 && lines.length < maxLines) {
    const start = text.lastIndexOf("\n", end - 1);
    const line = text
      .slice(start + 1, end)
      .replace(ANSI, "")
      .trim();
    if (line !== "") lines.unshift(line);
    if (start === -1) break;
    end = start;
  }
  const summary = redact(lines.join("\n"));
  return summary.length <= maxChars ? summary : `…${summary.slice(summary.length - maxChars + 1)}`;
}
