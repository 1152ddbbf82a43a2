import type { ActionDetail, ActionKind } from "../model";
import { relativizePath, trimTrailingSlashes } from "../model/paths";

export { relativizePath };

/**
 * The shared tool → action table (behaviour §4.5), used by claude, opencode and pi
 * to turn a tool call into the kind and title the progress message shows.
 * Pure: the run directory comes in as `cwd`, never from the process.
 */

export interface ToolActionInput {
  /** Tool name as the engine reports it; matched case-insensitively. */
  readonly name: string;
  /** The tool's arguments; anything that is not a plain object counts as empty. */
  readonly input?: unknown;
  /** Run directory: absolute paths under it are shown relative to it. */
  readonly cwd?: string;
  /** Argument names that may hold a file path, in priority order (claude: `file_path`, `path`). */
  readonly pathKeys?: readonly string[];
  /** What `task`/`agent` tools become: `subagent` (claude, pi) or `tool` (opencode). */
  readonly taskKind?: "subagent" | "tool";
}

export interface ToolAction {
  readonly kind: ActionKind;
  readonly title: string;
  /** `changes` for file edits (raw path, kind `update`); empty otherwise. */
  readonly detail: ActionDetail;
}

export const DEFAULT_PATH_KEYS: readonly string[] = ["file_path", "path"];

const NO_DETAIL: ActionDetail = Object.freeze({});

/** A shell command with every `<cwd>/` removed, so titles show repo-relative paths. */
export function relativizeCommand(command: string, cwd: string | undefined): string {
  if (!cwd) return command;
  const base = trimTrailingSlashes(cwd);
  if (base === "") return command;
  const prefix = `${base}/`;
  return command.includes(prefix) ? command.replaceAll(prefix, "") : command;
}

/** Kind, title and detail for one tool call. */
export function toolAction(call: ToolActionInput): ToolAction {
  const name = call.name;
  const lower = name.toLowerCase();
  const input = asRecord(call.input);
  const cwd = call.cwd;
  switch (lower) {
    case "bash":
    case "shell":
    case "killshell":
      return plain("command", relativizeCommand(str(input, "command") ?? name, cwd));
    case "edit":
    case "write":
    case "notebookedit":
    case "multiedit": {
      const path = pathOf(input, call.pathKeys);
      if (path === undefined) return plain("file_change", name);
      return {
        kind: "file_change",
        title: relativizePath(path, cwd),
        detail: { changes: [{ path, kind: "update" }] },
      };
    }
    case "read":
    case "ls": {
      const path = pathOf(input, call.pathKeys);
      return plain("tool", path === undefined ? name : `${lower}: \`${relativizePath(path, cwd)}\``);
    }
    case "glob": {
      const pattern = str(input, "pattern");
      return plain("tool", pattern === undefined ? name : `glob: \`${pattern}\``);
    }
    case "grep":
    case "find": {
      const pattern = str(input, "pattern");
      return plain("tool", pattern === undefined ? name : `${lower}: ${pattern}`);
    }
    case "websearch":
    case "web_search":
      return plain("web_search", str(input, "query") ?? "search");
    case "webfetch":
    case "web_fetch":
      return plain("web_search", str(input, "url") ?? "fetch");
    case "todowrite":
      return plain("note", "update todos");
    case "todoread":
      return plain("note", "read todos");
    case "askuserquestion":
      return plain("note", "ask user");
    case "task":
    case "agent":
      return plain(call.taskKind ?? "subagent", str(input, "description") ?? str(input, "prompt") ?? name);
    default:
      return plain("tool", name);
  }
}

function plain(kind: ActionKind, title: string): ToolAction {
  return { kind, title, detail: NO_DETAIL };
}

function asRecord(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Readonly<Record<string, unknown>>)
    : undefined;
}

/** A non-empty string argument; numbers are accepted too since some tools send them unquoted. */
function str(input: Readonly<Record<string, unknown>> | undefined, key: string): string | undefined {
  const value = input?.[key];
  if (typeof value === "string") return value === "" ? undefined : value;
  if (typeof value === "number") return String(value);
  return undefined;
}

function pathOf(
  input: Readonly<Record<string, unknown>> | undefined,
  keys: readonly string[] = DEFAULT_PATH_KEYS,
): string | undefined {
  for (const key of keys) {
    const value = str(input, key);
    if (value !== undefined) return value;
  }
  return undefined;
}
