import {
  type ActionDetail,
  type CompletedEvent,
  EventFactory,
  type TakopiEvent,
  type Usage,
} from "../../model";
import type { ExitInfo, Translator } from "../engine-spec";
import { exitFailed, exitFailureMessage } from "../run-notes";
import { relativizePath, toolAction } from "../tool-actions";
import type { OpencodeEvent, OpencodeTokens, OpencodeToolState } from "./schema";

export const OPENCODE_ENGINE = "opencode";

export interface OpencodeTranslatorInit {
  /** Run directory: tool paths are shown relative to it. */
  readonly cwd: string;
  /** `started.title`: the model in use, else `opencode`. */
  readonly model?: string;
}

type ToolUse = Extract<OpencodeEvent, { type: "tool_use" }>;

/**
 * opencode JSON events → takopi events (behaviour §4.3).
 *
 * The session id comes with every line; the first one seen starts the run, even
 * when that line is an `error`, so a failed first prompt still leaves a resume
 * line to retry in the same session. Text parts of every step make up the answer;
 * `step_finish` with reason `stop` completes the run.
 */
export class OpencodeTranslator implements Translator {
  readonly #f = new EventFactory(OPENCODE_ENGINE);
  readonly #cwd: string;
  readonly #title: string;
  #answer = "";
  #sawStepFinish = false;
  #lastReason: string | undefined;
  /** Error of a failed tool call in the current step, to explain a run that stops after it. */
  #stepToolError: string | undefined;
  #cost = 0;
  /** A `completed` went out; the base stops reading then, this keeps direct callers honest too. */
  #done = false;
  readonly #tokens: Record<string, number> = {};

  constructor(init: OpencodeTranslatorInit) {
    this.#cwd = init.cwd;
    this.#title = init.model || OPENCODE_ENGINE;
  }

  translate(event: OpencodeEvent): TakopiEvent[] {
    if (this.#done) return [];
    const out: TakopiEvent[] = [];
    const sid = event.sessionID;
    if (sid && !this.#f.resume) {
      const started = this.#f.started({ engine: OPENCODE_ENGINE, value: sid }, this.#title);
      if (started) out.push(started);
    }
    switch (event.type) {
      case "step_start":
        this.#stepToolError = undefined;
        break;
      case "tool_use":
        this.#toolUse(event, out);
        break;
      case "text": {
        const text = event.part?.text;
        if (text) this.#answer += text;
        break;
      }
      case "step_finish": {
        this.#sawStepFinish = true;
        this.#lastReason = event.part?.reason;
        this.#addUsage(event.part?.tokens, event.part?.cost);
        if (this.#lastReason === "stop")
          out.push(this.#complete(this.#f.completedOk(this.#answer, this.#usage())));
        break;
      }
      case "error":
        out.push(
          this.#complete(this.#f.completedError(errorMessage(event.message ?? event.error), this.#answer)),
        );
        break;
      case "unknown":
        break;
    }
    return out;
  }

  finish(exit: ExitInfo): TakopiEvent[] {
    if (this.#done) return [];
    this.#done = true;
    const out: TakopiEvent[] = [];
    const failure = exitFailed(exit) ? exitFailureMessage(`${OPENCODE_ENGINE} failed`, exit) : undefined;
    if (failure) {
      out.push(this.#f.note(failure, { ok: false }));
      out.push(this.#f.completedError(failure, this.#answer, this.#usage()));
    } else if (!this.#f.resume) {
      out.push(this.#f.completedError("opencode finished but no session_id was captured", this.#answer));
    } else if (this.#lastReason === "tool-calls") {
      // opencode ends its loop after a step whose tool call was refused (a permission
      // "ask" rejected in a non-interactive run) and exits 0 with no final step. A
      // silent "done" would hide that nothing happened: fail and say which call stopped it.
      const why = this.#stepToolError ? `: ${this.#stepToolError}` : "";
      out.push(
        this.#f.completedError(
          `opencode stopped after a tool call, without a final answer${why}`,
          this.#answer,
          this.#usage(),
        ),
      );
    } else if (this.#sawStepFinish) {
      out.push(this.#f.completedOk(this.#answer, this.#usage()));
    } else {
      out.push(this.#f.completedError("opencode finished without a result event", this.#answer));
    }
    return out;
  }

  #toolUse(event: ToolUse, out: TakopiEvent[]): void {
    const part = event.part;
    const id = part?.callID || part?.id;
    if (!part || !id) return;
    const name = part.tool || "tool";
    const state: OpencodeToolState = part.state ?? {};
    const input = state.input;
    const mapped = toolAction({ name, input, cwd: this.#cwd, pathKeys: PATH_KEYS, taskKind: "tool" });
    // `invalid` is opencode's stand-in for a call it could not make (unknown tool,
    // bad arguments): it "completes", but the call failed, and the tool it meant
    // says more than opencode's title "Invalid Tool".
    const invalid = name === INVALID_TOOL;
    const title = invalid
      ? invalidTitle(input)
      : state.title
        ? this.#normalizeTitle(state.title, input)
        : mapped.title;
    const base: ActionDetail = { ...mapped.detail, name, input, callID: id };
    if (state.status === "completed") {
      const exit = exitCodeOf(state);
      const output = state.output;
      const detail: ActionDetail = {
        ...base,
        exit_code: exit ?? null,
        ...(output !== undefined && output !== null
          ? { output_preview: String(output).slice(0, PREVIEW_CHARS) }
          : {}),
      };
      const ok = !invalid && (exit === undefined || exit === 0);
      if (invalid && detail.output_preview) this.#stepToolError = String(detail.output_preview);
      out.push(this.#f.action("completed", { id, kind: mapped.kind, title, detail }, { ok }));
    } else if (state.status === "error") {
      const error = state.error === undefined || state.error === null ? undefined : String(state.error);
      if (error !== undefined) this.#stepToolError = error;
      const detail: ActionDetail = {
        ...base,
        exit_code: exitCodeOf(state) ?? null,
        ...(error !== undefined ? { error } : {}),
      };
      out.push(
        this.#f.action(
          "completed",
          { id, kind: mapped.kind, title, detail },
          { ok: false, ...(error !== undefined ? { message: error } : {}) },
        ),
      );
    } else {
      out.push(this.#f.action("started", { id, kind: mapped.kind, title, detail: base }));
    }
  }

  /** opencode's own tool title wins; a bare path gets backticks, like the titles of the shared table. */
  #normalizeTitle(title: string, input: unknown): string {
    if (title.includes("`")) return title;
    const path = pathOf(input);
    if (path) {
      const rel = relativizePath(path, this.#cwd);
      if (title === path || title === rel) return `\`${rel}\``;
    }
    return title;
  }

  #addUsage(tokens: OpencodeTokens | undefined, cost: number | undefined): void {
    if (typeof cost === "number") this.#cost += cost;
    if (!tokens) return;
    add(this.#tokens, "input", tokens.input);
    add(this.#tokens, "output", tokens.output);
    add(this.#tokens, "reasoning", tokens.reasoning);
    add(this.#tokens, "cache_read", tokens.cache?.read);
    add(this.#tokens, "cache_write", tokens.cache?.write);
  }

  #usage(): Usage | undefined {
    const hasTokens = Object.keys(this.#tokens).length > 0;
    if (!hasTokens && this.#cost <= 0) return undefined;
    return {
      ...(this.#cost > 0 ? { total_cost_usd: this.#cost } : {}),
      ...(hasTokens ? { tokens: { ...this.#tokens } } : {}),
    };
  }

  #complete(event: CompletedEvent): CompletedEvent {
    this.#done = true;
    return event;
  }
}

const PATH_KEYS: readonly string[] = ["file_path", "filePath"];
const INVALID_TOOL = "invalid";
const PREVIEW_CHARS = 500;

function add(into: Record<string, number>, key: string, value: number | undefined): void {
  if (typeof value === "number") into[key] = (into[key] ?? 0) + value;
}

function pathOf(input: unknown): string | undefined {
  if (input === null || typeof input !== "object") return undefined;
  for (const key of PATH_KEYS) {
    const value = prop(input, key);
    if (typeof value === "string" && value) return value;
  }
  return undefined;
}

function invalidTitle(input: unknown): string {
  const tool = input !== null && typeof input === "object" ? prop(input, "tool") : undefined;
  return typeof tool === "string" && tool ? `invalid tool call: ${tool}` : "invalid tool call";
}

function prop(obj: object, key: string): unknown {
  return Reflect.get(obj, key);
}

/** `metadata.exit` (current opencode) or `metadata.exitCode` (older releases), when it is a number. */
function exitCodeOf(state: OpencodeToolState): number | undefined {
  const exit = state.metadata?.exit ?? state.metadata?.exitCode;
  return typeof exit === "number" ? exit : undefined;
}

/** `error.data.message`, else `message`, else `name`; a plain string as is. */
function errorMessage(raw: unknown): string {
  if (typeof raw === "string" && raw) return raw;
  if (raw !== null && typeof raw === "object") {
    const data = prop(raw, "data");
    const dataMessage = data !== null && typeof data === "object" ? prop(data, "message") : undefined;
    if (typeof dataMessage === "string" && dataMessage) return dataMessage;
    for (const key of ["message", "name"]) {
      const value = prop(raw, key);
      if (typeof value === "string" && value) return value;
    }
  }
  return "opencode error";
}
