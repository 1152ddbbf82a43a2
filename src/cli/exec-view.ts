// Live progress of `takopi exec` on stderr: on a terminal the progress block
// (the lines the chat message would show) is redrawn in place, with the elapsed
// time ticking; otherwise each action line is appended once per change.
import type { TakopiEvent } from "../model";
import type { ProgressTracker } from "../progress/tracker";
import { actionLine } from "../render/action-line";
import type { Presenter } from "../render/presenter";
import { fitLine, partLines, redrawBlock, terminalLines } from "../render/terminal";

/** At most this many redraws per second while events stream in. */
const REDRAW_GAP_MS = 50;
const TICK_MS = 1000;

export interface ExecViewOptions {
  readonly tracker: ProgressTracker;
  readonly presenter: Presenter;
  readonly write: (text: string) => void;
  /** Redraw in place (stderr is a terminal) or append lines. */
  readonly live: boolean;
  readonly columns: () => number;
  /** Seconds since the run started. */
  readonly elapsed: () => number;
  /** Run directory, for relative paths in appended lines. */
  readonly cwd: string;
}

export class ExecView {
  readonly #o: ExecViewOptions;
  #rows = 0;
  #lastDraw = 0;
  #pending: ReturnType<typeof setTimeout> | undefined;
  #ticker: ReturnType<typeof setInterval> | undefined;
  #label = "starting";

  constructor(options: ExecViewOptions) {
    this.#o = options;
  }

  start(): void {
    if (!this.#o.live) {
      this.#o.write(`${this.#o.presenter.progress(this.#o.tracker.snapshot(0), 0, "starting").header}\n`);
      return;
    }
    this.#draw();
    this.#ticker = setInterval(() => this.#draw(), TICK_MS);
  }

  /** Call after `tracker.note(event)` returned `changed`. */
  update(event: TakopiEvent, changed: boolean): void {
    if (!changed) return;
    this.#label = "working";
    if (!this.#o.live) {
      if (event.type !== "action") return;
      const state = this.#o.tracker.get(event.action.id);
      if (state) this.#o.write(`${actionLine(state, { cwd: this.#o.cwd })}\n`);
      return;
    }
    if (this.#pending) return;
    const wait = Math.max(0, REDRAW_GAP_MS - (performance.now() - this.#lastDraw));
    this.#pending = setTimeout(() => {
      this.#pending = undefined;
      this.#draw();
    }, wait);
  }

  /** Replaces the live block with the final header (and action lines), without the footer. */
  finish(label: string): void {
    this.stop();
    const parts = this.#o.presenter.progress(
      this.#o.tracker.snapshot(this.#o.presenter.maxActions),
      this.#o.elapsed(),
      label,
    );
    if (!this.#o.live) {
      this.#o.write(`${parts.header}\n`);
      return;
    }
    const lines = [...partLines(parts.header), ...partLines(parts.body)];
    const columns = this.#o.columns();
    this.#o.write(
      redrawBlock(
        this.#rows,
        lines.map((l) => fitLine(l, columns)),
      ),
    );
    this.#rows = 0;
  }

  stop(): void {
    if (this.#pending) clearTimeout(this.#pending);
    if (this.#ticker) clearInterval(this.#ticker);
    this.#pending = undefined;
    this.#ticker = undefined;
  }

  #draw(): void {
    const { tracker, presenter } = this.#o;
    const parts = presenter.progress(tracker.snapshot(presenter.maxActions), this.#o.elapsed(), this.#label);
    const columns = this.#o.columns();
    const lines = terminalLines(parts).map((l) => fitLine(l, columns));
    this.#o.write(redrawBlock(this.#rows, lines));
    this.#rows = lines.length;
    this.#lastDraw = performance.now();
  }
}
