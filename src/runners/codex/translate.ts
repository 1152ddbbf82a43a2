import {
  type ActionEvent,
  type ActionPhase,
  type CompletedEvent,
  EventFactory,
  type TakopiEvent,
  type Usage,
} from "../../model";
import type { ExitInfo, Translator } from "../engine-spec";
import { exitFailed, exitFailureMessage } from "../run-notes";
import type { RunRequest } from "../runner";
import { relativizeCommand, relativizePath } from "../tool-actions";
import type { CodexEvent, CodexItem } from "./schema";

/**
 * `codex exec --json` events → takopi events (behaviour §4.1, decisions 15).
 * One instance per run; pure apart from its own state.
 */

const ENGINE = "codex";
/** `Reconnecting... 2/5 (<cause>)`, `Reconnecting... waiting for network (<cause>)`, or the bare older form. */
const RECONNECT = /^Reconnecting\.\.\.(?:\s*(\d+)\s*\/\s*\d+)?/;
const RECONNECT_ID = "codex.reconnect";
const NO_EVENTS: TakopiEvent[] = [];

type ItemPhase = "started" | "updated" | "completed";
const ITEM_PHASE: Readonly<Record<string, ItemPhase>> = {
  "item.started": "started",
  "item.updated": "updated",
  "item.completed": "completed",
};

export class CodexTranslator implements Translator {
  readonly #f = new EventFactory(ENGINE);
  readonly #request: RunRequest;
  readonly #title: string;
  #turn = 0;
  /** Answer candidates of the current turn: the last `final_answer`, else the last phase-less message. */
  #final: string | undefined;
  #plain: string | undefined;
  #reconnecting = false;

  /** `title` is the profile name or `Codex`. */
  constructor(request: RunRequest, title = "Codex") {
    this.#request = request;
    this.#title = title;
  }

  /** `line` is a value produced by `decodeCodexLine`. */
  translate(line: unknown): TakopiEvent[] {
    return this.event(line as CodexEvent);
  }

  event(e: CodexEvent): TakopiEvent[] {
    switch (e.type) {
      case "thread.started":
        return this.#started(e.thread_id);
      case "turn.started":
        this.#final = undefined;
        this.#plain = undefined;
        return [this.#f.actionStarted(`turn_${this.#turn++}`, "turn", "turn started")];
      case "turn.completed":
        return [
          this.#done({ ok: true, answer: this.#answer(), ...(e.usage ? { usage: e.usage as Usage } : {}) }),
        ];
      case "turn.failed":
        return [this.#done({ ok: false, answer: this.#answer(), error: e.error.message })];
      case "error":
        return [this.#streamError(e.message)];
      case "item.started":
      case "item.updated":
      case "item.completed":
        return this.#item(ITEM_PHASE[e.type] ?? "completed", e.item);
      case "unknown":
        return NO_EVENTS;
    }
  }

  finish(exit: ExitInfo): TakopiEvent[] {
    if (exitFailed(exit)) {
      const message = exitFailureMessage("codex exec failed", exit);
      return [
        this.#f.note(message, { ok: false, level: "warning" }),
        this.#done({ ok: false, error: message }),
      ];
    }
    if (this.#f.resume === undefined) {
      return [
        this.#done({ ok: false, error: "codex exec finished but no session_id/thread_id was captured" }),
      ];
    }
    // codex sometimes ends cleanly without `turn.completed`; what it said is still the answer.
    return [this.#done({ ok: true, answer: this.#answer() })];
  }

  #answer(): string {
    return this.#final ?? this.#plain ?? "";
  }

  /** Completed, carrying the thread seen in this run or else the one we were asked to resume. */
  #done(fields: { ok: boolean; answer?: string; error?: string; usage?: Usage }): CompletedEvent {
    const resume = this.#f.resume ?? this.#request.resume;
    return this.#f.completed(resume ? { ...fields, resume } : fields);
  }

  #started(threadId: string): TakopiEvent[] {
    const expected = this.#f.resume?.value ?? this.#request.resume?.value;
    if (expected !== undefined && expected !== threadId) {
      return [
        this.#done({ ok: false, error: `codex emitted session id ${threadId} but expected ${expected}` }),
      ];
    }
    const started = this.#f.started({ engine: ENGINE, value: threadId }, this.#title);
    return started ? [started] : NO_EVENTS;
  }

  /** Top-level `error`: a reconnect notice updates one note in place; anything else is a warning. Never fatal. */
  #streamError(message: string): ActionEvent {
    const m = RECONNECT.exec(message);
    if (m) {
      const attempt = m[1] === undefined ? undefined : Number(m[1]);
      const phase: ActionPhase =
        !this.#reconnecting || (attempt !== undefined && attempt <= 1) ? "started" : "updated";
      this.#reconnecting = true;
      return this.#f.action(phase, { id: RECONNECT_ID, kind: "note", title: message }, { level: "info" });
    }
    return this.#f.note(message, { ok: false, level: "warning" });
  }

  #item(phase: ItemPhase, item: CodexItem): TakopiEvent[] {
    const f = this.#f;
    const done = phase === "completed";
    switch (item.type) {
      case "agent_message":
        if (item.phase === "commentary") {
          return [f.action(phase, { id: item.id, kind: "note", title: item.text }, done ? { ok: true } : {})];
        }
        if (done) {
          if (item.phase === "final_answer") this.#final = item.text;
          else if (!item.phase) this.#plain = item.text;
        }
        return NO_EVENTS;
      case "reasoning":
        if (!item.text) return NO_EVENTS;
        return [f.action(phase, { id: item.id, kind: "note", title: item.text }, done ? { ok: true } : {})];
      case "command_execution": {
        const title = relativizeCommand(item.command, this.#request.cwd);
        if (!done) return [f.action(phase, { id: item.id, kind: "command", title })];
        const code = item.exit_code ?? null;
        const ok = item.status === "completed" && (code === null || code === 0);
        return [f.actionCompleted(item.id, "command", title, ok, { exit_code: code, status: item.status })];
      }
      case "mcp_tool_call": {
        const title = [item.server, item.tool].filter(Boolean).join(".") || "tool";
        const detail: Record<string, unknown> = {
          server: item.server,
          tool: item.tool,
          status: item.status,
          arguments: item.arguments,
        };
        if (!done) return [f.action(phase, { id: item.id, kind: "tool", title, detail })];
        if (item.error) detail.error_message = item.error.message ?? JSON.stringify(item.error);
        const summary = summarizeToolResult(item.result);
        if (summary) detail.result_summary = summary;
        const ok = item.status === "completed" && !item.error;
        return [f.actionCompleted(item.id, "tool", title, ok, detail)];
      }
      case "web_search": {
        const action = {
          id: item.id,
          kind: "web_search" as const,
          // Newer CLIs may start a search before its query is known.
          title: item.query || "search",
          detail: { query: item.query },
        };
        return [f.action(phase, action, done ? { ok: true } : {})];
      }
      case "file_change": {
        const title = changeSummary(item.changes, this.#request.cwd);
        const detail = { changes: item.changes, status: item.status };
        if (!done) return [f.action(phase, { id: item.id, kind: "file_change", title, detail })];
        return [f.actionCompleted(item.id, "file_change", title, item.status === "completed", detail)];
      }
      case "todo_list": {
        let finished = 0;
        let next: string | undefined;
        for (const todo of item.items) {
          if (todo.completed) finished++;
          else next ??= todo.text;
        }
        const total = item.items.length;
        const title = total === 0 ? "todo" : `todo ${finished}/${total}: ${next ?? "done"}`;
        const action = { id: item.id, kind: "note" as const, title, detail: { done: finished, total } };
        return [f.action(phase, action, done ? { ok: true } : {})];
      }
      case "error":
        if (!done) return NO_EVENTS;
        return [
          f.action(
            "completed",
            { id: item.id, kind: "warning", title: item.message, detail: { message: item.message } },
            { ok: false, message: item.message, level: "warning" },
          ),
        ];
      case "unknown":
        return NO_EVENTS;
    }
  }
}

/** Comma-joined paths relative to the run dir; `N files` when codex gave none. */
function changeSummary(changes: readonly { path: string }[], cwd: string): string {
  const paths: string[] = [];
  for (const c of changes) if (c.path) paths.push(relativizePath(c.path, cwd));
  if (paths.length > 0) return paths.join(", ");
  return changes.length > 0 ? `${changes.length} files` : "files";
}

/** How much an MCP tool returned, without copying its content into the event. */
function summarizeToolResult(result: unknown): Record<string, unknown> | undefined {
  if (result === null || typeof result !== "object" || Array.isArray(result)) return undefined;
  const r = result as Record<string, unknown>;
  const summary: Record<string, unknown> = {};
  if (Array.isArray(r.content)) summary.content_blocks = r.content.length;
  else if (r.content !== undefined && r.content !== null) summary.content_blocks = 1;
  const key = "structured_content" in r ? "structured_content" : "structured" in r ? "structured" : undefined;
  if (key) summary.has_structured = r[key] !== null && r[key] !== undefined;
  return Object.keys(summary).length > 0 ? summary : undefined;
}
