// Versioned JSON state files (`{"version": N, ...}`) shared with the original takopi's layout.
// I/O failures are logged, never thrown: state is a convenience, the bridge keeps running without it.
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";
import type { z } from "zod";
import { getLogger, type Logger } from "../logging/logger";

export interface JsonStateOptions<T extends object> {
  readonly path: string;
  /** Expected `version`; a file with another version is moved aside and the store starts empty. */
  readonly version: number;
  /** Shape of everything except `version`. */
  readonly schema: z.ZodType<T>;
  /** A fresh empty state (called whenever the store starts over). */
  readonly empty: () => NoInfer<T>;
  readonly logger?: Logger;
}

/** `indent=2`, keys sorted at every level, trailing newline: diff-friendly and stable. */
export function serializeState(data: object): string {
  return `${JSON.stringify(data, sortKeys, 2)}\n`;
}

function sortKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = (value as Record<string, unknown>)[key];
  return sorted;
}

/** temp file + fsync + rename, so a crash leaves either the old file or the new one. */
export function writeFileAtomic(path: string, text: string, mode = 0o600): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w", mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {
      // The temp file is already gone.
    }
    throw error;
  }
}

function corruptName(path: string, now: Date): string {
  // 2026-01-02T03:04:05.678Z → 20260102T030405678Z: sortable, no characters awkward in file names.
  return `${path}.corrupt-${now.toISOString().replace(/[-:.]/g, "")}`;
}

/**
 * A small store over one JSON file. `read()` reloads when the file's mtime, size or inode
 * changed (another process or the user edited it); `update()` changes and writes atomically.
 */
export class JsonStateStore<T extends object> {
  readonly path: string;
  private readonly options: JsonStateOptions<T>;
  private readonly log: Logger;
  private data: T;
  private stamp: string | undefined;

  constructor(options: JsonStateOptions<T>) {
    this.options = options;
    this.path = options.path;
    this.log = options.logger ?? getLogger("state");
    this.data = options.empty();
    this.stamp = undefined;
    this.reloadIfChanged();
  }

  /** The current state, reloaded first if the file changed on disk. Do not mutate: use `update`. */
  read(): T {
    this.reloadIfChanged();
    return this.data;
  }

  /**
   * Lets `mutate` change a copy of the current state, keeps it, and writes the file.
   * The new state is kept in memory even if the write fails; returns whether it reached disk.
   */
  update(mutate: (draft: T) => void): boolean {
    this.reloadIfChanged();
    // A copy, so a mutator that throws halfway leaves the current state untouched.
    const draft = structuredClone(this.data);
    mutate(draft);
    this.data = draft;
    return this.persist();
  }

  /** Replaces the whole state and writes it. Same failure rule as `update`. */
  replace(data: T): boolean {
    this.data = data;
    return this.persist();
  }

  private persist(): boolean {
    try {
      writeFileAtomic(this.path, serializeState({ ...this.data, version: this.options.version }));
      this.stamp = this.statStamp();
      return true;
    } catch (error) {
      this.log.warning("state.write_failed", { path: this.path, error });
      return false;
    }
  }

  private statStamp(): string | undefined {
    try {
      const st = statSync(this.path);
      return `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      return undefined;
    }
  }

  private reloadIfChanged(): void {
    const stamp = this.statStamp();
    if (stamp === this.stamp) return;
    this.stamp = stamp;
    if (stamp === undefined) {
      // Deleted (the documented way to reset a state file): start over.
      this.data = this.options.empty();
      return;
    }
    this.data = this.load();
  }

  private load(): T {
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (error) {
      this.log.warning("state.read_failed", { path: this.path, error });
      return this.options.empty();
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      return this.moveAside("invalid JSON", error);
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw))
      return this.moveAside("not a JSON object");
    const { version, ...rest } = raw as Record<string, unknown>;
    if (version !== this.options.version) {
      return this.moveAside(`version ${JSON.stringify(version ?? null)}, expected ${this.options.version}`);
    }
    const parsed = this.options.schema.safeParse(rest);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? issue.path.join(".") : "(root)";
      return this.moveAside(`unexpected shape at ${where}: ${issue?.message ?? "invalid"}`);
    }
    return parsed.data;
  }

  private moveAside(reason: string, error?: unknown): T {
    const target = corruptName(this.path, new Date());
    try {
      renameSync(this.path, target);
      this.log.warning("state.moved_aside", { path: this.path, moved_to: target, reason, error });
    } catch (renameError) {
      this.log.warning("state.unreadable", { path: this.path, reason, error: renameError });
    }
    this.stamp = this.statStamp();
    return this.options.empty();
  }
}
