import { EventFactory, type TakopiEvent } from "../../src/model";
import type { ExitInfo, JsonlEngineSpec, StdinMode, Translator } from "../../src/runners/engine-spec";

/**
 * A tiny engine for testing the JSONL base on its own:
 * `{"type":"session","id":…}` → started, `{"type":"step","id":…,"title":…}` → a
 * completed tool action, `{"type":"done","answer":…}` → completed,
 * `{"type":"boom"}` makes the translator throw. Other types fail to decode.
 */
export function toyLine(fields: Record<string, unknown>): string {
  return JSON.stringify(fields);
}

type ToyLine =
  | { type: "session"; id: string }
  | { type: "step"; id: string; title: string }
  | { type: "done"; answer: string }
  | { type: "boom" };

function decodeToy(json: unknown): { ok: true; value: ToyLine } | { ok: false; error: string } {
  if (json === null || typeof json !== "object") return { ok: false, error: "not an object" };
  const line = json as Record<string, unknown>;
  switch (line.type) {
    case "session":
      return typeof line.id === "string"
        ? { ok: true, value: { type: "session", id: line.id } }
        : { ok: false, error: "session.id missing" };
    case "step":
      return { ok: true, value: { type: "step", id: String(line.id), title: String(line.title) } };
    case "done":
      return { ok: true, value: { type: "done", answer: String(line.answer ?? "") } };
    case "boom":
      return { ok: true, value: { type: "boom" } };
    default:
      return { ok: false, error: `unknown type ${String(line.type)}` };
  }
}

class ToyTranslator implements Translator {
  readonly #events: EventFactory;
  constructor(engine: string) {
    this.#events = new EventFactory(engine);
  }

  translate(value: unknown): TakopiEvent[] {
    const line = value as ToyLine;
    const e = this.#events;
    switch (line.type) {
      case "session": {
        const started = e.started({ engine: e.engine, value: line.id });
        return started ? [started] : [];
      }
      case "step":
        return [e.actionCompleted(line.id, "tool", line.title, true)];
      case "done":
        return [e.completedOk(line.answer)];
      case "boom":
        throw new Error("boom");
    }
  }

  finish(exit: ExitInfo): TakopiEvent[] {
    const e = this.#events;
    if (exit.exitCode !== 0) {
      const rc = exit.exitCode ?? exit.signal;
      const message = `${e.engine} failed (rc=${rc}).${exit.stderrSummary ? `\n${exit.stderrSummary}` : ""}`;
      return [e.note(message, { ok: false }), e.completedError(message)];
    }
    return [e.completedError(`${e.engine} finished without a result event`)];
  }
}

export function toySpec(
  overrides: Partial<Pick<JsonlEngineSpec, "engine" | "env">> & { stdin?: StdinMode } = {},
): JsonlEngineSpec {
  const engine = overrides.engine ?? "toy";
  return {
    engine,
    argv: (request, command) => [
      command,
      "--json",
      ...(request.resume ? ["--resume", request.resume.value] : []),
    ],
    env: overrides.env ?? ((base) => ({ ...base })),
    stdin: overrides.stdin ?? { kind: "prompt" },
    decode: decodeToy,
    newTranslator: () => new ToyTranslator(engine),
    formatResume: (token) => `\`${engine} resume ${token.value}\``,
    extractResume: () => undefined,
    isResumeLine: () => false,
    installHint: `npm install -g ${engine}-cli`,
  };
}
