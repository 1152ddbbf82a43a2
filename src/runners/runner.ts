import type { EngineId, ResumeToken, RunOptions, TakopiEvent } from "../model";

export interface RunRequest {
  readonly prompt: string;
  /** Continue this thread; absent for a new thread. */
  readonly resume?: ResumeToken;
  /** Directory the engine runs in (project, worktree, or where takopi started). */
  readonly cwd: string;
  readonly options?: RunOptions;
}

/**
 * One coding-agent engine.
 *
 * Contract: `run` never throws for engine failures. A crash, a non-zero exit, a
 * broken line or a missing session id all arrive as events, and the stream
 * always ends with exactly one `completed` (unless the signal aborts it, in
 * which case the stream simply ends after the process group is gone).
 */
export interface Runner {
  readonly engine: EngineId;
  run(request: RunRequest, signal?: AbortSignal): AsyncIterable<TakopiEvent>;
  /** The line users paste to continue, e.g. `` `codex resume <id>` ``. */
  formatResume(token: ResumeToken): string;
  /** The last resume line for this engine in `text`, if any. */
  extractResume(text: string): ResumeToken | undefined;
  isResumeLine(line: string): boolean;
}
