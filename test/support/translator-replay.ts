import { readFileSync } from "node:fs";
import type { TakopiEvent } from "../../src/model";
import type { Decoded, ExitInfo, Translator } from "../../src/runners/engine-spec";

/**
 * Feeds JSONL through an engine's `decode` + translator the way the subprocess
 * base does (blank lines skipped, bad lines dropped, nothing after the first
 * `completed`, `finish` at EOF when no `completed` came), without a process.
 */

export const CLEAN_EXIT: ExitInfo = { exitCode: 0, signal: null, stderrSummary: "" };

export function exitWith(exitCode: number, stderrSummary = ""): ExitInfo {
  return { exitCode, signal: null, stderrSummary };
}

export interface Replay {
  readonly events: TakopiEvent[];
  /** Lines that were not JSON or did not decode, with the reason. */
  readonly dropped: string[];
  /** Lines read before the first `completed` (inclusive); later ones are ignored. */
  readonly linesRead: number;
  /** Whether `finish` was called (no `completed` came from the lines). */
  readonly finished: boolean;
}

export function replayLines(
  decode: (json: unknown) => Decoded,
  translator: Translator,
  lines: readonly string[],
  exit: ExitInfo = CLEAN_EXIT,
): Replay {
  const events: TakopiEvent[] = [];
  const dropped: string[] = [];
  let linesRead = 0;
  for (const line of lines) {
    linesRead++;
    if (line.trim() === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      dropped.push("invalid JSON");
      continue;
    }
    const decoded = decode(json);
    if (!decoded.ok) {
      dropped.push(decoded.error);
      continue;
    }
    for (const event of translator.translate(decoded.value)) {
      events.push(event);
      if (event.type === "completed") return { events, dropped, linesRead, finished: false };
    }
  }
  events.push(...translator.finish(exit));
  return { events, dropped, linesRead, finished: true };
}

export function fixtureLines(path: string): string[] {
  return readFileSync(path, "utf8").split("\n");
}

/**
 * One readable line per event, for whole-sequence assertions:
 * `started <id> <title>`, `<phase> <kind> <id> <title> [ok|fail]`,
 * `completed ok|fail answer=… error=… resume=…`.
 */
export function outline(events: readonly TakopiEvent[]): string[] {
  return events.map((e) => {
    switch (e.type) {
      case "started":
        return `started ${e.resume.value} ${e.title ?? ""}`.trimEnd();
      case "action": {
        const status = e.ok === undefined ? "" : e.ok ? " ok" : " fail";
        return `${e.phase} ${e.action.kind} ${e.action.id} ${JSON.stringify(e.action.title)}${status}`;
      }
      case "completed": {
        const parts = [`completed ${e.ok ? "ok" : "fail"}`, `answer=${JSON.stringify(e.answer)}`];
        if (e.error !== undefined) parts.push(`error=${JSON.stringify(e.error)}`);
        parts.push(`resume=${e.resume?.value ?? "-"}`);
        return parts.join(" ");
      }
    }
    return "";
  });
}
