import { describe, expect, test } from "bun:test";
import { decodeOpencodeLine } from "../../../src/runners/opencode/schema";

describe("decodeOpencodeLine", () => {
  test("known line: unknown fields stripped", () => {
    const decoded = decodeOpencodeLine({
      type: "text",
      timestamp: 1,
      sessionID: "ses_a",
      part: { id: "prt", text: "hi", time: { start: 1 } },
    });
    expect(decoded).toEqual({ ok: true, value: { type: "text", sessionID: "ses_a", part: { text: "hi" } } });
  });

  test("fields of the wrong type are dropped, not fatal", () => {
    const decoded = decodeOpencodeLine({
      type: "tool_use",
      sessionID: 42,
      part: { callID: "c", tool: ["bash"], state: { status: "completed", title: 7, metadata: "x" } },
    });
    expect(decoded).toEqual({
      ok: true,
      value: { type: "tool_use", part: { callID: "c", state: { status: "completed" } } },
    });
  });

  test("step_finish keeps reason, tokens and cost", () => {
    const decoded = decodeOpencodeLine({
      type: "step_finish",
      sessionID: "ses_a",
      part: { reason: "stop", cost: 0.5, tokens: { input: 1, output: 2, cache: { read: 3, write: "?" } } },
    });
    expect(decoded).toEqual({
      ok: true,
      value: {
        type: "step_finish",
        sessionID: "ses_a",
        part: { reason: "stop", cost: 0.5, tokens: { input: 1, output: 2, cache: { read: 3 } } },
      },
    });
  });

  test("error keeps error and message as they came", () => {
    const error = { name: "APIError", data: { message: "x" } };
    expect(decodeOpencodeLine({ type: "error", error })).toEqual({
      ok: true,
      value: { type: "error", error },
    });
  });

  test.each([
    [
      "new event type",
      { type: "reasoning", sessionID: "ses_b", part: {} },
      { type: "unknown", rawType: "reasoning", sessionID: "ses_b" },
    ],
    ["new event type without session", { type: "x" }, { type: "unknown", rawType: "x" }],
  ])("unknown types decode to an ignorable variant: %s", (_name, json, value) => {
    expect(decodeOpencodeLine(json)).toEqual({ ok: true, value });
  });

  test.each([
    ["null", null],
    ["array", [1]],
    ["string", "step_start"],
    ["no type", { sessionID: "ses_a" }],
    ["numeric type", { type: 3 }],
  ])("not an event: %s", (_name, json) => {
    const decoded = decodeOpencodeLine(json);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.error).toStartWith("opencode line");
  });
});
