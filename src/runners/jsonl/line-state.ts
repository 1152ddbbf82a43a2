import { getLogger } from "../../logging/logger";
import {
  type ActionEvent,
  type CompletedEvent,
  type EngineId,
  EventContractError,
  type ResumeToken,
  type TakopiEvent,
} from "../../model";
import type { ExitInfo, JsonlEngineSpec, Translator } from "../engine-spec";
import type { RunRequest } from "../runner";
import type { LineSink } from "./line-splitter";

const log = getLogger("runner");
const INVALID_LOG_LIMIT = 5;

/** Per-run line handling: parse → decode → translate → contract checks, appending to `out`. */
export class LineState implements LineSink {
  readonly out: TakopiEvent[] = [];
  ended = false;
  /** The run was ended by a broken session contract: stop the process at once. */
  failedContract = false;
  #started: ResumeToken | undefined;
  #invalidLines = 0;
  #translateErrors = 0;
  readonly #engine: EngineId;

  constructor(
    private readonly spec: JsonlEngineSpec,
    private readonly translator: Translator,
    private readonly request: RunRequest,
  ) {
    this.#engine = spec.engine;
  }

  line(text: string): void {
    if (this.ended) return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.#invalidJson(text);
      return;
    }
    const decoded = this.spec.decode(json);
    if (!decoded.ok) {
      // Usually an event type this version of takopi does not know (decision 17).
      log.debug("jsonl.decode.skipped", { engine: this.#engine, error: decoded.error });
      return;
    }
    let events: TakopiEvent[];
    try {
      events = this.translator.translate(decoded.value);
    } catch (error) {
      if (error instanceof EventContractError) {
        // The translator's own session checks (a changed or foreign session id) fail the run.
        this.#breakContract(error.message);
        return;
      }
      log.warning("runner.translate.error", { engine: this.#engine, error: String(error) });
      this.out.push(
        warning(
          this.#engine,
          `${this.#engine}.translate.error.${++this.#translateErrors}`,
          `${this.#engine} translation error; ignoring event`,
        ),
      );
      return;
    }
    this.#accept(events);
  }

  oversize(length: number): void {
    if (this.ended) return;
    log.warning("jsonl.line.oversize", { engine: this.#engine, length });
    this.out.push(
      warning(
        this.#engine,
        `${this.#engine}.jsonl.oversize`,
        `${this.#engine} emitted a line over 16 MiB; skipped it`,
      ),
    );
  }

  finish(exit: ExitInfo): void {
    let events: TakopiEvent[];
    try {
      events = this.translator.finish(exit);
    } catch (error) {
      log.warning("runner.finish.error", { engine: this.#engine, error: String(error) });
      events = [];
    }
    this.#accept(events);
    if (!this.ended) {
      const rc = exit.exitCode ?? exit.signal ?? "?";
      const detail = exit.stderrSummary ? `\n${exit.stderrSummary}` : "";
      this.#accept([
        failed(
          this.#engine,
          `${this.#engine} finished without a result (rc=${rc}).${detail}`,
          this.request,
          this.#started,
        ),
      ]);
    }
  }

  #accept(events: readonly TakopiEvent[]): void {
    for (const event of events) {
      if (this.ended) return;
      if (event.type === "started") {
        const problem = this.#checkStarted(event.resume);
        if (problem === "duplicate") continue;
        if (problem) {
          this.#breakContract(problem);
          return;
        }
      }
      this.out.push(event);
      if (event.type === "completed") this.ended = true;
    }
  }

  #breakContract(problem: string): void {
    log.warning("runner.session.mismatch", { engine: this.#engine, error: problem });
    this.out.push(failed(this.#engine, problem, this.request, this.#started));
    this.ended = true;
    this.failedContract = true;
  }

  /** §4.0 session checks: undefined = fine, "duplicate" = swallow, else the error text. */
  #checkStarted(token: ResumeToken): string | undefined {
    const { engine, value } = token;
    if (engine !== this.#engine) return `${this.#engine} runner reported a session for engine ${engine}`;
    if (this.#started) {
      if (this.#started.value === value) return "duplicate";
      return `${this.#engine} emitted session id ${value} but expected ${this.#started.value}`;
    }
    const expected = this.request.resume;
    if (expected && expected.value !== value) {
      return `${this.#engine} emitted session id ${value} but expected ${expected.value}`;
    }
    this.#started = token;
    return undefined;
  }

  #invalidJson(text: string): void {
    // The first few go to the log as warnings; an engine spewing plain text must not flood it.
    const count = ++this.#invalidLines;
    const fields = { engine: this.#engine, count, line: text.length > 200 ? `${text.slice(0, 200)}…` : text };
    if (count <= INVALID_LOG_LIMIT) log.warning("jsonl.invalid", fields);
    else log.debug("jsonl.invalid", fields);
    if (count > 1) return;
    this.out.push(
      warning(
        this.#engine,
        `${this.#engine}.jsonl.invalid`,
        `invalid JSON from ${this.#engine}; ignoring line`,
      ),
    );
  }
}

function warning(engine: EngineId, id: string, title: string): ActionEvent {
  return {
    type: "action",
    engine,
    action: { id, kind: "warning", title },
    phase: "completed",
    ok: false,
    level: "warning",
  };
}

export function failed(
  engine: EngineId,
  error: string,
  request: RunRequest,
  started?: ResumeToken,
): CompletedEvent {
  const resume = started ?? request.resume;
  return { type: "completed", engine, ok: false, answer: "", ...(resume ? { resume } : {}), error };
}
