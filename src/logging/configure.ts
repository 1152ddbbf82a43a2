import { resolve } from "node:path";
import { type Level, parseLevel } from "./levels";
import { getLogger, setLogLevel, setPipelineTrace, setSinks } from "./logger";
import type { Sink } from "./record";
import { consoleSink, type FileSink, fileSink, type LineWriter } from "./sinks";

export type Env = Readonly<Record<string, string | undefined>>;

export interface LoggingOptions {
  /** `--debug`: level debug, and the file sink defaults to `./debug.log`. */
  readonly debug?: boolean;
  /** Defaults to `process.env`. */
  readonly env?: Env;
  /** Console destination; defaults to stderr. */
  readonly write?: LineWriter;
  /** Whether the console is a terminal (colour auto-detection); defaults to `process.stderr.isTTY`. */
  readonly isTTY?: boolean;
  /** Base for a relative `TAKOPI_LOG_FILE` and for `debug.log`; defaults to `process.cwd()`. */
  readonly cwd?: string;
}

export interface LoggingSettings {
  readonly level: Level;
  readonly format: "console" | "json";
  readonly color: boolean;
  /** Absolute path of the JSON-lines file sink, if any. */
  readonly file: string | undefined;
  readonly tracePipeline: boolean;
}

const TRUTHY = new Set(["1", "true", "yes", "on"]);

function truthy(value: string | undefined): boolean {
  return value !== undefined && TRUTHY.has(value.trim().toLowerCase());
}

/** The settings the environment and `--debug` ask for (pure: no I/O). */
export function resolveLoggingSettings(options: LoggingOptions = {}): LoggingSettings {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const level = options.debug ? "debug" : (parseLevel(env.TAKOPI_LOG_LEVEL) ?? "info");
  const format = env.TAKOPI_LOG_FORMAT?.trim().toLowerCase() === "json" ? "json" : "console";
  const colorSetting = env.TAKOPI_LOG_COLOR;
  const isTTY = options.isTTY ?? process.stderr.isTTY === true;
  const color = colorSetting === undefined ? isTTY && !env.NO_COLOR : truthy(colorSetting);
  const fileSetting = env.TAKOPI_LOG_FILE || (options.debug ? "debug.log" : undefined);
  return {
    level,
    format,
    color,
    file: fileSetting ? resolve(cwd, fileSetting) : undefined,
    tracePipeline: truthy(env.TAKOPI_TRACE_PIPELINE),
  };
}

let openFile: FileSink | undefined;

/**
 * Sets up logging for the process from `TAKOPI_LOG_LEVEL|FORMAT|COLOR|FILE`,
 * `TAKOPI_TRACE_PIPELINE` and `--debug`. Safe to call again (the previous file sink is closed).
 * A log file that cannot be opened is reported once on the console and skipped.
 */
export function configureLogging(options: LoggingOptions = {}): LoggingSettings {
  const settings = resolveLoggingSettings(options);
  openFile?.close();
  openFile = undefined;
  const sinks: Sink[] = [
    consoleSink({ format: settings.format, color: settings.color, write: options.write }),
  ];
  let fileError: unknown;
  if (settings.file) {
    try {
      openFile = fileSink(settings.file);
      sinks.push(openFile.sink);
    } catch (error) {
      fileError = error;
    }
  }
  setSinks(sinks);
  setLogLevel(settings.level);
  setPipelineTrace(settings.tracePipeline);
  if (fileError !== undefined) {
    getLogger("logging").warning("logging.file_unavailable", { path: settings.file, error: fileError });
    return { ...settings, file: undefined };
  }
  return settings;
}

/** Closes the log file, if one is open (tests, orderly shutdown). */
export function closeLogging(): void {
  openFile?.close();
  openFile = undefined;
}
