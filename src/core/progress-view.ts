import type { TakopiEvent } from "../model";
import type { FinalRender, RunOutcome } from "../render/presenter";
import type { RenderedParts } from "../transport";

export type { FinalRender, FinalStatus, RunOutcome } from "../render/presenter";

/**
 * The bridge's window onto progress tracking and presentation for one run:
 * feed it events, ask it for markdown parts. `createProgressView` in
 * `render/progress-view.ts` implements it over the tracker and presenter, so
 * chat and terminal share one set of rules for what a final message says.
 */
export interface ProgressView {
  /** Returns whether the rendered view may have changed. */
  note(event: TakopiEvent): boolean;
  progress(label: string, elapsedS: number): RenderedParts;
  final(outcome: RunOutcome, elapsedS: number): FinalRender;
}
