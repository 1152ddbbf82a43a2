import { type Action, EventFactory, type ResumeToken, type TakopiEvent, type Usage } from "../../model";
import type { ExitInfo, Translator } from "../engine-spec";
import { exitFailed, exitFailureMessage } from "../run-notes";
import { toolAction } from "../tool-actions";
import { decodePiMessage, messageText, type PiEvent, type PiMessage } from "./schema";

export const PI_ENGINE = "pi";

export interface PiTranslatorInit {
  /** Run directory: tool paths are shown relative to it; also reported in `started.meta`. */
  readonly cwd: string;
  /** The token the run was asked to continue; absent for a new session. */
  readonly resume?: ResumeToken;
  /**
   * The session file a new run was started with. Shown as the token only when
   * pi never reports its session id (pi before the `session` header).
   */
  readonly sessionPath?: string;
  readonly model?: string;
  readonly provider?: string;
}

/** What an assistant message contributes to the final answer. */
interface Outcome {
  text?: string;
  error?: string;
  usage?: Usage;
}

/**
 * pi JSON events → takopi events (behaviour §4.4, decisions 13–14).
 *
 * `agent_end` does not end the run: with retries pi emits one per attempt, so
 * the last one seen decides the outcome and `finish` (at process exit) emits
 * `completed`. Errors come from `stopReason`, since pi exits 0 on model errors.
 */
export class PiTranslator implements Translator {
  readonly #f = new EventFactory(PI_ENGINE);
  readonly #init: PiTranslatorInit;
  readonly #meta: Readonly<Record<string, unknown>>;
  readonly #pending = new Map<string, Action>();
  /** From `message_end` since the last `agent_start`. */
  #current: Outcome = {};
  /** From the last `agent_end`. */
  #end: Outcome | undefined;
  #compactions = 0;
  #finished = false;

  constructor(init: PiTranslatorInit) {
    this.#init = init;
    this.#meta = {
      cwd: init.cwd,
      ...(init.model ? { model: init.model } : {}),
      ...(init.provider ? { provider: init.provider } : {}),
    };
  }

  translate(event: PiEvent): TakopiEvent[] {
    const out: TakopiEvent[] = [];
    if (event.type === "session") {
      this.#start(out, event.id);
      return out;
    }
    this.#start(out, undefined);
    switch (event.type) {
      case "agent_start":
        this.#current = {};
        break;
      case "message_end": {
        const message = decodePiMessage(event.message);
        if (message?.role === "assistant") merge(this.#current, outcome(message));
        break;
      }
      case "agent_end":
        this.#end = this.#agentEnd(event.messages);
        break;
      case "tool_execution_start": {
        const name = event.toolName || "tool";
        const mapped = toolAction({
          name,
          input: event.args,
          cwd: this.#init.cwd,
          pathKeys: PATH_KEYS,
          taskKind: "subagent",
        });
        const action: Action = {
          id: event.toolCallId,
          kind: mapped.kind,
          title: mapped.title,
          detail: { ...mapped.detail, tool_name: name, args: event.args },
        };
        this.#pending.set(action.id, action);
        out.push(this.#f.action("started", action));
        break;
      }
      case "tool_execution_end": {
        const id = event.toolCallId;
        const started = this.#pending.get(id);
        this.#pending.delete(id);
        const base: Action = started ?? { id, kind: "tool", title: event.toolName || "tool" };
        const ok = event.isError !== true;
        const detail = { ...base.detail, is_error: !ok, result_preview: resultPreview(event.result) };
        out.push(this.#f.action("completed", { ...base, detail }, { ok }));
        break;
      }
      case "auto_retry_start": {
        const attempt = event.attempt ?? 1;
        const of = event.maxAttempts ? `/${event.maxAttempts}` : "";
        const cause = event.errorMessage ? `: ${event.errorMessage}` : "";
        out.push(
          this.#f.action(
            attempt <= 1 ? "started" : "updated",
            { id: RETRY_ID, kind: "note", title: `retrying ${attempt}${of} after error${cause}` },
            { level: "info" },
          ),
        );
        break;
      }
      case "auto_retry_end": {
        const ok = event.success === true;
        const n = event.attempt;
        const title = ok
          ? n
            ? `retry ${n} succeeded`
            : "retry succeeded"
          : `gave up after ${n ? `${n} ` : ""}retries${event.finalError ? `: ${event.finalError}` : ""}`;
        out.push(
          this.#f.action(
            "completed",
            { id: RETRY_ID, kind: "note", title },
            { ok, level: ok ? "info" : "warning" },
          ),
        );
        break;
      }
      case "auto_compaction_start":
        this.#compactions++;
        out.push(this.#f.actionStarted(this.#compactionId(), "note", "compacting context"));
        break;
      case "auto_compaction_end": {
        if (this.#compactions === 0) this.#compactions++;
        const ok = event.aborted !== true;
        out.push(
          this.#f.actionCompleted(
            this.#compactionId(),
            "note",
            ok ? "compacted context" : "context compaction aborted",
            ok,
          ),
        );
        break;
      }
      default:
        break;
    }
    return out;
  }

  finish(exit: ExitInfo): TakopiEvent[] {
    if (this.#finished) return [];
    this.#finished = true;
    const out: TakopiEvent[] = [];
    const last = this.#end ?? this.#current;
    const usage = last.usage;
    const failure = exitFailed(exit) ? exitFailureMessage(`${PI_ENGINE} failed`, exit) : undefined;
    if (failure) {
      out.push(this.#f.note(failure, { ok: false }));
      out.push(this.#f.completed({ ok: false, answer: last.text ?? "", error: failure, usage }));
      return out;
    }
    if (!this.#end) {
      out.push(
        this.#f.completed({
          ok: false,
          answer: last.text ?? "",
          error: "pi finished without an agent_end event",
          usage,
        }),
      );
      return out;
    }
    const end = this.#end;
    out.push(
      this.#f.completed({
        ok: end.error === undefined,
        answer: end.text ?? "",
        ...(end.error !== undefined ? { error: end.error } : {}),
        usage,
      }),
    );
    return out;
  }

  /** `started` once: the full session id for a new run (decision 13), else the token we were given. */
  #start(out: TakopiEvent[], sessionId: string | undefined): void {
    if (this.#f.resume) return;
    const value = this.#init.resume?.value ?? sessionId ?? this.#init.sessionPath;
    if (!value) return;
    const started = this.#f.started({ engine: PI_ENGINE, value }, PI_ENGINE, this.#meta);
    if (started) out.push(started);
  }

  /** The last assistant message of `agent_end`, falling back to what `message_end` showed for this attempt. */
  #agentEnd(messages: readonly unknown[]): Outcome {
    for (let i = messages.length - 1; i >= 0; i--) {
      const message = decodePiMessage(messages[i]);
      if (message?.role !== "assistant") continue;
      const found = outcome(message);
      return {
        text: found.text ?? this.#current.text,
        usage: found.usage ?? this.#current.usage,
        ...(found.error !== undefined ? { error: found.error } : {}),
      };
    }
    return { ...this.#current };
  }

  #compactionId(): string {
    return `${PI_ENGINE}.compaction.${this.#compactions}`;
  }
}

const PATH_KEYS: readonly string[] = ["path"];
const RETRY_ID = `${PI_ENGINE}.retry`;
const PREVIEW_CHARS = 500;

function outcome(message: PiMessage): Outcome {
  const found: Outcome = {};
  const text = messageText(message.content);
  if (text !== undefined) found.text = text;
  if (message.usage) found.usage = message.usage;
  const reason = message.stopReason;
  if (reason === "error" || reason === "aborted") found.error = message.errorMessage || `pi run ${reason}`;
  return found;
}

/** Later fields win; an error once seen in an attempt stays (pi stops the attempt on it). */
function merge(into: Outcome, from: Outcome): void {
  if (from.text !== undefined) into.text = from.text;
  if (from.usage !== undefined) into.usage = from.usage;
  if (from.error !== undefined) into.error = from.error;
}

/** The text of a tool result, capped, for logs and `--json`; the full result can be megabytes. */
function resultPreview(result: unknown): string | undefined {
  if (result === undefined || result === null) return undefined;
  if (typeof result === "string") return result.slice(0, PREVIEW_CHARS);
  if (typeof result === "object" && "content" in result && Array.isArray(result.content)) {
    const text = messageText(result.content);
    return text?.slice(0, PREVIEW_CHARS);
  }
  return undefined;
}
