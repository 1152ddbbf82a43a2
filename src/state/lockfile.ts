// One bridge per config: `<config>.lock` holds `{pid, token_fingerprint}` while takopi runs.
import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join, resolve, sep } from "node:path";

/** `takopi.toml` → `takopi.lock`; a name without an extension gets `.lock` appended. */
export function lockPathFor(configPath: string): string {
  const full = resolve(configPath);
  const name = basename(full);
  const dot = name.lastIndexOf(".");
  const stem = dot > 0 ? name.slice(0, dot) : name;
  return join(dirname(full), `${stem}.lock`);
}

/** First 10 hex characters of sha256(token): tells bots apart without storing the token. */
export function tokenFingerprint(token: string): string {
  return createHash("sha256").update(token).digest("hex").slice(0, 10);
}

function displayPath(path: string): string {
  const home = homedir();
  return home && path.startsWith(home + sep) ? `~${path.slice(home.length)}` : path;
}

/** Printed by the CLI as `error: <message>`, exit 1. */
export class LockError extends Error {
  override name = "LockError";
  readonly exitCode = 1;
  constructor(
    message: string,
    readonly path: string,
    readonly reason: "running" | "io",
    /** The pid recorded in the lock, when another takopi holds it. */
    readonly pid?: number,
  ) {
    super(message);
  }
}

export interface LockContent {
  readonly pid: number;
  readonly token_fingerprint: string | null;
}

function parseLock(text: string): LockContent | undefined {
  try {
    const data: unknown = JSON.parse(text);
    if (typeof data !== "object" || data === null) return undefined;
    const { pid, token_fingerprint: fp } = data as Record<string, unknown>;
    if (typeof pid !== "number" || !Number.isInteger(pid) || pid <= 0) return undefined;
    return { pid, token_fingerprint: typeof fp === "string" && fp ? fp : null };
  } catch {
    return undefined;
  }
}

/** `kill(pid, 0)`: no such process means dead; EPERM means alive but someone else's. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Whether an existing lock (its text, or `undefined` when unreadable) still belongs to a
 * running takopi. Stale: unreadable, not valid JSON, a different bot, a dead pid, or our own
 * pid (a container restart reuses pids; a second acquire in-process is caught before this).
 */
export function isLockStale(
  text: string | undefined,
  fingerprint: string | null,
  alive: (pid: number) => boolean = isProcessAlive,
): boolean {
  const existing = text === undefined ? undefined : parseLock(text);
  if (!existing) return true;
  if (existing.token_fingerprint && fingerprint && existing.token_fingerprint !== fingerprint) return true;
  if (existing.pid === process.pid) return true;
  return !alive(existing.pid);
}

export interface AcquireLockOptions {
  /** The config file in use; the lock sits beside it. */
  readonly configPath: string;
  /** The bot token; only its fingerprint is written. */
  readonly token?: string;
  /**
   * Default true: SIGINT/SIGTERM release the lock and exit with 130/143. Set false when the
   * caller shuts down gracefully itself and then calls `release()` (or exits: the lock is
   * also released on process exit).
   */
  readonly exitOnSignal?: boolean;
}

export interface LockHandle {
  readonly path: string;
  /** Removes the lock if it is still ours. Idempotent. */
  release(): void;
}

// Locks this process holds, so a second acquire in-process is refused rather than judged stale.
const held = new Set<string>();

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function createExclusive(path: string, body: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    writeSync(fd, body);
  } finally {
    closeSync(fd);
  }
  return true;
}

function replace(path: string, body: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeSync(fd, body);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

function runningError(path: string, pid: number | undefined): LockError {
  return new LockError(`already running\nremove ${displayPath(path)} if stale`, path, "running", pid);
}

/**
 * Takes `<config>.lock` or throws `LockError` (`already running` with a hint, or `lock failed: …`).
 * Only the bridge run takes it, never `config`/`doctor`.
 */
export function acquireLock(options: AcquireLockOptions): LockHandle {
  const path = lockPathFor(options.configPath);
  if (held.has(path)) throw runningError(path, process.pid);
  const fingerprint = options.token ? tokenFingerprint(options.token) : null;
  const body = `${JSON.stringify({ pid: process.pid, token_fingerprint: fingerprint })}\n`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    if (!createExclusive(path, body)) {
      const text = readText(path);
      if (!isLockStale(text, fingerprint)) throw runningError(path, text ? parseLock(text)?.pid : undefined);
      replace(path, body);
      // Two processes replacing the same stale lock at once: the last rename wins, the other backs off.
      const now = parseLock(readText(path) ?? "");
      if (now?.pid !== process.pid) throw runningError(path, now?.pid);
    }
  } catch (error) {
    if (error instanceof LockError) throw error;
    throw new LockError(`lock failed: ${(error as Error).message}`, path, "io");
  }
  held.add(path);
  return track(path, options.exitOnSignal ?? true);
}

function track(path: string, exitOnSignal: boolean): LockHandle {
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    held.delete(path);
    process.off("exit", release);
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
    // Never remove a lock that another process has since taken over.
    if (parseLock(readText(path) ?? "")?.pid !== process.pid) return;
    try {
      unlinkSync(path);
    } catch {
      // Already gone.
    }
  };
  const onInt = (): void => {
    release();
    process.exit(130);
  };
  const onTerm = (): void => {
    release();
    process.exit(143);
  };
  process.on("exit", release);
  if (exitOnSignal) {
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
  }
  return { path, release };
}
