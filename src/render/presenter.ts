import type { CompletedEvent, EngineId, ResumeToken } from "../model";
import type { ProgressState } from "../progress/tracker";
import type { RenderedParts } from "../transport";
import { actionLine } from "./action-line";
import { formatElapsed } from "./format-elapsed";
import { TITLE_WIDTH } from "./shorten";

export const HEADER_SEPARATOR = " · ";
/** Markdown hard line break: Telegram's renderer would fold a bare `\n` into a space. */
export const HARD_BREAK = "  \n";
/** The progress body shows this many of the most recent actions. */
export const MAX_ACTIONS = 5;

/** Header labels while a run is in flight (`` `cancelled` `` renders as code, on purpose). */
export type ProgressLabel = "starting" | "working" | "queued" | "`cancelled`";
export type FinalStatus = "done" | "error" | "cancelled";

export const LABELS = {
  starting: "starting",
  working: "working",
  queued: "queued",
  cancelled: "`cancelled`",
  done: "done",
  error: "error",
} as const;

/** Said when a run succeeded but produced no text (the original left the body empty). */
export const EMPTY_ANSWER = "the run finished without an answer.";

/** How a run ended, as the bridge saw it. A `CompletedEvent` can be passed as is. */
export type RunOutcome =
  | Pick<CompletedEvent, "type" | "ok" | "answer" | "error">
  | { readonly type: "failed"; readonly error: unknown }
  | { readonly type: "cancelled" };

export interface FinalRender {
  readonly status: FinalStatus;
  readonly parts: RenderedParts;
}

export interface PresenterOptions {
  /** Formats the resume line (`runner.formatResume`); without it no resume line is shown. */
  readonly formatResume?: (token: ResumeToken) => string;
  /** `show_resume_line = false` hides the resume line. Default true. */
  readonly showResumeLine?: boolean;
  /** `` `ctx: <project> @<branch>` ``, shown above the resume line. */
  readonly contextLine?: string;
  /** Run directory: changed-file paths are shown relative to it. */
  readonly cwd?: string;
  /** Default 5. */
  readonly maxActions?: number;
  /** Title width for `shorten`. Default 300. */
  readonly width?: number;
}

/** `<label> · <engine> · <elapsed>[ · step N]` */
export function formatHeader(label: string, engine: EngineId, elapsedS: number, steps: number): string {
  const head = `${label}${HEADER_SEPARATOR}${engine}${HEADER_SEPARATOR}${formatElapsed(elapsedS)}`;
  return steps > 0 ? `${head}${HEADER_SEPARATOR}step ${steps}` : head;
}

/** `header\n\nbody\n\nfooter`, empty parts left out: the whole message as markdown. */
export function joinParts(parts: RenderedParts): string {
  return [parts.header, parts.body, parts.footer].filter((p) => p !== "").join("\n\n");
}

function leafErrors(error: unknown, out: unknown[]): unknown[] {
  if (error instanceof AggregateError) for (const inner of error.errors) leafErrors(inner, out);
  else out.push(error);
  return out;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/**
 * Text for a run that threw: nested aggregate errors are flattened, aborts
 * (the user's own cancel) dropped, several messages joined by newlines.
 */
export function errorText(error: unknown): string {
  const leaves = leafErrors(error, []).filter((e) => !(e instanceof Error && e.name === "AbortError"));
  if (leaves.length === 1) return describe(leaves[0]);
  const messages = leaves.map(describe).filter((m) => m !== "");
  return messages.length > 0 ? messages.join("\n") : describe(error);
}

/** Final status and body for an outcome other than `cancelled` (behaviour §3.13). */
export function finalBody(outcome: Exclude<RunOutcome, { type: "cancelled" }>): {
  status: "done" | "error";
  body: string;
} {
  if (outcome.type === "failed") return { status: "error", body: errorText(outcome.error).trim() };
  const answer = outcome.answer.trim();
  if (!outcome.ok) {
    const error = outcome.error?.trim() ?? "";
    const body = answer && error ? `${answer}\n\n${error}` : answer || error;
    return { status: "error", body };
  }
  return answer ? { status: "done", body: answer } : { status: "error", body: EMPTY_ANSWER };
}

/**
 * Progress state → the three markdown parts of a takopi message. Pure and
 * deterministic: the same state, elapsed time and label give the same parts,
 * so callers can skip edits whose render did not change.
 */
export class Presenter {
  readonly #opts: PresenterOptions;
  readonly #maxActions: number;
  readonly #width: number;

  constructor(opts: PresenterOptions = {}) {
    this.#opts = opts;
    this.#maxActions = Math.max(0, opts.maxActions ?? MAX_ACTIONS);
    this.#width = opts.width ?? TITLE_WIDTH;
  }

  /** How many actions the body shows: pass it to `tracker.snapshot` to copy no more than needed. */
  get maxActions(): number {
    return this.#maxActions;
  }

  progress(
    state: ProgressState,
    elapsedS: number,
    label: ProgressLabel | (string & {}) = "working",
  ): RenderedParts {
    return {
      header: formatHeader(label, state.engine, elapsedS, state.stepCount),
      body: this.actionLines(state).join(HARD_BREAK),
      footer: this.footer(state),
    };
  }

  final(state: ProgressState, elapsedS: number, outcome: RunOutcome): FinalRender {
    if (outcome.type === "cancelled") {
      return { status: "cancelled", parts: this.progress(state, elapsedS, "`cancelled`") };
    }
    const { status, body } = finalBody(outcome);
    return { status, parts: this.finalParts(state, elapsedS, status, body) };
  }

  /** A final message whose status and body the caller already decided (body is trimmed here). */
  finalParts(state: ProgressState, elapsedS: number, status: FinalStatus, body: string): RenderedParts {
    if (status === "cancelled") return this.progress(state, elapsedS, LABELS.cancelled);
    return {
      header: formatHeader(status, state.engine, elapsedS, state.stepCount),
      body: body.trim(),
      footer: this.footer(state),
    };
  }

  /** The last `maxActions` action lines, oldest first. */
  actionLines(state: ProgressState): string[] {
    const { actions } = state;
    const from = Math.max(0, actions.length - this.#maxActions);
    const lines: string[] = [];
    const opts = { cwd: this.#opts.cwd, width: this.#width };
    for (let i = from; i < actions.length; i++) lines.push(actionLine(actions[i]!, opts));
    return lines;
  }

  /** The resume line for this state, unless hidden or not known yet. */
  resumeLine(state: ProgressState): string | undefined {
    const { formatResume, showResumeLine } = this.#opts;
    if (!state.resume || !formatResume || showResumeLine === false) return undefined;
    return formatResume(state.resume);
  }

  footer(state: ProgressState): string {
    const ctx = this.#opts.contextLine;
    const resume = this.resumeLine(state);
    if (ctx && resume) return `${ctx}${HARD_BREAK}${resume}`;
    return ctx || resume || "";
  }
}
