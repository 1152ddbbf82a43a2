import { describe, expect, test } from "bun:test";
import type { TakopiEvent } from "../../src/model";
import type { Translator } from "../../src/runners/engine-spec";
import {
  exitFailed,
  exitFailureMessage,
  reasoningIgnoredNote,
  withLeadingEvents,
} from "../../src/runners/run-notes";

describe("reasoningIgnoredNote", () => {
  test("a completed note with a fixed id per engine", () => {
    expect(reasoningIgnoredNote("pi")).toEqual({
      type: "action",
      engine: "pi",
      action: {
        id: "pi.override.reasoning",
        kind: "note",
        title: "reasoning override is not supported for `pi`; ignoring.",
      },
      phase: "completed",
      ok: true,
    });
  });
});

describe("withLeadingEvents", () => {
  const note = reasoningIgnoredNote("claude");
  const echo: Translator = {
    translate: (line) => (line === "skip" ? [] : [reasoningIgnoredNote(String(line))]),
    finish: () => [],
  };
  const ids = (events: TakopiEvent[]) => events.map((e) => (e.type === "action" ? e.action.id : e.type));

  test("comes out once, with the first line even if that line says nothing", () => {
    const t = withLeadingEvents(echo, [note]);
    expect(ids(t.translate("skip"))).toEqual(["claude.override.reasoning"]);
    expect(ids(t.translate("x"))).toEqual(["x.override.reasoning"]);
    expect(t.finish({ exitCode: 0, signal: null, stderrSummary: "" })).toEqual([]);
  });

  test("or with finish when no line came", () => {
    const t = withLeadingEvents(echo, [note]);
    expect(ids(t.finish({ exitCode: 0, signal: null, stderrSummary: "" }))).toEqual([
      "claude.override.reasoning",
    ]);
  });

  test("nothing to lead with returns the translator itself", () => {
    expect(withLeadingEvents(echo, [])).toBe(echo);
  });
});

describe("exit messages", () => {
  test.each([
    [{ exitCode: 1, signal: null, stderrSummary: "" }, "x failed (rc=1).", true],
    [{ exitCode: 1, signal: null, stderrSummary: "  boom \n" }, "x failed (rc=1): boom", true],
    [{ exitCode: null, signal: "SIGTERM", stderrSummary: "" }, "x failed (signal SIGTERM).", true],
    [{ exitCode: null, signal: null, stderrSummary: "" }, "x failed (rc=unknown).", false],
    [{ exitCode: 0, signal: null, stderrSummary: "warn" }, "x failed (rc=0): warn", false],
  ])("%p", (exit, message, failed) => {
    expect(exitFailureMessage("x failed", exit)).toBe(message);
    expect(exitFailed(exit)).toBe(failed);
  });
});
