import type { Level } from "./levels";
import type { LogRecord } from "./record";
import { isSerializedError } from "./redact-value";

const RESET = "\x1b[0m";
const DIM = "\x1b[2m";
const LEVEL_COLOR: Readonly<Record<Level, string>> = {
  debug: "\x1b[90m",
  info: "\x1b[32m",
  warning: "\x1b[33m",
  error: "\x1b[31m",
  critical: "\x1b[1;31m",
};
const LEVEL_WIDTH = "critical".length;
// Bare words stay unquoted in `key=value`; anything with spaces, quotes or `=` is JSON-quoted.
const BARE = /^[^\s"'=]+$/;

function consoleValue(value: unknown): string {
  if (typeof value === "string") return value !== "" && BARE.test(value) ? value : JSON.stringify(value);
  if (isSerializedError(value)) return JSON.stringify(`${value.type}: ${value.message}`);
  if (value === undefined) return "undefined";
  return JSON.stringify(value);
}

/** `2026-01-02T03:04:05.678Z info     scheduler job.start key=value` (one line, no newline). */
export function formatConsole(record: LogRecord, color: boolean): string {
  const level = record.level.padEnd(LEVEL_WIDTH);
  let line = color
    ? `${DIM}${record.time.toISOString()}${RESET} ${LEVEL_COLOR[record.level]}${level}${RESET} ${DIM}${record.logger}${RESET} ${record.event}`
    : `${record.time.toISOString()} ${level} ${record.logger} ${record.event}`;
  for (const key in record.fields) {
    const text = consoleValue(record.fields[key]);
    line += color ? ` ${DIM}${key}=${RESET}${text}` : ` ${key}=${text}`;
  }
  return line;
}

const RESERVED = new Set(["timestamp", "level", "logger", "event"]);

/** One JSON object per record: `timestamp`, `level`, `logger`, `event`, then the fields. */
export function formatJson(record: LogRecord): string {
  const out: Record<string, unknown> = {
    timestamp: record.time.toISOString(),
    level: record.level,
    logger: record.logger,
    event: record.event,
  };
  for (const key in record.fields) out[RESERVED.has(key) ? `_${key}` : key] = record.fields[key];
  return JSON.stringify(out);
}
