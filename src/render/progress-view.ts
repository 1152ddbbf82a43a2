import type { EngineId, TakopiEvent } from "../model";
import { ProgressTracker } from "../progress/tracker";
import type { RenderedParts } from "../transport";
import { type FinalRender, Presenter, type PresenterOptions, type RunOutcome } from "./presenter";

/** One run's tracker and presenter behind the three calls the bridge makes (`core/progress-view.ts`). */
export interface RunProgressView {
  readonly tracker: ProgressTracker;
  readonly presenter: Presenter;
  /** Returns whether the rendered view may have changed. */
  note(event: TakopiEvent): boolean;
  progress(label: string, elapsedS: number): RenderedParts;
  /** `cancelled` keeps the action lines; `done`/`error` show the answer and/or error as the body. */
  final(outcome: RunOutcome, elapsedS: number): FinalRender;
}

export function createProgressView(engine: EngineId, opts: PresenterOptions = {}): RunProgressView {
  const tracker = new ProgressTracker(engine);
  const presenter = new Presenter(opts);
  return {
    tracker,
    presenter,
    note: (event) => tracker.note(event),
    progress: (label, elapsedS) =>
      presenter.progress(tracker.snapshot(presenter.maxActions), elapsedS, label),
    final: (outcome, elapsedS) => presenter.final(tracker.snapshot(presenter.maxActions), elapsedS, outcome),
  };
}
