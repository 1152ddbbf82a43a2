import type { Level } from "./levels";

export type Fields = Readonly<Record<string, unknown>>;

export interface LogRecord {
  readonly time: Date;
  readonly level: Level;
  readonly logger: string;
  /** Dotted event name (`runner.spawn`), already redacted. */
  readonly event: string;
  /** Field values already redacted and JSON-safe (errors serialized, cycles cut). */
  readonly fields: Fields;
}

/** Where records go. Every sink receives records whose strings are already redacted. */
export type Sink = (record: LogRecord) => void;
