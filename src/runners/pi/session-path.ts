import { homedir } from "node:os";
import { join } from "node:path";

/**
 * Where a new pi session file goes (behaviour §4.4):
 * `<$PI_CODING_AGENT_DIR or ~/.pi/agent>/sessions/--<cwd with / \ : as ->--/<time>_<uuid hex>.jsonl`.
 * pi writes the file; takopi only picks a fresh name and makes sure the folder exists.
 */

export interface SessionPathDeps {
  /** Environment read for `PI_CODING_AGENT_DIR`; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Home directory for the default location and `~` expansion; default `os.homedir()`. */
  readonly homeDir?: string;
  readonly now?: () => Date;
  /** 32 hex digits; default a random UUID without dashes. */
  readonly randomHex?: () => string;
}

/** The per-directory folder pi keeps sessions of `cwd` in. */
export function piSessionDir(cwd: string, deps: SessionPathDeps = {}): string {
  const home = deps.homeDir ?? homedir();
  const configured = (deps.env ?? process.env).PI_CODING_AGENT_DIR;
  const base = configured ? expandHome(configured, home) : join(home, ".pi", "agent");
  const safe = cwd.replace(/^[/\\]+/, "").replace(/[/\\:]/g, "-");
  return join(base, "sessions", `--${safe}--`);
}

/** A fresh session file path for a new run in `cwd`. */
export function newPiSessionPath(cwd: string, deps: SessionPathDeps = {}): string {
  const stamp = (deps.now?.() ?? new Date()).toISOString().replace(/[:.]/g, "-");
  const id = deps.randomHex?.() ?? crypto.randomUUID().replaceAll("-", "");
  return join(piSessionDir(cwd, deps), `${stamp}_${id}.jsonl`);
}

function expandHome(path: string, home: string): string {
  if (path === "~") return home;
  if (path.startsWith("~/")) return join(home, path.slice(2));
  return path;
}
