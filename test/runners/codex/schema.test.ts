import { describe, expect, test } from "bun:test";
import { decodeCodexLine } from "../../../src/runners/codex/schema";

describe("decodeCodexLine", () => {
  test("strips unknown fields", () => {
    expect(decodeCodexLine({ type: "thread.started", thread_id: "t", extra: 1 })).toEqual({
      ok: true,
      value: { type: "thread.started", thread_id: "t" },
    });
  });

  test.each([
    [
      { type: "turn.rate_limited", retry_after_ms: 5 },
      { type: "unknown", event_type: "turn.rate_limited" },
    ],
    [{ type: "session.configured" }, { type: "unknown", event_type: "session.configured" }],
  ])("unknown event types decode to `unknown` (%p)", (line, value) => {
    expect(decodeCodexLine(line)).toEqual({ ok: true, value });
  });

  test.each(["collab_tool_call", "future_item", "assistant_message"])(
    "unknown item type %p decodes to `unknown`",
    (t) => {
      expect(decodeCodexLine({ type: "item.completed", item: { id: "i", type: t, foo: 1 } })).toEqual({
        ok: true,
        value: { type: "item.completed", item: { type: "unknown", item_type: t } },
      });
    },
  );

  test.each([
    [null, "codex line is not a JSON object"],
    [[1], "codex line is not a JSON object"],
    ["text", "codex line is not a JSON object"],
    [{ thread_id: "t" }, "codex line has no string `type`"],
    [
      { type: "thread.started" },
      "codex thread.started: thread_id: Invalid input: expected string, received undefined",
    ],
    [
      { type: "thread.started", thread_id: "" },
      "codex thread.started: thread_id: Too small: expected string to have >=1 characters",
    ],
    [
      { type: "turn.failed", error: {} },
      "codex turn.failed: error.message: Invalid input: expected string, received undefined",
    ],
    [{ type: "error" }, "codex error: message: Invalid input: expected string, received undefined"],
    [
      { type: "item.completed", item: { id: "i", type: "command_execution", status: "completed" } },
      "codex item.completed: item.command: Invalid input: expected string, received undefined",
    ],
    [
      { type: "item.updated", item: { id: "i", type: "todo_list", items: [{ text: "a" }] } },
      "codex item.updated: item.items.0.completed: Invalid input: expected boolean, received undefined",
    ],
  ])("rejects %p with a reason", (line, error) => {
    expect(decodeCodexLine(line)).toEqual({ ok: false, error });
  });

  test("optional fields: usage, exit_code, phase, mcp server/result/error", () => {
    expect(decodeCodexLine({ type: "turn.completed" })).toEqual({
      ok: true,
      value: { type: "turn.completed" },
    });
    const cmd = decodeCodexLine({
      type: "item.started",
      item: { id: "c", type: "command_execution", command: "ls", status: "in_progress" },
    });
    expect(cmd.ok).toBe(true);
    const mcp = decodeCodexLine({
      type: "item.started",
      item: { id: "m", type: "mcp_tool_call", tool: "t", status: "in_progress" },
    });
    expect(mcp.ok).toBe(true);
  });
});
