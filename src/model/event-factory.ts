import type { Action, ActionDetail, ActionKind } from "./action";
import type { ActionEvent, ActionPhase, CompletedEvent, LogLevel, StartedEvent, Usage } from "./events";
import type { EngineId, ResumeToken } from "./resume-token";

export class EventContractError extends Error {
  override name = "EventContractError";
}

/**
 * Builds events for one run and enforces the run contract: one `started` whose
 * token never changes, and `completed` carrying that token unless told otherwise.
 */
export class EventFactory {
  #resume: ResumeToken | undefined;
  #noteSeq = 0;

  constructor(readonly engine: EngineId) {}

  get resume(): ResumeToken | undefined {
    return this.#resume;
  }

  /** Returns `undefined` when the same token is reported again (duplicates are swallowed). */
  started(
    resume: ResumeToken,
    title?: string,
    meta?: Readonly<Record<string, unknown>>,
  ): StartedEvent | undefined {
    if (resume.engine !== this.engine) {
      throw new EventContractError(`${this.engine} runner reported a session for engine ${resume.engine}`);
    }
    if (this.#resume) {
      if (this.#resume.value === resume.value) return undefined;
      throw new EventContractError(
        `${this.engine} emitted session id ${resume.value} but expected ${this.#resume.value}`,
      );
    }
    this.#resume = resume;
    return {
      type: "started",
      engine: this.engine,
      resume,
      ...(title ? { title } : {}),
      ...(meta ? { meta } : {}),
    };
  }

  action(
    phase: ActionPhase,
    action: Action,
    extra: { ok?: boolean; message?: string; level?: LogLevel } = {},
  ): ActionEvent {
    return { type: "action", engine: this.engine, action, phase, ...extra };
  }

  actionStarted(id: string, kind: ActionKind, title: string, detail?: ActionDetail): ActionEvent {
    return this.action("started", { id, kind, title, ...(detail ? { detail } : {}) });
  }

  actionUpdated(id: string, kind: ActionKind, title: string, detail?: ActionDetail): ActionEvent {
    return this.action("updated", { id, kind, title, ...(detail ? { detail } : {}) });
  }

  actionCompleted(
    id: string,
    kind: ActionKind,
    title: string,
    ok: boolean,
    detail?: ActionDetail,
  ): ActionEvent {
    return this.action("completed", { id, kind, title, ...(detail ? { detail } : {}) }, { ok });
  }

  /** A completed note or warning with a generated id (`<engine>.note.<n>`). */
  note(
    title: string,
    opts: { ok?: boolean; kind?: "note" | "warning"; level?: LogLevel; id?: string } = {},
  ): ActionEvent {
    const kind = opts.kind ?? (opts.ok === false ? "warning" : "note");
    const id = opts.id ?? `${this.engine}.note.${++this.#noteSeq}`;
    return this.action(
      "completed",
      { id, kind, title },
      { ok: opts.ok ?? true, ...(opts.level ? { level: opts.level } : {}) },
    );
  }

  completed(fields: {
    ok: boolean;
    answer?: string;
    error?: string;
    usage?: Usage;
    resume?: ResumeToken;
  }): CompletedEvent {
    const resume = fields.resume ?? this.#resume;
    return {
      type: "completed",
      engine: this.engine,
      ok: fields.ok,
      answer: fields.answer ?? "",
      ...(resume ? { resume } : {}),
      ...(fields.error !== undefined ? { error: fields.error } : {}),
      ...(fields.usage ? { usage: fields.usage } : {}),
    };
  }

  completedOk(answer: string, usage?: Usage): CompletedEvent {
    return this.completed({ ok: true, answer, ...(usage ? { usage } : {}) });
  }

  completedError(error: string, answer = "", usage?: Usage): CompletedEvent {
    return this.completed({ ok: false, answer, error, ...(usage ? { usage } : {}) });
  }
}
