import { describe, expect, test } from "bun:test";
import { decodeClaudeLine } from "../../../src/runners/claude/schema";

describe("decodeClaudeLine", () => {
  test("strips unknown fields, keeps what the translation reads", () => {
    expect(
      decodeClaudeLine({
        uuid: "u",
        session_id: "s",
        type: "system",
        subtype: "init",
        model: "m",
        slash_commands: [],
      }),
    ).toEqual({ ok: true, value: { type: "system", subtype: "init", session_id: "s", model: "m" } });
  });

  test.each(["stream_event", "control_request", "control_response", "rate_limit_event"])(
    "line type %p decodes to `unknown`",
    (type) => {
      expect(decodeClaudeLine({ type, x: 1 })).toEqual({
        ok: true,
        value: { type: "unknown", event_type: type },
      });
    },
  );

  test("unknown content blocks decode to `unknown` blocks", () => {
    const line = { type: "assistant", message: { content: [{ type: "redacted_thinking", data: "x" }] } };
    expect(decodeClaudeLine(line)).toEqual({
      ok: true,
      value: {
        type: "assistant",
        message: { content: [{ type: "unknown", block_type: "redacted_thinking" }] },
      },
    });
  });

  test.each([
    [null, "claude line is not a JSON object"],
    [{ subtype: "init" }, "claude line has no string `type`"],
    [{ type: "system" }, "claude system line has no string `subtype`"],
    [
      { type: "system", subtype: "init", session_id: 5 },
      "claude system/init: session_id: Invalid input: expected string, received number",
    ],
    [
      { type: "assistant", message: {} },
      "claude assistant: message.content: Invalid input: expected array, received undefined",
    ],
    [
      { type: "assistant", message: { content: [{ type: "tool_use", name: "Bash", input: {} }] } },
      "claude assistant: message.content.0.id: Invalid input: expected string, received undefined",
    ],
    [
      { type: "user", message: { content: [{ type: "tool_result", content: "x" }] } },
      "claude user: message.content.0.tool_use_id: Invalid input: expected string, received undefined",
    ],
    [
      { type: "result", is_error: "yes" },
      "claude result: is_error: Invalid input: expected boolean, received string",
    ],
  ])("rejects %p with a reason", (line, error) => {
    expect(decodeClaudeLine(line)).toEqual({ ok: false, error });
  });

  test("a tool_use without input still decodes (the table treats it as empty)", () => {
    const line = { type: "assistant", message: { content: [{ type: "tool_use", id: "t", name: "Bash" }] } };
    expect(decodeClaudeLine(line).ok).toBe(true);
  });
});

describe("system subtypes", () => {
  test.each(["thinking_tokens", "hook_started", "status", "compact_boundary"])(
    "%p is ignored without validation",
    (subtype) => {
      expect(decodeClaudeLine({ type: "system", subtype, session_id: 5 })).toEqual({
        ok: true,
        value: { type: "unknown", event_type: `system/${subtype}` },
      });
    },
  );
});
