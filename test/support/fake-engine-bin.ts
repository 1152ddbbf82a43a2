import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { ReplayConfig } from "./replay-engine";

const REPLAY_SCRIPT = resolve(import.meta.dir, "replay-engine.ts");

export interface FakeEngineOptions extends Omit<ReplayConfig, "pidsFile" | "recordFile"> {
  /** Executable name: `codex`, `claude`, `opencode`, `pi`, or anything else. */
  readonly engine: string;
  /** Record argv, stdin, cwd and these env vars for assertions (see `recorded()`). */
  readonly record?: boolean;
}

export interface Recorded {
  readonly argv: string[];
  readonly stdin: string;
  readonly cwd: string;
  readonly env: Record<string, string | null>;
}

export interface FakeEngineBin {
  /** Temp dir holding the executable; prepend it to PATH. */
  readonly dir: string;
  /** Absolute path of the executable, usable as the config `command`. */
  readonly command: string;
  /** `process.env` with `dir` first on PATH. */
  readonly env: Record<string, string | undefined>;
  /** Pids of the fake engine and any grandchildren it started, in start order. */
  pids(): number[];
  /** What the fake engine received; throws if `record` was not set or it has not run. */
  recorded(): Recorded;
  /** Removes the temp dir. */
  cleanup(): void;
}

/**
 * Creates an executable named like an engine CLI that replays a fixture through
 * `replay-engine.ts` in a real subprocess: a small sh wrapper exec'ing bun, so the
 * runner sees a genuine process with its own pid, pipes and exit status.
 */
export function makeFakeEngineBin(options: FakeEngineOptions): FakeEngineBin {
  const dir = mkdtempSync(join(tmpdir(), `takopi-fake-${options.engine}-`));
  const pidsFile = join(dir, "pids.txt");
  const recordFile = join(dir, "record.json");
  const { engine, record, ...replay } = options;
  const config: ReplayConfig = { ...replay, pidsFile, ...(record ? { recordFile } : {}) };
  const configFile = join(dir, "replay.json");
  writeFileSync(configFile, JSON.stringify(config));
  const command = join(dir, engine);
  writeFileSync(
    command,
    `#!/bin/sh\nexec ${sh(process.execPath)} ${sh(REPLAY_SCRIPT)} --replay-config ${sh(configFile)} -- "$@"\n`,
  );
  chmodSync(command, 0o755);
  return {
    dir,
    command,
    env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ""}` },
    pids: () =>
      existsSync(pidsFile)
        ? readFileSync(pidsFile, "utf8")
            .split("\n")
            .filter((line) => line !== "")
            .map(Number)
        : [],
    recorded: () => JSON.parse(readFileSync(recordFile, "utf8")) as Recorded,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Whether `pid` is still a live process (zombies count as gone). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 3, after the parenthesised command name, is the state letter.
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return false;
  }
}

/** Polls until none of `pids` is alive or `timeoutMs` passes; returns the survivors. */
export async function waitGone(pids: readonly number[], timeoutMs = 3000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await Bun.sleep(20);
    alive = alive.filter(isAlive);
  }
  return alive;
}

/** Kills leftovers of a failed test so they do not leak into later ones. */
export function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

function sh(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
