import type { ResumeToken } from "../model";
import type { MessageRef } from "../transport";

/** A run in progress, reachable from its progress message (for /cancel and replies). */
export class RunningTask {
  #resume: ResumeToken | undefined;
  #resolveResume!: (token: ResumeToken | undefined) => void;
  #resolveDone!: () => void;
  readonly controller = new AbortController();
  /** Settles with the thread's token once known, or `undefined` if the run ended without one. */
  readonly resumeReady: Promise<ResumeToken | undefined>;
  readonly done: Promise<void>;

  constructor(
    readonly engine: string,
    resume?: ResumeToken,
  ) {
    this.resumeReady = new Promise((resolve) => {
      this.#resolveResume = resolve;
    });
    this.done = new Promise((resolve) => {
      this.#resolveDone = resolve;
    });
    if (resume) this.setResume(resume);
  }

  get resume(): ResumeToken | undefined {
    return this.#resume;
  }

  get cancelRequested(): boolean {
    return this.controller.signal.aborted;
  }

  setResume(token: ResumeToken): void {
    if (this.#resume) return;
    this.#resume = token;
    this.#resolveResume(token);
  }

  cancel(): void {
    this.controller.abort();
  }

  finish(): void {
    this.#resolveResume(this.#resume);
    this.#resolveDone();
  }
}

export function refKey(ref: Pick<MessageRef, "channelId" | "messageId">): string {
  return `${ref.channelId}:${ref.messageId}`;
}

/** Running tasks keyed by their progress message. */
export class RunningTasks {
  readonly #tasks = new Map<string, RunningTask>();

  add(ref: MessageRef, task: RunningTask): void {
    this.#tasks.set(refKey(ref), task);
  }

  get(ref: Pick<MessageRef, "channelId" | "messageId">): RunningTask | undefined {
    return this.#tasks.get(refKey(ref));
  }

  remove(ref: MessageRef, task: RunningTask): void {
    const key = refKey(ref);
    if (this.#tasks.get(key) === task) this.#tasks.delete(key);
  }

  get size(): number {
    return this.#tasks.size;
  }

  all(): RunningTask[] {
    return [...this.#tasks.values()];
  }
}
