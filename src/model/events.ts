import type { Action } from "./action";
import type { EngineId, ResumeToken } from "./resume-token";

export type ActionPhase = "started" | "updated" | "completed";
export type LogLevel = "debug" | "info" | "warning" | "error";

/** Token usage and cost as each engine reports it; shapes differ per engine. */
export type Usage = Readonly<Record<string, unknown>>;

// ── lifecycle: started → action* → completed ─────────────────────────────────

/** The engine told us which thread this run is on. At most one per run. */
export interface StartedEvent {
  readonly type: "started";
  readonly engine: EngineId;
  readonly resume: ResumeToken;
  readonly title?: string;
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** Progress inside the run. Actions may arrive before `started`. */
export interface ActionEvent {
  readonly type: "action";
  readonly engine: EngineId;
  readonly action: Action;
  readonly phase: ActionPhase;
  readonly ok?: boolean;
  readonly message?: string;
  readonly level?: LogLevel;
}

/** Always the last event of a run, success or failure. */
export interface CompletedEvent {
  readonly type: "completed";
  readonly engine: EngineId;
  readonly ok: boolean;
  readonly answer: string;
  readonly resume?: ResumeToken;
  readonly error?: string;
  readonly usage?: Usage;
}

export type TakopiEvent = StartedEvent | ActionEvent | CompletedEvent;
