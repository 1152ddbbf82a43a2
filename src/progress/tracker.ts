import type { Action, ActionPhase, CompletedEvent, EngineId, ResumeToken, TakopiEvent } from "../model";

/** One action as the progress message shows it: its latest version and how it is going. */
export interface ActionState {
  readonly action: Action;
  /** Phase of the latest event for this id. */
  readonly phase: ActionPhase;
  /** What the line shows: a repeated `started` of a still-open action counts as `updated`. */
  readonly displayPhase: ActionPhase;
  readonly ok: boolean | undefined;
}

/** An immutable picture of a run's progress, taken by `ProgressTracker.snapshot`. */
export interface ProgressState {
  readonly engine: EngineId;
  readonly resume: ResumeToken | undefined;
  /** Distinct non-turn action ids seen so far: the header's `step N`. */
  readonly stepCount: number;
  /** In first-seen order; only the most recent ones when the snapshot was limited. */
  readonly actions: readonly ActionState[];
  /** The run's `completed` event, once it arrived. */
  readonly completed: CompletedEvent | undefined;
}

/**
 * Completed actions kept beyond the ones a message shows. Older completed
 * actions are forgotten (only their count remains), so a run that emits
 * hundreds of thousands of actions does not hold them all in memory.
 */
const RETAINED_COMPLETED = 64;

/**
 * Reduces a run's events into progress. Per event the work is one map lookup
 * and at most one small object; the whole state is only copied by `snapshot`,
 * which callers take when they actually render.
 */
export class ProgressTracker {
  /** Retained actions in first-seen order: every open one, plus the latest completed ones. */
  #order: ActionState[] = [];
  readonly #index = new Map<string, number>();
  #steps = 0;
  /** Compact once the retained list reaches this length. */
  #compactAt = 2 * RETAINED_COMPLETED;
  #resume: ResumeToken | undefined;
  #completed: CompletedEvent | undefined;

  constructor(readonly engine: EngineId) {}

  get resume(): ResumeToken | undefined {
    return this.#resume;
  }

  get stepCount(): number {
    return this.#steps;
  }

  get completed(): CompletedEvent | undefined {
    return this.#completed;
  }

  /** The current state of one action, by id (recent or still open ones). */
  get(id: string): ActionState | undefined {
    const at = this.#index.get(id);
    return at === undefined ? undefined : this.#order[at];
  }

  /** Folds one event in. Returns whether anything a renderer shows changed. */
  note(event: TakopiEvent): boolean {
    switch (event.type) {
      case "started":
        return this.setResume(event.resume);
      case "action":
        return this.#noteAction(event.action, event.phase, event.ok);
      case "completed": {
        this.#completed = event;
        if (event.resume && !this.#resume) this.#resume = event.resume;
        return true;
      }
      default: {
        const never: never = event;
        return never;
      }
    }
  }

  /** Records the thread's token (e.g. one known from the request). Returns whether it changed. */
  setResume(token: ResumeToken | undefined): boolean {
    if (!token) return false;
    const current = this.#resume;
    if (current && current.engine === token.engine && current.value === token.value) return false;
    this.#resume = token;
    return true;
  }

  /** The current state; with `maxActions`, only that many of the most recent actions are copied. */
  snapshot(maxActions?: number): ProgressState {
    const order = this.#order;
    const actions =
      maxActions === undefined || maxActions >= order.length
        ? order.slice()
        : maxActions <= 0
          ? []
          : order.slice(order.length - maxActions);
    return {
      engine: this.engine,
      resume: this.#resume,
      stepCount: this.#steps,
      actions,
      completed: this.#completed,
    };
  }

  #noteAction(action: Action, phase: ActionPhase, ok: boolean | undefined): boolean {
    // Turns are bookkeeping, and an action without an id cannot be updated in place.
    if (action.kind === "turn" || !action.id) return false;
    const at = this.#index.get(action.id);
    const previous = at === undefined ? undefined : this.#order[at];
    const open = previous !== undefined && previous.phase !== "completed";
    const displayPhase: ActionPhase =
      phase === "updated" || (phase === "started" && open) ? "updated" : phase;
    const next: ActionState = { action, phase, displayPhase, ok };
    if (at === undefined || previous === undefined) {
      this.#steps++;
      this.#index.set(action.id, this.#order.length);
      this.#order.push(next);
      if (this.#order.length >= this.#compactAt) this.#forget();
      return true;
    }
    this.#order[at] = next;
    return !(
      previous.displayPhase === displayPhase &&
      previous.ok === ok &&
      looksSame(previous.action, action)
    );
  }

  /** Drops completed actions older than the retained window; amortised O(1) per action. */
  #forget(): void {
    const keepFrom = this.#order.length - RETAINED_COMPLETED;
    const kept: ActionState[] = [];
    this.#index.clear();
    this.#order.forEach((state, i) => {
      if (i < keepFrom && state.phase === "completed") return;
      this.#index.set(state.action.id, kept.length);
      kept.push(state);
    });
    this.#order = kept;
    // Many long-open actions stay; the next compaction waits for as many new ones again.
    this.#compactAt = kept.length + RETAINED_COMPLETED;
  }
}

/** Whether two versions of an action render identically (title, kind, exit code, changed files). */
function looksSame(a: Action, b: Action): boolean {
  if (a === b) return true;
  if (a.title !== b.title || a.kind !== b.kind) return false;
  if (a.detail?.exit_code !== b.detail?.exit_code) return false;
  const ca = a.detail?.changes;
  const cb = b.detail?.changes;
  if (ca === cb) return true;
  if (!ca || !cb || ca.length !== cb.length) return false;
  for (let i = 0; i < ca.length; i++) {
    if (ca[i]?.path !== cb[i]?.path || ca[i]?.kind !== cb[i]?.kind) return false;
  }
  return true;
}
