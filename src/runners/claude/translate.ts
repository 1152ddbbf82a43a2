import {
  type Action,
  type ActionDetail,
  type ActionEvent,
  type CompletedEvent,
  EventFactory,
  type TakopiEvent,
  type Usage,
} from "../../model";
import type { ExitInfo, Translator } from "../engine-spec";
import { exitFailed, exitFailureMessage } from "../run-notes";
import type { RunRequest } from "../runner";
import { toolAction } from "../tool-actions";
import type { ClaudeBlock, ClaudeDenial, ClaudeEvent, ClaudeInit, ClaudeResult, ClaudeRetry } from "./schema";

/**
 * Claude Code stream-json → takopi events (behaviour §4.2, decisions 16).
 * One instance per run; pure apart from its own state.
 */

const ENGINE = "claude";
const PATH_KEYS: readonly string[] = ["file_path", "path"];
const RETRY_ID = "claude.retry";
const PREVIEW_CHARS = 500;
const NO_EVENTS: TakopiEvent[] = [];

export class ClaudeTranslator implements Translator {
  readonly #f = new EventFactory(ENGINE);
  readonly #request: RunRequest;
  /** Tool calls waiting for their result, by tool_use id. */
  readonly #pending = new Map<string, Action>();
  /** Permission warnings already shown, so `result.permission_denials` does not repeat them. */
  readonly #denied = new Set<string>();
  #lastText: string | undefined;
  #thinking = 0;
  #retrying = false;

  constructor(request: RunRequest) {
    this.#request = request;
  }

  /** `line` is a value produced by `decodeClaudeLine`. */
  translate(line: unknown): TakopiEvent[] {
    return this.event(line as ClaudeEvent);
  }

  event(e: ClaudeEvent): TakopiEvent[] {
    switch (e.type) {
      case "system":
        switch (e.subtype) {
          case "init":
            return e.session_id ? this.#started(e.session_id, e) : NO_EVENTS;
          case "api_retry":
            return [this.#retry(e)];
          case "permission_denied": {
            const detail = { tool_name: e.tool_name, tool_use_id: e.tool_use_id, message: e.message };
            return [this.#denial(e.tool_name, e.tool_use_id, e.message ?? undefined, detail)];
          }
        }
        return NO_EVENTS;
      case "assistant": {
        const parent = e.parent_tool_use_id ?? undefined;
        const blocks = e.message.content;
        // Current CLIs send one block per line; older ones several.
        if (blocks.length === 1 && blocks[0]) return this.#assistantBlock(blocks[0], parent);
        const out: TakopiEvent[] = [];
        for (const block of blocks) out.push(...this.#assistantBlock(block, parent));
        return out;
      }
      case "user": {
        const blocks = e.message.content;
        if (typeof blocks === "string") return NO_EVENTS;
        const out: TakopiEvent[] = [];
        for (const block of blocks) {
          if (block.type === "tool_result") out.push(this.#toolResult(block));
        }
        return out;
      }
      case "result":
        return this.#result(e);
      case "unknown":
        return NO_EVENTS;
    }
  }

  finish(exit: ExitInfo): TakopiEvent[] {
    if (exitFailed(exit)) {
      const message = exitFailureMessage("claude failed", exit);
      return [
        this.#f.note(message, { ok: false, level: "warning" }),
        this.#done({ ok: false, error: message }),
      ];
    }
    if (this.#f.resume === undefined) {
      return [this.#done({ ok: false, error: "claude finished but no session_id was captured" })];
    }
    return [
      this.#done({
        ok: false,
        answer: this.#lastText ?? "",
        error: "claude finished without a result event",
      }),
    ];
  }

  /** Completed, carrying the session seen in this run or else the one we were asked to resume. */
  #done(fields: { ok: boolean; answer?: string; error?: string; usage?: Usage }): CompletedEvent {
    const resume = this.#f.resume ?? this.#request.resume;
    return this.#f.completed(resume ? { ...fields, resume } : fields);
  }

  #started(sessionId: string, init: ClaudeInit): TakopiEvent[] {
    const expected = this.#f.resume?.value ?? this.#request.resume?.value;
    if (expected !== undefined && expected !== sessionId) {
      return [
        this.#done({ ok: false, error: `claude emitted session id ${sessionId} but expected ${expected}` }),
      ];
    }
    const meta: Record<string, unknown> = {};
    if (init.cwd != null) meta.cwd = init.cwd;
    if (init.tools !== undefined) meta.tools = init.tools;
    if (init.permissionMode !== undefined) meta.permissionMode = init.permissionMode;
    if (init.output_style !== undefined) meta.output_style = init.output_style;
    if (init.apiKeySource !== undefined) meta.apiKeySource = init.apiKeySource;
    if (init.mcp_servers !== undefined) meta.mcp_servers = init.mcp_servers;
    const started = this.#f.started({ engine: ENGINE, value: sessionId }, init.model || "claude", meta);
    return started ? [started] : NO_EVENTS;
  }

  /** `system/api_retry`: one note updated in place, like codex's reconnect notices. */
  #retry(e: ClaudeRetry): ActionEvent {
    const attempt = e.attempt ?? undefined;
    const count =
      attempt === undefined ? "" : ` ${attempt}${e.max_retries != null ? `/${e.max_retries}` : ""}`;
    const cause = [
      e.error_status != null ? String(e.error_status) : "",
      typeof e.error === "string" ? e.error : "",
    ]
      .filter(Boolean)
      .join(" ");
    const title = `Retrying...${count} (API error${cause ? ` ${cause}` : ""})`;
    const phase = !this.#retrying || (attempt !== undefined && attempt <= 1) ? "started" : "updated";
    this.#retrying = true;
    const detail: ActionDetail = {
      attempt: e.attempt,
      max_retries: e.max_retries,
      retry_delay_ms: e.retry_delay_ms,
      error_status: e.error_status,
      error: e.error,
    };
    return this.#f.action(phase, { id: RETRY_ID, kind: "note", title, detail }, { level: "info" });
  }

  #denial(
    tool: string | null | undefined,
    toolUseId: string | null | undefined,
    message: string | undefined,
    detail: ActionDetail,
  ): ActionEvent {
    const id = `claude.permission.${toolUseId || this.#denied.size}`;
    this.#denied.add(id);
    return this.#f.action(
      "completed",
      { id, kind: "warning", title: tool ? `permission denied: ${tool}` : "permission denied", detail },
      { ok: false, level: "warning", ...(message ? { message } : {}) },
    );
  }

  #assistantBlock(block: ClaudeBlock, parent: string | undefined): TakopiEvent[] {
    switch (block.type) {
      case "text":
        if (block.text) this.#lastText = block.text;
        return NO_EVENTS;
      case "thinking":
        if (!block.thinking) return NO_EVENTS;
        return [this.#f.note(block.thinking, { id: `claude.thinking.${++this.#thinking}` })];
      case "tool_use": {
        const mapped = toolAction({
          name: block.name,
          input: block.input,
          cwd: this.#request.cwd,
          pathKeys: PATH_KEYS,
          taskKind: "subagent",
        });
        const detail: ActionDetail = {
          name: block.name,
          input: block.input,
          ...(parent ? { parent_tool_use_id: parent } : {}),
          ...mapped.detail,
        };
        const action: Action = { id: block.id, kind: mapped.kind, title: mapped.title, detail };
        this.#pending.set(block.id, action);
        return [this.#f.action("started", action)];
      }
      default:
        return NO_EVENTS;
    }
  }

  #toolResult(block: Extract<ClaudeBlock, { type: "tool_result" }>): ActionEvent {
    const id = block.tool_use_id;
    const pending = this.#pending.get(id);
    if (pending) this.#pending.delete(id);
    const isError = block.is_error === true;
    const text = resultText(block.content);
    const detail: ActionDetail = {
      ...pending?.detail,
      tool_use_id: id,
      result_preview: text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text,
      result_len: text.length,
      is_error: isError,
    };
    const kind = pending?.kind ?? "tool";
    const title = pending?.title ?? "tool result";
    return this.#f.actionCompleted(id, kind, title, !isError, detail);
  }

  #result(e: ClaudeResult): TakopiEvent[] {
    const out: TakopiEvent[] = [];
    const denials = e.permission_denials;
    if (denials) {
      for (const d of denials) {
        if (d.tool_use_id && this.#denied.has(`claude.permission.${d.tool_use_id}`)) continue;
        out.push(this.#denial(d.tool_name, d.tool_use_id, undefined, denialDetail(d)));
      }
    }
    const usage = resultUsage(e);
    // `is_error` decides, not `subtype`: an API failure arrives as subtype "success" with is_error true.
    if (e.is_error) {
      const error = e.result?.trim() || errorsText(e.errors) || `claude run failed (${e.subtype || "error"})`;
      out.push(this.#done({ ok: false, error, ...(usage ? { usage } : {}) }));
    } else {
      const answer = e.result || this.#lastText || "";
      out.push(this.#done({ ok: true, answer, ...(usage ? { usage } : {}) }));
    }
    return out;
  }
}

function denialDetail(d: ClaudeDenial): ActionDetail {
  return { tool_name: d.tool_name, tool_use_id: d.tool_use_id, tool_input: d.tool_input };
}

/** A tool result's content: a string, or text blocks joined by newlines. */
function resultText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  const parts: string[] = [];
  for (const item of content) {
    if (typeof item === "string") {
      if (item) parts.push(item);
    } else if (item !== null && typeof item === "object") {
      const text = (item as { text?: unknown }).text;
      if (typeof text === "string" && text) parts.push(text);
    }
  }
  return parts.join("\n");
}

/** `errors: ["No conversation found …"]` (strings or `{message}` objects) as one text. */
function errorsText(errors: readonly unknown[] | null | undefined): string {
  if (!errors) return "";
  const parts: string[] = [];
  for (const item of errors) {
    if (typeof item === "string") {
      if (item) parts.push(item);
    } else if (item !== null && typeof item === "object") {
      const message =
        (item as { message?: unknown; error?: unknown }).message ?? (item as { error?: unknown }).error;
      if (typeof message === "string" && message) parts.push(message);
    }
  }
  return parts.join("\n");
}

function resultUsage(e: ClaudeResult): Usage | undefined {
  const usage: Record<string, unknown> = {};
  if (e.total_cost_usd != null) usage.total_cost_usd = e.total_cost_usd;
  if (e.duration_ms != null) usage.duration_ms = e.duration_ms;
  if (e.duration_api_ms != null) usage.duration_api_ms = e.duration_api_ms;
  if (e.num_turns != null) usage.num_turns = e.num_turns;
  if (e.usage != null) usage.usage = e.usage;
  return Object.keys(usage).length > 0 ? usage : undefined;
}
