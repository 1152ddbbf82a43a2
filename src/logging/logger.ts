import { redact } from "./redact";

export type Level = "debug" | "info" | "warning" | "error";
const RANK: Record<Level, number> = { debug: 10, info: 20, warning: 30, error: 40 };

export type Fields = Readonly<Record<string, unknown>>;

export interface LogRecord {
  readonly time: Date;
  readonly level: Level;
  readonly logger: string;
  readonly event: string;
  readonly fields: Fields;
}

/** Where records go. Every sink receives records whose strings are already redacted. */
export type Sink = (record: LogRecord) => void;

interface State {
  level: number;
  sinks: Sink[];
}

const state: State = { level: RANK.info, sinks: [defaultSink] };

function defaultSink(r: LogRecord): void {
  const extra = Object.entries(r.fields)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" ");
  process.stderr.write(
    `${r.time.toISOString()} ${r.level} ${r.logger} ${r.event}${extra ? ` ${extra}` : ""}\n`,
  );
}

export function setLogLevel(level: Level): void {
  state.level = RANK[level];
}

export function setSinks(sinks: Sink[]): void {
  state.sinks = sinks;
}

export function isEnabled(level: Level): boolean {
  return RANK[level] >= state.level;
}

function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redact(value);
  if (value instanceof Error) return redact(value.message);
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, depth + 1);
  return out;
}

export interface Logger {
  debug(event: string, fields?: Fields): void;
  info(event: string, fields?: Fields): void;
  warning(event: string, fields?: Fields): void;
  error(event: string, fields?: Fields): void;
}

/** A named logger. Event names are dotted (`runner.spawn`); fields are key/value. */
export function getLogger(name: string): Logger {
  const emit = (level: Level, event: string, fields: Fields = {}) => {
    if (RANK[level] < state.level) return;
    const record: LogRecord = {
      time: new Date(),
      level,
      logger: name,
      event: redact(event),
      fields: redactValue(fields) as Fields,
    };
    for (const sink of state.sinks) {
      try {
        sink(record);
      } catch {
        // A broken sink (closed pipe, full disk) must never take the bridge down.
      }
    }
  };
  return {
    debug: (e, f) => emit("debug", e, f),
    info: (e, f) => emit("info", e, f),
    warning: (e, f) => emit("warning", e, f),
    error: (e, f) => emit("error", e, f),
  };
}
