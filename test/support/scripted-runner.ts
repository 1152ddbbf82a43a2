import { EventFactory, type ResumeToken, type TakopiEvent } from "../../src/model";
import type { Runner, RunRequest } from "../../src/runners/runner";

export type Step = { emit: TakopiEvent } | { sleep: number } | { wait: Promise<unknown> } | { fail: string };

/**
 * Minimal in-process runner for bridge tests: `script(request)` returns the
 * steps to play. Resume lines are `` `<engine> resume <id>` ``.
 */
export class ScriptedRunner implements Runner {
  readonly calls: RunRequest[] = [];
  constructor(
    readonly engine: string,
    readonly script: (request: RunRequest, events: EventFactory) => Step[],
  ) {}

  async *run(request: RunRequest, signal?: AbortSignal): AsyncIterable<TakopiEvent> {
    this.calls.push(request);
    const events = new EventFactory(this.engine);
    for (const step of this.script(request, events)) {
      if (signal?.aborted) return;
      if ("emit" in step) yield step.emit;
      else if ("sleep" in step) await abortableSleep(step.sleep, signal);
      else if ("wait" in step) await Promise.race([step.wait, aborted(signal)]);
      else throw new Error(step.fail);
    }
  }

  formatResume(token: ResumeToken): string {
    return `\`${token.engine} resume ${token.value}\``;
  }

  extractResume(text: string): ResumeToken | undefined {
    const re = new RegExp(`^\\s*\`?${this.engine} resume (\\S+?)\`?\\s*$`, "gim");
    let last: string | undefined;
    for (const m of text.matchAll(re)) last = m[1];
    return last ? { engine: this.engine, value: last } : undefined;
  }

  isResumeLine(line: string): boolean {
    return this.extractResume(line) !== undefined;
  }
}

function aborted(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => signal?.addEventListener("abort", () => resolve(), { once: true }));
}

async function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  await Promise.race([Bun.sleep(ms), aborted(signal)]);
}

/** started → one command action → completed(answer). */
export function simpleRun(id: string, answer: string, delayMs = 0) {
  return (_r: RunRequest, f: EventFactory): Step[] => [
    { emit: f.started({ engine: f.engine, value: id })! },
    { emit: f.actionStarted("a1", "command", "ls") },
    { sleep: delayMs },
    { emit: f.actionCompleted("a1", "command", "ls", true) },
    { emit: f.completedOk(answer) },
  ];
}
