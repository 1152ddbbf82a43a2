/**
 * One mutex per thread key (`engine:token`), so two runs never drive the same
 * agent session at once (behaviour §4.0, §5.4). Waiters are served in FIFO
 * order; a key's entry is deleted as soon as nobody holds or waits for it.
 */

export type Release = () => void;

interface Entry {
  readonly waiters: (() => void)[];
}

export class ThreadLocks {
  readonly #held = new Map<string, Entry>();

  /** Whether some run currently holds `key`. */
  isHeld(key: string): boolean {
    return this.#held.has(key);
  }

  /**
   * Resolves with an idempotent release once `key` is free. Rejects with the
   * signal's reason if it aborts first (the run then never holds the lock).
   */
  acquire(key: string, signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const entry = this.#held.get(key);
    if (!entry) {
      this.#held.set(key, { waiters: [] });
      return Promise.resolve(this.#releaser(key));
    }
    return new Promise<Release>((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve(this.#releaser(key));
      };
      const onAbort = () => {
        const at = entry.waiters.indexOf(grant);
        if (at !== -1) entry.waiters.splice(at, 1);
        reject(abortReason(signal));
      };
      entry.waiters.push(grant);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  #releaser(key: string): Release {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const entry = this.#held.get(key);
      if (!entry) return;
      const next = entry.waiters.shift();
      if (next) next();
      else this.#held.delete(key);
    };
  }
}

function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException("The operation was aborted.", "AbortError");
}

/** Locks shared by every runner in this process unless a runner is given its own. */
export const sharedThreadLocks = new ThreadLocks();
