import { readdirSync, readFileSync } from "node:fs";
import { getLogger } from "../../logging/logger";
import type { ExitInfo, StdinMode } from "../engine-spec";
import { LineSplitter } from "./line-splitter";
import { StderrTail, summarizeStderr } from "./stderr-tail";

const log = getLogger("runner.subprocess");

/** How long a process group gets between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 2000;

export interface SpawnRequest {
  readonly engine: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin: StdinMode;
  /** Written to stdin (then closed) when `stdin.kind` is `prompt`. */
  readonly prompt: string;
}

/**
 * A running engine in its own process group. stdout is for the caller to read;
 * stderr is drained here into a bounded tail (and debug logs) so the child never
 * blocks on a full pipe.
 */
export interface EngineProcess {
  readonly pid: number;
  readonly stdout: ReadableStream<Uint8Array>;
  /** Resolves with the exit code once the leader is reaped. */
  readonly exited: Promise<number>;
  hasExited(): boolean;
  /** After `exited`: code, signal and a short stderr summary (waits briefly for stderr to drain). */
  exitInfo(): Promise<ExitInfo>;
  /**
   * SIGTERM to the whole group, SIGKILL after `graceMs` if anything in it is
   * still alive; resolves once the leader is reaped. Idempotent.
   */
  stop(graceMs?: number): Promise<void>;
}

/** Spawns `argv` detached (pid = pgid). Throws what `Bun.spawn` throws (ENOENT, EACCES…). */
export function spawnEngine(request: SpawnRequest): EngineProcess {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.env)) if (value !== undefined) env[key] = value;
  const proc = Bun.spawn([...request.argv], {
    cwd: request.cwd,
    env,
    stdin: request.stdin.kind === "devnull" ? "ignore" : "pipe",
    stdout: "pipe",
    stderr: "pipe",
    detached: true,
  });
  const pid = proc.pid;
  log.debug("subprocess.spawn", { engine: request.engine, pid, cwd: request.cwd });
  trackGroup(pid);

  if (proc.stdin) feedStdin(proc.stdin, request.stdin.kind === "prompt" ? request.prompt : "");

  const tail = new StderrTail();
  const stderrDone = drainStderr(proc.stderr, tail, request.engine, pid);
  let exited = false;
  const exitedPromise = proc.exited.then((code) => {
    exited = true;
    liveGroups.delete(pid);
    log.debug("subprocess.exit", { engine: request.engine, pid, rc: code, signal: proc.signalCode });
    return code;
  });
  let stopping: Promise<void> | undefined;

  return {
    pid,
    stdout: proc.stdout,
    exited: exitedPromise,
    hasExited: () => exited,
    async exitInfo() {
      await exitedPromise;
      // A grandchild may keep stderr open after the leader died; don't wait on it for long.
      await within(stderrDone, 250);
      const signal = proc.signalCode;
      return {
        exitCode: proc.exitCode,
        signal: signal === null ? null : String(signal),
        stderrSummary: summarizeStderr(tail.text()),
      };
    },
    stop(graceMs = KILL_GRACE_MS) {
      stopping ??= stopGroup(pid, exitedPromise, () => exited, graceMs, request.engine);
      return stopping;
    },
  };
}

function feedStdin(sink: { write(data: string): unknown; end(): unknown }, text: string): void {
  // A child that exits without reading its stdin makes these throw EPIPE; that is its business.
  void (async () => {
    try {
      if (text !== "") sink.write(text);
      await sink.end();
    } catch (error) {
      log.debug("subprocess.stdin.error", { error: String(error) });
    }
  })();
}

async function drainStderr(
  stream: ReadableStream<Uint8Array>,
  tail: StderrTail,
  engine: string,
  pid: number,
): Promise<void> {
  // Every line goes to debug (or to info under pipeline tracing); stderr is small.
  const lines = new LineSplitter({
    line: (line) => log.debug("subprocess.stderr", { engine, pid, line }),
    oversize: (length) => log.debug("subprocess.stderr.oversize", { engine, pid, length }),
  });
  const decoder = new TextDecoder();
  try {
    for await (const bytes of stream) {
      const chunk = decoder.decode(bytes, { stream: true });
      tail.push(chunk);
      lines.push(chunk);
    }
    lines.push(decoder.decode());
    lines.end();
  } catch (error) {
    log.debug("subprocess.stderr.error", { engine, pid, error: String(error) });
  }
}

// Engines run detached, so they would outlive takopi. Whatever is still running when
// takopi exits without cancelling it (a crash, process.exit) is killed on the way out.
const liveGroups = new Set<number>();
let exitHookInstalled = false;

function trackGroup(pid: number): void {
  liveGroups.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const group of liveGroups) signalGroup(group, "SIGKILL");
  });
}

/** Signals the process group; false when nothing is left in it. */
export function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether any live (non-zombie) process is left in group `pgid`. `kill(-pgid, 0)`
 * also counts zombies, which linger until init reaps them; on Linux /proc tells
 * them apart.
 */
export function groupAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return true;
  }
  for (const entry of entries) {
    const first = entry.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "latin1");
    } catch {
      continue;
    }
    // "pid (comm) state ppid pgrp …": comm may contain spaces, so parse after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ", 3);
    if (fields[2] === String(pgid) && fields[0] !== "Z" && fields[0] !== "X") return true;
  }
  return false;
}

async function stopGroup(
  pid: number,
  exited: Promise<number>,
  hasExited: () => boolean,
  graceMs: number,
  engine: string,
): Promise<void> {
  if (!signalGroup(pid, "SIGTERM") && hasExited()) return;
  log.debug("subprocess.terminate", { engine, pid });
  const deadline = Date.now() + graceMs;
  await within(exited, graceMs);
  // The leader may be gone while grandchildren that ignore SIGTERM live on.
  while (groupAlive(pid) && Date.now() < deadline) await Bun.sleep(20);
  if (!hasExited() || groupAlive(pid)) {
    log.debug("subprocess.kill", { engine, pid });
    signalGroup(pid, "SIGKILL");
  }
  await exited;
}

/**
 * Waits for `promise` at most `ms`; true if it settled in time. The timer is
 * cleared and unref'd so a finished run never keeps the process alive.
 */
export async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(resolve, ms, false);
    timer.unref();
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
