import { getLogger } from "../logging/logger";

const log = getLogger("scheduler");

export interface ThreadJob {
  /** Thread key `engine:token`; jobs with the same key run one after another. */
  readonly key: string;
  /** Identifies the job for `cancelQueued` (e.g. its queued placeholder message). */
  readonly id: string;
  run(): Promise<void>;
}

/**
 * FIFO per thread, parallel across threads. A worker exists only while its
 * key has work, so idle threads cost nothing.
 *
 * `noteThreadKnown` covers the gap between a new thread's first `started`
 * event and the end of that run: prompts that reply to it must wait for it even
 * though it was never enqueued here.
 */
export class ThreadScheduler {
  readonly #queues = new Map<string, ThreadJob[]>();
  readonly #busy = new Map<string, Promise<void>>();
  readonly #workers = new Set<string>();

  enqueue(job: ThreadJob): void {
    const queue = this.#queues.get(job.key);
    if (queue) queue.push(job);
    else this.#queues.set(job.key, [job]);
    if (!this.#workers.has(job.key)) void this.#work(job.key);
  }

  /** Marks `key` busy until `done` settles (a new thread's run that is not in the queue). */
  noteThreadKnown(key: string, done: Promise<unknown>): void {
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    this.#busy.set(key, settled);
    void settled.then(() => {
      if (this.#busy.get(key) === settled) this.#busy.delete(key);
    });
  }

  /** Removes a job that has not started yet. Returns whether it was found. */
  cancelQueued(id: string): boolean {
    for (const [key, queue] of this.#queues) {
      const index = queue.findIndex((job) => job.id === id);
      if (index >= 0) {
        queue.splice(index, 1);
        if (queue.length === 0 && !this.#workers.has(key)) this.#queues.delete(key);
        return true;
      }
    }
    return false;
  }

  isQueued(id: string): boolean {
    for (const queue of this.#queues.values()) if (queue.some((job) => job.id === id)) return true;
    return false;
  }

  /** Number of jobs waiting (not running) across all threads. */
  get pending(): number {
    let n = 0;
    for (const queue of this.#queues.values()) n += queue.length;
    return n;
  }

  async #work(key: string): Promise<void> {
    this.#workers.add(key);
    try {
      for (;;) {
        const busy = this.#busy.get(key);
        if (busy) await busy;
        const job = this.#queues.get(key)?.shift();
        if (!job) break;
        try {
          await job.run();
        } catch (error) {
          log.error("scheduler.job.failed", { key, id: job.id, error });
        }
      }
    } finally {
      this.#workers.delete(key);
      const queue = this.#queues.get(key);
      if (queue && queue.length === 0) this.#queues.delete(key);
      else if (queue && queue.length > 0) void this.#work(key);
    }
  }
}
