import { describe, expect, test } from "bun:test";
import { decodePiLine, decodePiMessage, messageText } from "../../../src/runners/pi/schema";

describe("decodePiLine", () => {
  test("session header keeps id and cwd, strips the rest", () => {
    expect(decodePiLine({ type: "session", version: 3, id: "01a2", timestamp: "t", cwd: "/p" })).toEqual({
      ok: true,
      value: { type: "session", id: "01a2", cwd: "/p" },
    });
  });

  test("tool events need their toolCallId", () => {
    const ok = decodePiLine({
      type: "tool_execution_start",
      toolCallId: "c1",
      toolName: "bash",
      args: { command: "ls" },
    });
    expect(ok).toEqual({
      ok: true,
      value: { type: "tool_execution_start", toolCallId: "c1", toolName: "bash", args: { command: "ls" } },
    });
    const bad = decodePiLine({ type: "tool_execution_end", toolName: "bash" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toContain("toolCallId");
  });

  test("wrongly typed optional fields are dropped", () => {
    expect(decodePiLine({ type: "auto_retry_start", attempt: "1", maxAttempts: 3, errorMessage: 5 })).toEqual(
      {
        ok: true,
        value: { type: "auto_retry_start", maxAttempts: 3 },
      },
    );
  });

  test.each([
    "message_update",
    "turn_start",
    "turn_end",
    "message_start",
    "tool_execution_update",
    "something_new",
  ])("%s decodes to the ignorable `other` variant without being walked", (type) => {
    expect(decodePiLine({ type, message: { huge: true } })).toEqual({
      ok: true,
      value: { type: "other", rawType: type },
    });
  });

  test.each([
    ["null", null],
    ["array", []],
    ["no type", { id: "x" }],
  ])("not an event: %s", (_name, json) => {
    expect(decodePiLine(json).ok).toBe(false);
  });
});

describe("pi messages", () => {
  test("decodePiMessage is lenient and drops non-objects", () => {
    expect(decodePiMessage({ role: "assistant", stopReason: 3, usage: { input: 1 }, api: "x" })).toEqual({
      role: "assistant",
      usage: { input: 1 },
    });
    expect(decodePiMessage("text")).toBeUndefined();
  });

  test.each([
    [
      "joins and trims text blocks",
      [
        { type: "text", text: " a" },
        { type: "text", text: "b " },
      ],
      "ab",
    ],
    [
      "skips non-text blocks",
      [
        { type: "thinking", thinking: "t" },
        { type: "text", text: "x" },
        { type: "image", data: "…" },
      ],
      "x",
    ],
    ["whitespace only is no text", [{ type: "text", text: "  \n" }], undefined],
    ["empty", [], undefined],
    ["missing", undefined, undefined],
    ["garbage blocks", [null, 3, "s", { type: "text", text: 4 }], undefined],
  ])("messageText %s", (_name, content, expected) => {
    expect(messageText(content)).toBe(expected);
  });
});
