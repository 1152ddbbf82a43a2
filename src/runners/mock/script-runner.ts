import { type EngineId, EventFactory, type ResumeToken, type TakopiEvent, threadKey } from "../../model";
import type { Runner, RunRequest } from "../runner";
import { type Release, ThreadLocks } from "../thread-locks";

/**
 * A scripted, in-process `Runner` for tests of everything above the runners
 * (behaviour §4.6). Not registered as an engine. It keeps the same thread-lock
 * rules as the subprocess runners, so scheduling tests see real serialisation.
 */

/** A latch a test opens to let a waiting script continue. */
export class Gate {
  #open!: () => void;
  readonly opened: Promise<void> = new Promise((resolve) => {
    this.#open = resolve;
  });
  #isOpen = false;

  open(): void {
    this.#isOpen = true;
    this.#open();
  }

  get isOpen(): boolean {
    return this.#isOpen;
  }
}

export type ScriptStep =
  /** Yield an event (or build it from this run's factory, which knows the token). */
  | { readonly emit: TakopiEvent | ((events: EventFactory) => TakopiEvent) }
  | { readonly sleep: number }
  | { readonly wait: Promise<unknown> | Gate }
  /** Throw from the iterator, as a broken runner would. */
  | { readonly fail: Error | string }
  /** Yield `completed(ok=true, answer)` carrying the run's token. */
  | { readonly return: string };

export const step = {
  emit: (event: TakopiEvent | ((events: EventFactory) => TakopiEvent)): ScriptStep => ({ emit: event }),
  sleep: (ms: number): ScriptStep => ({ sleep: ms }),
  wait: (until: Promise<unknown> | Gate): ScriptStep => ({ wait: until }),
  fail: (error: Error | string): ScriptStep => ({ fail: error }),
  return: (answer: string): ScriptStep => ({ return: answer }),
} as const;

export type Script =
  | readonly ScriptStep[]
  | ((request: RunRequest, events: EventFactory) => readonly ScriptStep[]);

export interface ScriptRunnerOptions {
  readonly engine?: EngineId;
  readonly script: Script;
  /**
   * Emit `started` before the script, with the resumed token or a new one
   * (`resumeValue`, else a random hex id). Default true; set false to emit it from the script.
   */
  readonly autoStart?: boolean;
  readonly resumeValue?: string;
  /** Default: a table private to this runner. */
  readonly locks?: ThreadLocks;
}

export class ScriptRunner implements Runner {
  readonly engine: EngineId;
  /** Every request `run` was called with, in order. */
  readonly calls: RunRequest[] = [];
  readonly #options: ScriptRunnerOptions;
  readonly #locks: ThreadLocks;

  constructor(options: ScriptRunnerOptions) {
    this.engine = options.engine ?? "mock";
    this.#options = options;
    this.#locks = options.locks ?? new ThreadLocks();
  }

  run(request: RunRequest, signal?: AbortSignal): AsyncIterable<TakopiEvent> {
    this.calls.push(request);
    return this.#play(request, signal);
  }

  formatResume(token: ResumeToken): string {
    return `\`${this.engine} resume ${token.value}\``;
  }

  extractResume(text: string): ResumeToken | undefined {
    let found: string | undefined;
    for (const line of text.split("\n")) {
      const value = this.#parseResumeLine(line);
      if (value !== undefined) found = value;
    }
    return found === undefined ? undefined : { engine: this.engine, value: found };
  }

  isResumeLine(line: string): boolean {
    return this.#parseResumeLine(line) !== undefined;
  }

  #parseResumeLine(line: string): string | undefined {
    const words = line.trim().replace(/^`|`$/g, "").trim().split(/\s+/);
    return words.length === 3 && words[0] === this.engine && words[1] === "resume" ? words[2] : undefined;
  }

  async *#play(request: RunRequest, signal: AbortSignal | undefined): AsyncGenerator<TakopiEvent> {
    if (signal?.aborted) return;
    const events = new EventFactory(this.engine);
    let release: Release | undefined;
    try {
      if (request.resume) {
        release = await this.#acquire(threadKey(request.resume), signal);
        if (!release) return;
      }
      const script = this.#options.script;
      const steps = typeof script === "function" ? script(request, events) : script;
      const queue: ScriptStep[] = [];
      if (this.#options.autoStart !== false) {
        const value = request.resume?.value ?? this.#options.resumeValue ?? randomHex();
        queue.push({ emit: (e) => e.started({ engine: this.engine, value }) ?? fatal("duplicate start") });
      }
      queue.push(...steps);

      for (const item of queue) {
        if (signal?.aborted) return;
        if ("emit" in item) {
          const event = typeof item.emit === "function" ? item.emit(events) : item.emit;
          if (event.type === "started") {
            // Keep the factory in step with hand-built events so `return` carries the token.
            if (!events.resume) events.started(event.resume);
            if (!release) {
              release = await this.#acquire(threadKey(event.resume), signal);
              if (!release) return;
            }
          }
          yield event;
        } else if ("sleep" in item) {
          if (!(await until(Bun.sleep(item.sleep), signal))) return;
        } else if ("wait" in item) {
          const target = item.wait instanceof Gate ? item.wait.opened : item.wait;
          if (!(await until(target, signal))) return;
        } else if ("fail" in item) {
          throw typeof item.fail === "string" ? new Error(item.fail) : item.fail;
        } else {
          yield events.completedOk(item.return);
        }
      }
    } finally {
      release?.();
    }
  }

  async #acquire(key: string, signal: AbortSignal | undefined): Promise<Release | undefined> {
    try {
      return await this.#locks.acquire(key, signal);
    } catch {
      return undefined;
    }
  }
}

/**
 * The simple mock of behaviour §4.6: `started`, the given events (completed
 * actions without `ok` count as ok), then `completed(ok, answer)`.
 */
export function mockRunner(options: {
  readonly engine?: EngineId;
  readonly events?: readonly TakopiEvent[];
  readonly answer?: string;
  readonly resumeValue?: string;
}): ScriptRunner {
  const answer = options.answer ?? "";
  return new ScriptRunner({
    ...(options.engine ? { engine: options.engine } : {}),
    ...(options.resumeValue ? { resumeValue: options.resumeValue } : {}),
    script: [
      ...(options.events ?? []).map((event) =>
        step.emit(
          event.type === "action" && event.phase === "completed" && event.ok === undefined
            ? { ...event, ok: true }
            : event,
        ),
      ),
      step.return(answer),
    ],
  });
}

/** True when `promise` settled first, false when the signal aborted first. */
function until(promise: Promise<unknown>, signal: AbortSignal | undefined): Promise<boolean> {
  if (!signal) return promise.then(() => true);
  if (signal.aborted) return Promise.resolve(false);
  return new Promise<boolean>((resolve, reject) => {
    const onAbort = () => resolve(false);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

function randomHex(): string {
  return crypto.randomUUID().replaceAll("-", "");
}

function fatal(message: string): never {
  throw new Error(message);
}
