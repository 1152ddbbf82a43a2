import type { Action } from "../model";
import { relativizePath } from "../model/paths";
import type { ActionState } from "../progress/tracker";
import { shorten, TITLE_WIDTH } from "./shorten";

export const STATUS_GLYPHS = { running: "▸", updated: "↻", done: "✓", failed: "✗" } as const;

/** At most this many changed files are named in a `files:` title. */
export const MAX_INLINE_CHANGES = 3;

export interface TitleOptions {
  /** Run directory; changed-file paths are shown relative to it. */
  readonly cwd?: string;
  /** Titles are shortened to this many characters (default 300). */
  readonly width?: number;
}

/**
 * An inline code span that survives backticks inside `text`: the fence is one
 * backtick longer than the longest run inside, padded when the text touches it.
 */
export function codeSpan(text: string): string {
  if (!text.includes("`")) return `\`${text}\``;
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

function nonZeroExit(action: Action): number | undefined {
  const code = action.detail?.exit_code;
  return typeof code === "number" && Number.isInteger(code) && code !== 0 ? code : undefined;
}

export function statusGlyph(state: ActionState): string {
  if (state.displayPhase === "updated") return STATUS_GLYPHS.updated;
  if (state.displayPhase !== "completed") return STATUS_GLYPHS.running;
  if (state.ok !== undefined) return state.ok ? STATUS_GLYPHS.done : STATUS_GLYPHS.failed;
  return nonZeroExit(state.action) === undefined ? STATUS_GLYPHS.done : STATUS_GLYPHS.failed;
}

function fileChangeTitle(action: Action, cwd: string | undefined, width: number): string {
  const changes = action.detail?.changes;
  if (Array.isArray(changes) && changes.length > 0) {
    const named: string[] = [];
    for (const change of changes) {
      const path: unknown = change?.path;
      if (typeof path !== "string" || path === "") continue;
      const kind: unknown = change.kind;
      const verb = typeof kind === "string" && kind !== "" ? kind : "update";
      named.push(`${verb} ${codeSpan(relativizePath(path, cwd))}`);
    }
    if (named.length > 0) {
      if (named.length > MAX_INLINE_CHANGES) {
        const more = named.length - MAX_INLINE_CHANGES;
        named.length = MAX_INLINE_CHANGES;
        named.push(`…(${more} more)`);
      }
      return `files: ${shorten(named.join(", "), width)}`;
    }
  }
  const title = action.title;
  const relative = relativizePath(title, cwd);
  const quoted = relative.startsWith("`") && relative.endsWith("`") && relative.length > 1;
  const shown =
    relative && !quoted && (relative !== title || relative.includes("/")) ? codeSpan(relative) : relative;
  return `files: ${shorten(shown, width)}`;
}

/** The title part of an action line, by kind (behaviour §3.13). */
export function actionTitle(action: Action, opts: TitleOptions = {}): string {
  const width = opts.width ?? TITLE_WIDTH;
  switch (action.kind) {
    case "command":
      return codeSpan(shorten(action.title, width));
    case "tool":
      return `tool: ${shorten(action.title, width)}`;
    case "web_search":
      return `searched: ${shorten(action.title, width)}`;
    case "subagent":
      return `subagent: ${shorten(action.title, width)}`;
    case "file_change":
      return fileChangeTitle(action, opts.cwd, width);
    default:
      return shorten(action.title, width);
  }
}

/** `<glyph> <title>[ (exit N)]`, e.g. ``✗ `pytest -q` (exit 1)``. */
export function actionLine(state: ActionState, opts: TitleOptions = {}): string {
  const line = `${statusGlyph(state)} ${actionTitle(state.action, opts)}`;
  if (state.displayPhase !== "completed") return line;
  const code = nonZeroExit(state.action);
  return code === undefined ? line : `${line} (exit ${code})`;
}
