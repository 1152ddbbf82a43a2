// Starts bench/support/bridge-takopi.ts as a child process and talks to it over stdio.
import { join } from "node:path";
import type { Subprocess } from "bun";
import type { ChildMessage, ChildSpec } from "./bridge-spec";

type Done = Extract<ChildMessage, { type: "done" }>;
type Ready = Extract<ChildMessage, { type: "ready" }>;

const SCRIPT = join(import.meta.dir, "bridge-takopi.ts");

export class TakopiChild {
  readonly #proc: Subprocess<"pipe", "pipe", "pipe">;
  readonly #messages: ChildMessage[] = [];
  readonly #waiters = new Set<() => void>();
  stderr = "";

  constructor(spec: ChildSpec) {
    // BENCH_BUN_FLAGS: e.g. "--cpu-prof-md --cpu-prof-dir=/tmp/prof" to profile takopi.
    const flags = (process.env.BENCH_BUN_FLAGS ?? "").split(" ").filter((f) => f !== "");
    this.#proc = Bun.spawn([process.execPath, ...flags, SCRIPT, JSON.stringify(spec)], {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
    });
    void this.#read();
    void this.#drainStderr();
  }

  get pid(): number {
    return this.#proc.pid;
  }

  ready(timeoutMs = 15_000): Promise<Ready> {
    return this.#next("ready", timeoutMs);
  }

  /** Asks takopi to shut down gracefully and returns its final report. */
  async stop(timeoutMs = 20_000): Promise<Done> {
    this.#proc.stdin.write("stop\n");
    await this.#proc.stdin.end();
    const done = await this.#next("done", timeoutMs);
    await this.#proc.exited;
    return done;
  }

  kill(): void {
    if (this.#proc.exitCode === null) this.#proc.kill("SIGKILL");
  }

  #next<T extends ChildMessage["type"]>(
    type: T,
    timeoutMs: number,
  ): Promise<Extract<ChildMessage, { type: T }>> {
    type M = Extract<ChildMessage, { type: T }>;
    const find = () => this.#messages.find((m): m is M => m.type === type);
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found) {
          cleanup();
          resolve(found);
        } else if (this.#proc.exitCode !== null) {
          cleanup();
          reject(new Error(`takopi child exited (${this.#proc.exitCode}) before "${type}":\n${this.stderr}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`takopi child sent no "${type}" within ${timeoutMs} ms:\n${this.stderr}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      void this.#proc.exited.then(check);
      check();
    });
  }

  async #read(): Promise<void> {
    let buffer = "";
    for await (const chunk of this.#proc.stdout.pipeThrough(new TextDecoderStream())) {
      buffer += chunk;
      let nl = buffer.indexOf("\n");
      while (nl >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line.startsWith("{")) this.#messages.push(JSON.parse(line) as ChildMessage);
        nl = buffer.indexOf("\n");
      }
      for (const w of [...this.#waiters]) w();
    }
  }

  async #drainStderr(): Promise<void> {
    for await (const chunk of this.#proc.stderr.pipeThrough(new TextDecoderStream())) {
      // Keep the tail only: enough to explain a failure.
      this.stderr = (this.stderr + chunk).slice(-20_000);
    }
  }
}
