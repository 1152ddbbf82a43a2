import { type ActionEvent, type EngineId, EventFactory, type TakopiEvent } from "../model";
import type { ExitInfo, Translator } from "./engine-spec";

/**
 * Small pieces every engine shares: the note for an unsupported `/reasoning`
 * override (behaviour §4.7), putting such notes in front of a run's events, and
 * the wording of a failed exit (decisions 20).
 */

/** Completed note `<engine>.override.reasoning`: this engine has no reasoning knob. */
export function reasoningIgnoredNote(engine: EngineId): ActionEvent {
  return new EventFactory(engine).note(`reasoning override is not supported for \`${engine}\`; ignoring.`, {
    id: `${engine}.override.reasoning`,
  });
}

/**
 * A translator whose first output (from the first line, or from `finish` when
 * no line ever came) starts with `leading`. Used for notes that belong before
 * anything the engine says, without the base runner knowing about them.
 */
export function withLeadingEvents(inner: Translator, leading: readonly TakopiEvent[]): Translator {
  if (leading.length === 0) return inner;
  let pending: readonly TakopiEvent[] | undefined = leading;
  const prepend = (events: TakopiEvent[]): TakopiEvent[] => {
    if (pending === undefined) return events;
    const out = [...pending, ...events];
    pending = undefined;
    return out;
  };
  return {
    translate: (line) => prepend(inner.translate(line)),
    finish: (exit) => prepend(inner.finish(exit)),
  };
}

/**
 * `<what> (rc=N).`, or `<what> (rc=N): <stderr summary>` when stderr said
 * something, so the user sees the cause (e.g. codex's "no rollout found").
 */
export function exitFailureMessage(what: string, exit: ExitInfo): string {
  const code =
    exit.exitCode !== null ? `rc=${exit.exitCode}` : exit.signal ? `signal ${exit.signal}` : "rc=unknown";
  const summary = exit.stderrSummary.trim();
  return summary ? `${what} (${code}): ${summary}` : `${what} (${code}).`;
}

/** True when the process ended badly: a non-zero code or killed by a signal. */
export function exitFailed(exit: ExitInfo): boolean {
  return exit.exitCode !== null ? exit.exitCode !== 0 : exit.signal !== null;
}
