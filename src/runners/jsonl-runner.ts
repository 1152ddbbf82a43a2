import { existsSync } from "node:fs";
import { getLogger } from "../logging/logger";
import type { CompletedEvent, TakopiEvent } from "../model";
import { threadKey } from "../model";
import type { JsonlEngineSpec } from "./engine-spec";
import { LineSplitter } from "./jsonl/line-splitter";
import { failed, LineState } from "./jsonl/line-state";
import { type EngineProcess, KILL_GRACE_MS, spawnEngine, within } from "./jsonl/subprocess";
import type { Runner, RunRequest } from "./runner";
import { type Release, sharedThreadLocks, type ThreadLocks } from "./thread-locks";

const log = getLogger("runner");
const STREAM = { stream: true } as const;

interface Cancellable {
  cancel(): Promise<void>;
}

export interface JsonlRunnerOptions {
  /** Config `command` (path or name); default: the engine id looked up on PATH. */
  readonly command?: string;
  /** Per-thread locks; default: one table shared by every runner in the process. */
  readonly locks?: ThreadLocks;
  /** Environment the spec's `env` starts from; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** SIGTERM → SIGKILL grace, and how long a process may linger after `completed`. Default 2000 ms. */
  readonly killGraceMs?: number;
}

/** A `Runner` that drives `spec`'s CLI as a subprocess speaking JSONL on stdout. */
export function createJsonlRunner(spec: JsonlEngineSpec, options: JsonlRunnerOptions = {}): Runner {
  return {
    engine: spec.engine,
    run: (request, signal) => runJsonl(spec, options, request, signal),
    formatResume: (token) => spec.formatResume(token),
    extractResume: (text) => spec.extractResume(text),
    isResumeLine: (line) => spec.isResumeLine(line),
  };
}

/** Where a missing CLI is looked up, and what to tell the user when it is not there. */
export function resolveCommand(
  spec: Pick<JsonlEngineSpec, "engine">,
  command: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  return Bun.which(command ?? spec.engine, { PATH: env.PATH ?? "" }) ?? undefined;
}

export function missingCliMessage(
  spec: Pick<JsonlEngineSpec, "engine" | "installHint">,
  command: string | undefined,
): string {
  const name = command ?? spec.engine;
  return (
    `${spec.engine} CLI not found (\`${name}\`). Install it with \`${spec.installHint}\`, ` +
    `or set \`command\` under \`[${spec.engine}]\` in takopi.toml.`
  );
}

async function* runJsonl(
  spec: JsonlEngineSpec,
  options: JsonlRunnerOptions,
  request: RunRequest,
  signal: AbortSignal | undefined,
): AsyncGenerator<TakopiEvent, void, undefined> {
  if (signal?.aborted) return;
  const engine = spec.engine;
  const locks = options.locks ?? sharedThreadLocks;
  const grace = options.killGraceMs ?? KILL_GRACE_MS;
  const fail = (error: string): CompletedEvent => failed(engine, error, request);

  let release: Release | undefined;
  let proc: EngineProcess | undefined;
  let state: LineState | undefined;
  let reader: Cancellable | undefined;
  let ended = false;
  let aborted = false;
  const onAbort = () => {
    aborted = true;
    void proc?.stop(grace);
    reader?.cancel().catch(() => {});
  };
  signal?.addEventListener("abort", onAbort, { once: true });

  try {
    if (request.resume) {
      // A resumed run owns its thread for the whole run.
      release = await acquire(locks, threadKey(request.resume), signal);
      if (!release) return;
    }

    const env = spec.env(options.env ?? process.env);
    const resolved = resolveCommand(spec, options.command, env);
    if (!resolved) {
      log.warning("runner.cli.missing", { engine, command: options.command ?? engine });
      yield fail(missingCliMessage(spec, options.command));
      return;
    }
    let argv: string[];
    try {
      argv = await spec.argv(request, resolved);
    } catch (error) {
      log.warning("runner.argv.error", { engine, error: String(error) });
      yield fail(`${engine} could not be prepared: ${errorText(error)}`);
      return;
    }
    if (aborted) return;
    try {
      proc = spawnEngine({ engine, argv, cwd: request.cwd, env, stdin: spec.stdin, prompt: request.prompt });
    } catch (error) {
      log.warning("runner.spawn.error", { engine, cwd: request.cwd, error: String(error) });
      yield fail(spawnFailure(spec, options.command, request.cwd, error));
      return;
    }
    log.info("runner.start", { engine, pid: proc.pid, resume: request.resume?.value ?? null });

    state = new LineState(spec, spec.newTranslator(request), request);
    const splitter = new LineSplitter(state);
    // Streaming UTF-8 decode in place (what TextDecoderStream does, minus a stream stage per chunk).
    const decoder = new TextDecoder();
    const stdoutReader = proc.stdout.getReader();
    reader = stdoutReader;
    // A grandchild holding stdout open must not keep a finished run alive forever:
    // once the engine has exited, a read that stays idle for `grace` counts as EOF.
    const idle = { waiting: false, since: 0 };
    void proc.exited.then(() => watchIdle(stdoutReader, idle, grace, () => ended || aborted));

    const lines = state;
    const out = lines.out;
    while (!ended && !aborted) {
      let bytes: Uint8Array | undefined;
      try {
        idle.waiting = true;
        idle.since = performance.now();
        const chunk = await stdoutReader.read();
        bytes = chunk.done ? undefined : chunk.value;
      } catch (error) {
        log.debug("runner.stdout.error", { engine, error: String(error) });
      }
      idle.waiting = false;
      if (aborted) return;
      const eof = bytes === undefined;
      if (eof) {
        splitter.push(decoder.decode());
        splitter.end();
        if (!lines.ended) lines.finish(await proc.exitInfo());
        if (aborted) return;
      } else {
        splitter.push(decoder.decode(bytes, STREAM));
      }
      for (let i = 0; i < out.length; i++) {
        const event = out[i] as TakopiEvent;
        if (event.type === "started" && !request.resume && !release) {
          // Take the new thread's lock before anyone learns its id.
          release = await acquire(locks, threadKey(event.resume), signal);
          if (!release || aborted) return;
        }
        if (event.type === "completed") ended = true;
        yield event;
        if (aborted) return;
      }
      out.length = 0;
      if (eof) break;
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    if (proc && aborted) {
      // Cancelled: the stream ends only once the whole group is gone (stop is idempotent).
      await proc.stop(grace);
    } else if (proc && !proc.hasExited()) {
      if (ended && !state?.failedContract) {
        // Finished its turn: let it exit by itself before forcing it.
        reader?.cancel().catch(() => {});
        await within(proc.exited, grace);
      }
      await proc.stop(grace);
    }
    reader?.cancel().catch(() => {});
    release?.();
  }
}

async function acquire(
  locks: ThreadLocks,
  key: string,
  signal: AbortSignal | undefined,
): Promise<Release | undefined> {
  try {
    return await locks.acquire(key, signal);
  } catch {
    return undefined;
  }
}

async function watchIdle(
  reader: Cancellable & { readonly closed: Promise<unknown> },
  idle: { waiting: boolean; since: number },
  grace: number,
  done: () => boolean,
): Promise<void> {
  const closed = reader.closed.then(
    () => true,
    () => true,
  );
  const step = Math.max(10, grace / 4);
  while (!done()) {
    if (await within(closed, step)) return;
    if (idle.waiting && performance.now() - idle.since >= grace) {
      log.debug("runner.stdout.abandoned", { grace });
      reader.cancel().catch(() => {});
      return;
    }
  }
}

/** Why a spawn failed, in the user's terms: a missing run directory, a missing CLI, or the OS error. */
function spawnFailure(
  spec: JsonlEngineSpec,
  command: string | undefined,
  cwd: string,
  error: unknown,
): string {
  if (!existsSync(cwd))
    return `${spec.engine} could not be started: the run directory ${cwd} does not exist.`;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOENT") return missingCliMessage(spec, command);
  return `${spec.engine} could not be started in ${cwd}: ${errorText(error)}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
