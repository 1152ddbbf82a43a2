import { closeSync, openSync, writeSync } from "node:fs";
import { formatConsole, formatJson } from "./format";
import type { Sink } from "./record";

/** Receives one finished line, newline included. */
export type LineWriter = (line: string) => void;

let stderrGuarded = false;

/**
 * Writes to stderr. A reader that went away (`takopi … 2>&1 | head`) makes the stream
 * emit EPIPE as an `error` event, which would otherwise kill the process.
 */
export function stderrWriter(): LineWriter {
  if (!stderrGuarded) {
    stderrGuarded = true;
    process.stderr.on("error", () => {});
  }
  return (line) => {
    process.stderr.write(line);
  };
}

export interface ConsoleSinkOptions {
  /** `console` (default): human lines; `json`: one JSON object per line. */
  readonly format?: "console" | "json";
  readonly color?: boolean;
  /** Defaults to stderr. */
  readonly write?: LineWriter;
}

export function consoleSink(options: ConsoleSinkOptions = {}): Sink {
  const write = options.write ?? stderrWriter();
  const color = options.color ?? false;
  if (options.format === "json") return (record) => write(`${formatJson(record)}\n`);
  return (record) => write(`${formatConsole(record, color)}\n`);
}

export interface FileSink {
  readonly sink: Sink;
  readonly path: string;
  close(): void;
}

/**
 * Appends JSON lines to `path` (created 0600: logs can hold prompts and paths).
 * Writes are synchronous so the last lines before a crash are on disk. Throws if the file cannot be opened.
 */
export function fileSink(path: string): FileSink {
  let fd: number | undefined = openSync(path, "a", 0o600);
  return {
    path,
    sink(record) {
      if (fd !== undefined) writeSync(fd, `${formatJson(record)}\n`);
    },
    close() {
      if (fd === undefined) return;
      const open = fd;
      fd = undefined;
      try {
        closeSync(open);
      } catch {
        // Already closed; nothing left to flush.
      }
    },
  };
}
