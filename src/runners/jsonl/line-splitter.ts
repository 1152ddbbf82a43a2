/**
 * Streaming JSONL framing over already-decoded text chunks.
 *
 * Splits on `\n` only: engines put U+2028/U+2029 and lone `\r` inside JSON strings,
 * and readline-style splitters would cut those lines apart. A trailing `\r` is
 * dropped (CRLF output), blank lines are skipped, and the last line is emitted at
 * EOF even without a newline. A line longer than `maxLength` is reported once
 * and discarded as it streams in, so one runaway line cannot exhaust memory.
 */

/** 16 MiB, counted in UTF-16 code units of the decoded text (bytes for ASCII). */
export const MAX_LINE_LENGTH = 16 * 1024 * 1024;

export interface LineSink {
  line(text: string): void;
  /** A line of `length` code units was skipped because it exceeded the limit. */
  oversize(length: number): void;
}

export class LineSplitter {
  // Fragments of the line in progress; joined once when its newline arrives,
  // which keeps long lines spread over many chunks linear rather than quadratic.
  #parts: string[] = [];
  #pending = 0;
  #discarding = false;

  constructor(
    private readonly sink: LineSink,
    private readonly maxLength: number = MAX_LINE_LENGTH,
  ) {}

  push(chunk: string): void {
    let start = 0;
    const size = chunk.length;
    while (start < size) {
      const nl = chunk.indexOf("\n", start);
      if (nl === -1) {
        this.#hold(chunk, start, size);
        return;
      }
      if (this.#discarding) {
        this.#skipped(nl - start);
      } else if (this.#pending === 0) {
        this.#emit(chunk, start, nl);
      } else if (this.#pending + (nl - start) > this.maxLength) {
        this.#skipped(nl - start);
      } else {
        this.#parts.push(chunk.slice(start, nl));
        const line = this.#parts.join("");
        this.#parts.length = 0;
        this.#pending = 0;
        this.#emit(line, 0, line.length);
      }
      start = nl + 1;
    }
  }

  /** End of stream: flush the last line if it had no newline. */
  end(): void {
    if (this.#discarding) {
      this.#skipped(0);
      return;
    }
    if (this.#pending === 0) return;
    const line = this.#parts.join("");
    this.#parts.length = 0;
    this.#pending = 0;
    this.#emit(line, 0, line.length);
  }

  #hold(chunk: string, start: number, end: number): void {
    const length = end - start;
    if (this.#discarding) {
      this.#pending += length;
      return;
    }
    if (this.#pending + length > this.maxLength) {
      this.#parts.length = 0;
      this.#pending += length;
      this.#discarding = true;
      return;
    }
    this.#parts.push(start === 0 ? chunk : chunk.slice(start, end));
    this.#pending += length;
  }

  /** The current over-long line ended after `tail` more code units. */
  #skipped(tail: number): void {
    const length = this.#pending + tail;
    this.#parts.length = 0;
    this.#pending = 0;
    this.#discarding = false;
    this.sink.oversize(length);
  }

  #emit(text: string, start: number, end: number): void {
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    if (end - start > this.maxLength) {
      this.sink.oversize(end - start);
      return;
    }
    if (end === start) return;
    // Only a line starting with whitespace can be blank; avoid trimming every line.
    if (text.charCodeAt(start) <= 32) {
      let i = start;
      while (i < end && text.charCodeAt(i) <= 32) i++;
      if (i === end) return;
    }
    this.sink.line(start === 0 && end === text.length ? text : text.slice(start, end));
  }
}
