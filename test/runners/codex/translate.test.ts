import { describe, expect, test } from "bun:test";
import { decodeCodexLine } from "../../../src/runners/codex/schema";
import { CodexTranslator } from "../../../src/runners/codex/translate";
import type { RunRequest } from "../../../src/runners/runner";
import { CLEAN_EXIT, exitWith, outline, replayLines } from "../../support/translator-replay";

const CWD = "/repo";
const THREAD = "019b73c4-0c3f-7701-a0bb-aac6b4d8a3bc";

function run(
  lines: readonly object[],
  opts: { resume?: string; exit?: Parameters<typeof replayLines>[3] } = {},
) {
  const request: RunRequest = {
    prompt: "p",
    cwd: CWD,
    ...(opts.resume ? { resume: { engine: "codex", value: opts.resume } } : {}),
  };
  const json = lines.map((l) => JSON.stringify(l));
  return replayLines(decodeCodexLine, new CodexTranslator(request), json, opts.exit ?? CLEAN_EXIT);
}

const thread = { type: "thread.started", thread_id: THREAD };
const turn = { type: "turn.started" };
const turnDone = {
  type: "turn.completed",
  usage: { input_tokens: 1, cached_input_tokens: 0, output_tokens: 1 },
};
const message = (id: string, text: string, phase?: string) => ({
  type: "item.completed",
  item: { id, type: "agent_message", text, ...(phase ? { phase } : {}) },
});
const streamError = (msg: string) => ({ type: "error", message: msg });

describe("answer selection", () => {
  test("the last final_answer wins over later phase-less messages; commentary is a note", () => {
    const r = run([
      thread,
      turn,
      message("m1", "Working through the task.", "commentary"),
      message("m2", "Done.", "final_answer"),
      message("m3", "trailing"),
      turnDone,
    ]);
    expect(outline(r.events)).toEqual([
      `started ${THREAD} Codex`,
      'started turn turn_0 "turn started"',
      'completed note m1 "Working through the task." ok',
      `completed ok answer="Done." resume=${THREAD}`,
    ]);
  });

  test("without phases the last message is the answer", () => {
    const r = run([thread, turn, message("a", "first"), message("b", "second"), turnDone]);
    expect(r.events.at(-1)).toMatchObject({ type: "completed", ok: true, answer: "second" });
  });

  test("messages of an unknown phase are neither shown nor the answer", () => {
    const r = run([thread, turn, message("a", "kept"), message("b", "analysis text", "analysis"), turnDone]);
    expect(outline(r.events)).toEqual([
      `started ${THREAD} Codex`,
      'started turn turn_0 "turn started"',
      `completed ok answer="kept" resume=${THREAD}`,
    ]);
  });

  test("a new turn resets the answer and numbers its turn action", () => {
    const t = new CodexTranslator({ prompt: "p", cwd: CWD });
    const feed = (line: object) => {
      const d = decodeCodexLine(line);
      if (!d.ok) throw new Error(d.error);
      return t.translate(d.value);
    };
    feed(thread);
    feed(turn);
    feed(message("a", "old"));
    expect(outline(feed(turn))).toEqual(['started turn turn_1 "turn started"']);
    expect(feed(turnDone)[0]).toMatchObject({ type: "completed", answer: "" });
  });

  test("turn.failed keeps what was said so far as the answer", () => {
    const r = run([
      thread,
      turn,
      message("a", "partial"),
      { type: "turn.failed", error: { message: "boom" } },
    ]);
    expect(r.events.at(-1)).toMatchObject({ ok: false, answer: "partial", error: "boom" });
  });
});

describe("stream errors", () => {
  test("reconnect notices are one info note, started then updated; the run goes on", () => {
    const r = run([
      streamError("Reconnecting... 1/5 (stream disconnected)"),
      streamError("Reconnecting... 2/5 (stream disconnected)"),
      streamError("Reconnecting... waiting for network (offline)"),
      thread,
      message("a", "ok"),
    ]);
    expect(outline(r.events)).toEqual([
      'started note codex.reconnect "Reconnecting... 1/5 (stream disconnected)"',
      'updated note codex.reconnect "Reconnecting... 2/5 (stream disconnected)"',
      'updated note codex.reconnect "Reconnecting... waiting for network (offline)"',
      `started ${THREAD} Codex`,
      `completed ok answer="ok" resume=${THREAD}`,
    ]);
    expect(r.events[0]).toMatchObject({ level: "info" });
    expect(r.events[0]).not.toHaveProperty("ok");
  });

  test.each([
    ["Reconnecting... waiting for network (dns error)", "started"],
    ["Reconnecting... 3/5", "started"],
    ["Reconnecting... 1/5", "started"],
  ])("a first notice %p starts the note", (text, phase) => {
    expect(run([streamError(text)]).events[0]).toMatchObject({ phase, action: { id: "codex.reconnect" } });
  });

  test("a new series (1/N) after earlier notices starts again", () => {
    const r = run([streamError("Reconnecting... 2/5"), streamError("Reconnecting... 1/5")]);
    expect(r.events.slice(0, 2).map((e) => e.type === "action" && e.phase)).toEqual(["started", "started"]);
  });

  test("other errors are warnings, numbered, and not fatal (even before the thread starts)", () => {
    const r = run([streamError("warning one"), thread, streamError("warning two"), message("a", "ok")]);
    expect(outline(r.events)).toEqual([
      'completed warning codex.note.1 "warning one" fail',
      `started ${THREAD} Codex`,
      'completed warning codex.note.2 "warning two" fail',
      `completed ok answer="ok" resume=${THREAD}`,
    ]);
    expect(r.events[0]).toMatchObject({ level: "warning" });
  });
});

describe("items", () => {
  const item = (phase: "started" | "updated" | "completed", body: object) => ({
    type: `item.${phase}`,
    item: body,
  });

  test("command titles lose the run dir; declined and non-zero exits fail", () => {
    const cmd = (id: string, status: string, exit_code: number | null) => ({
      id,
      type: "command_execution",
      command: "cat /repo/src/a.ts /repo2/b",
      aggregated_output: "",
      exit_code,
      status,
    });
    const r = run([
      item("started", cmd("c1", "in_progress", null)),
      item("completed", cmd("c1", "completed", 0)),
      item("completed", cmd("c2", "declined", null)),
      item("completed", cmd("c3", "completed", 2)),
      item("completed", cmd("c4", "completed", null)),
    ]);
    expect(outline(r.events).slice(0, 5)).toEqual([
      'started command c1 "cat src/a.ts /repo2/b"',
      'completed command c1 "cat src/a.ts /repo2/b" ok',
      'completed command c2 "cat src/a.ts /repo2/b" fail',
      'completed command c3 "cat src/a.ts /repo2/b" fail',
      'completed command c4 "cat src/a.ts /repo2/b" ok',
    ]);
    expect(r.events[3]).toMatchObject({ action: { detail: { exit_code: 2, status: "completed" } } });
  });

  test("file changes: relative titles, raw paths in detail, count fallbacks", () => {
    const fc = (id: string, changes: object[], status = "completed") => ({
      id,
      type: "file_change",
      changes,
      status,
    });
    const r = run([
      item("started", fc("f1", [{ path: "/repo/a.ts", kind: "update" }], "in_progress")),
      item("completed", fc("f1", [{ path: "/repo/a.ts", kind: "update" }])),
      item(
        "completed",
        fc("f2", [
          { path: "", kind: "add" },
          { path: "", kind: "add" },
        ]),
      ),
      item("completed", fc("f3", [])),
      item("completed", fc("f4", [{ path: "/repo", kind: "delete" }], "failed")),
    ]);
    expect(outline(r.events).slice(0, 5)).toEqual([
      'started file_change f1 "a.ts"',
      'completed file_change f1 "a.ts" ok',
      'completed file_change f2 "2 files" ok',
      'completed file_change f3 "files" ok',
      'completed file_change f4 "." fail',
    ]);
    expect(r.events[1]).toMatchObject({
      action: { detail: { changes: [{ path: "/repo/a.ts", kind: "update" }] } },
    });
  });

  test("todo titles", () => {
    const todo = (id: string, items: { text: string; completed: boolean }[]) => ({
      id,
      type: "todo_list",
      items,
    });
    const r = run([
      item("started", todo("t1", [])),
      item(
        "updated",
        todo("t1", [
          { text: "a", completed: true },
          { text: "b", completed: false },
        ]),
      ),
      item("completed", todo("t1", [{ text: "a", completed: true }])),
    ]);
    expect(outline(r.events).slice(0, 3)).toEqual([
      'started note t1 "todo"',
      'updated note t1 "todo 1/2: b"',
      'completed note t1 "todo 1/1: done" ok',
    ]);
  });

  test("mcp tool without server, reasoning phases, empty reasoning, item errors only when completed", () => {
    const r = run([
      item("started", {
        id: "x",
        type: "mcp_tool_call",
        tool: "fetch",
        arguments: {},
        result: null,
        error: null,
        status: "in_progress",
      }),
      item("completed", {
        id: "x",
        type: "mcp_tool_call",
        tool: "fetch",
        arguments: {},
        result: { content: "t" },
        error: null,
        status: "completed",
      }),
      item("started", { id: "r", type: "reasoning", text: "" }),
      item("updated", { id: "r", type: "reasoning", text: "thinking" }),
      item("started", { id: "e", type: "error", message: "ignored until completed" }),
      item("completed", { id: "e", type: "error", message: "truncated" }),
    ]);
    expect(outline(r.events).slice(0, 4)).toEqual([
      'started tool x "fetch"',
      'completed tool x "fetch" ok',
      'updated note r "thinking"',
      'completed warning e "truncated" fail',
    ]);
    expect(r.events[1]).toMatchObject({ action: { detail: { result_summary: { content_blocks: 1 } } } });
  });

  test("a web search without a query yet is titled `search`", () => {
    const r = run([item("started", { id: "w", type: "web_search", query: "" })]);
    expect(outline(r.events)[0]).toBe('started web_search w "search"');
  });

  test("unknown item types and unknown event types are ignored", () => {
    const r = run([
      thread,
      item("started", { id: "u", type: "collab_tool_call", tool: "spawn_agent" }),
      { type: "turn.rate_limited", retry_after_ms: 10 },
      { type: "some.future.event", payload: 1 },
      message("a", "ok"),
      turnDone,
    ]);
    expect(r.dropped).toEqual([]);
    expect(outline(r.events)).toEqual([
      `started ${THREAD} Codex`,
      `completed ok answer="ok" resume=${THREAD}`,
    ]);
  });
});

describe("sessions", () => {
  test("the profile is the title", () => {
    const t = new CodexTranslator({ prompt: "p", cwd: CWD }, "work");
    const d = decodeCodexLine(thread);
    expect(d.ok && t.translate(d.value)).toEqual([
      { type: "started", engine: "codex", resume: { engine: "codex", value: THREAD }, title: "work" },
    ]);
  });

  test("a resumed run that reports another thread fails", () => {
    const r = run([{ type: "thread.started", thread_id: "other" }, message("a", "x")], { resume: THREAD });
    expect(outline(r.events)).toEqual([
      `completed fail answer="" error="codex emitted session id other but expected ${THREAD}" resume=${THREAD}`,
    ]);
  });

  test("a repeated thread.started is swallowed", () => {
    const r = run([thread, thread, turnDone]);
    expect(outline(r.events)).toEqual([`started ${THREAD} Codex`, `completed ok answer="" resume=${THREAD}`]);
  });
});

describe("finish", () => {
  test("non-zero exit: warning with the stderr summary, then a failed completion", () => {
    const r = run([thread, turn, message("a", "partial")], {
      exit: exitWith(1, "Error: no rollout found for thread id 123"),
    });
    const msg = "codex exec failed (rc=1): Error: no rollout found for thread id 123";
    expect(outline(r.events)).toEqual([
      `started ${THREAD} Codex`,
      'started turn turn_0 "turn started"',
      `completed warning codex.note.1 ${JSON.stringify(msg)} fail`,
      `completed fail answer="" error=${JSON.stringify(msg)} resume=${THREAD}`,
    ]);
    expect(r.finished).toBe(true);
  });

  test("non-zero exit without stderr, and a resumed run that never started keeps its token", () => {
    const r = run([], { resume: "abc", exit: exitWith(2) });
    expect(outline(r.events)).toEqual([
      'completed warning codex.note.1 "codex exec failed (rc=2)." fail',
      'completed fail answer="" error="codex exec failed (rc=2)." resume=abc',
    ]);
  });

  test("killed by a signal", () => {
    const r = run([thread], { exit: { exitCode: null, signal: "SIGKILL", stderrSummary: "" } });
    expect(r.events.at(-1)).toMatchObject({ ok: false, error: "codex exec failed (signal SIGKILL)." });
  });

  test("clean exit with a thread but no turn.completed: ok with the last answer", () => {
    const r = run([thread, turn, message("a", "answer")]);
    expect(outline(r.events).at(-1)).toBe(`completed ok answer="answer" resume=${THREAD}`);
  });

  test("clean exit without a thread: error", () => {
    const r = run([turn, message("a", "answer")]);
    expect(outline(r.events).at(-1)).toBe(
      'completed fail answer="" error="codex exec finished but no session_id/thread_id was captured" resume=-',
    );
  });
});
