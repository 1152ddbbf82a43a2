import type { EngineId, ResumeToken, TakopiEvent } from "../model";
import type { RunRequest } from "./runner";

/** How the engine's stdin is fed: the prompt then EOF (codex), or nothing at all. */
export type StdinMode =
  | { readonly kind: "prompt" }
  | { readonly kind: "closed" }
  | { readonly kind: "devnull" };

/** What the subprocess looked like when it ended. */
export interface ExitInfo {
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** Last non-empty stderr lines, already redacted and capped (~500 chars), for error messages. */
  readonly stderrSummary: string;
}

/**
 * Pure, per-run translation state: engine JSON lines in, takopi events out.
 * No I/O, no clocks; fed by the JSONL subprocess base or directly by tests.
 */
export interface Translator {
  /** Called for each decoded line (already JSON-parsed and zod-decoded by `decode`). */
  translate(line: unknown): TakopiEvent[];
  /** Called once at EOF if no `completed` was emitted yet: turns the exit into final events. */
  finish(exit: ExitInfo): TakopiEvent[];
}

export type Decoded =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: string };

/**
 * Everything engine-specific a JSONL subprocess runner needs. One per engine,
 * in `src/runners/<engine>/runner.ts`; the shared base does spawning, reading,
 * locks and cancellation.
 */
export interface JsonlEngineSpec {
  readonly engine: EngineId;
  /** argv[0] comes from config `command` or the engine id looked up on PATH. */
  argv(request: RunRequest, command: string): string[] | Promise<string[]>;
  env(base: Readonly<Record<string, string | undefined>>): Record<string, string | undefined>;
  readonly stdin: StdinMode;
  /** zod decode of one JSON value (already JSON.parse'd). */
  decode(json: unknown): Decoded;
  newTranslator(request: RunRequest): Translator;
  formatResume(token: ResumeToken): string;
  extractResume(text: string): ResumeToken | undefined;
  isResumeLine(line: string): boolean;
  readonly installHint: string;
}
