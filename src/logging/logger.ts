import { LEVEL_RANK, type Level } from "./levels";
import type { Fields, LogRecord, Sink } from "./record";
import { redact } from "./redact";
import { redactValue } from "./redact-value";
import { consoleSink } from "./sinks";

export type { Level } from "./levels";
export type { Fields, LogRecord, Sink } from "./record";

interface State {
  level: number;
  sinks: Sink[];
  tracePipeline: boolean;
}

// Until configureLogging runs (tests, early CLI errors): info and above, plain text on stderr.
const state: State = { level: LEVEL_RANK.info, sinks: [consoleSink({ color: false })], tracePipeline: false };

export function setLogLevel(level: Level): void {
  state.level = LEVEL_RANK[level];
}

export function getLogLevel(): Level {
  const entry = Object.entries(LEVEL_RANK).find(([, rank]) => rank === state.level);
  return (entry?.[0] as Level | undefined) ?? "info";
}

export function setSinks(sinks: Sink[]): void {
  state.sinks = sinks;
}

/** With pipeline tracing on, `subprocess.*`, `jsonl.*` and `runner.*` debug events are written at info. */
export function setPipelineTrace(enabled: boolean): void {
  state.tracePipeline = enabled;
}

export function isEnabled(level: Level): boolean {
  return LEVEL_RANK[level] >= state.level;
}

function isPipelineEvent(event: string): boolean {
  return event.startsWith("subprocess.") || event.startsWith("jsonl.") || event.startsWith("runner.");
}

export interface Logger {
  /** Pipeline events (`subprocess.*`, `jsonl.*`, `runner.*`) go here; TAKOPI_TRACE_PIPELINE lifts them to info. */
  debug(event: string, fields?: Fields): void;
  info(event: string, fields?: Fields): void;
  warning(event: string, fields?: Fields): void;
  error(event: string, fields?: Fields): void;
  critical(event: string, fields?: Fields): void;
  /** Whether a record at `level` would be written: lets a caller skip building costly fields. */
  isEnabled(level: Level): boolean;
  /** A logger that adds `bound` to every record (e.g. chat_id and engine for one run). */
  child(bound: Fields): Logger;
}

function write(
  name: string,
  level: Level,
  event: string,
  bound: Fields | undefined,
  fields: Fields | undefined,
): void {
  const merged = bound ? (fields ? { ...bound, ...fields } : bound) : (fields ?? {});
  const record: LogRecord = {
    time: new Date(),
    level,
    logger: name,
    event: redact(event),
    fields: redactValue(merged) as Fields,
  };
  for (const sink of state.sinks) {
    try {
      sink(record);
    } catch {
      // A broken sink (closed pipe, full disk) must never take the bridge down.
    }
  }
}

function makeLogger(name: string, bound: Fields | undefined): Logger {
  // The rank test comes first so a disabled level costs one comparison and builds nothing.
  return {
    debug(event, fields) {
      if (state.level <= LEVEL_RANK.debug) {
        const level = state.tracePipeline && isPipelineEvent(event) ? "info" : "debug";
        write(name, level, event, bound, fields);
      } else if (state.tracePipeline && state.level <= LEVEL_RANK.info && isPipelineEvent(event)) {
        write(name, "info", event, bound, fields);
      }
    },
    info(event, fields) {
      if (state.level <= LEVEL_RANK.info) write(name, "info", event, bound, fields);
    },
    warning(event, fields) {
      if (state.level <= LEVEL_RANK.warning) write(name, "warning", event, bound, fields);
    },
    error(event, fields) {
      if (state.level <= LEVEL_RANK.error) write(name, "error", event, bound, fields);
    },
    critical(event, fields) {
      if (state.level <= LEVEL_RANK.critical) write(name, "critical", event, bound, fields);
    },
    isEnabled,
    child(extra) {
      return makeLogger(name, bound ? { ...bound, ...extra } : extra);
    },
  };
}

/** A named logger. Event names are dotted (`runner.spawn`); fields are key/value. */
export function getLogger(name: string): Logger {
  return makeLogger(name, undefined);
}
