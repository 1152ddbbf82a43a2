import type { TakopiEvent } from "../model";
import type { RenderedParts } from "../transport";

export type FinalStatus = "done" | "error" | "cancelled";

/**
 * The bridge's window onto progress tracking and presentation for one run:
 * feed it events, ask it for markdown parts. Implemented by
 * `createProgressView` over the tracker and presenter.
 */
export interface ProgressView {
  /** Returns whether the rendered view may have changed. */
  note(event: TakopiEvent): boolean;
  progress(label: string, elapsedS: number): RenderedParts;
  final(status: FinalStatus, elapsedS: number, answer: string): RenderedParts;
}
