import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { ActionEvent, CompletedEvent, StartedEvent, TakopiEvent } from "../../../src/model";
import type { Translator } from "../../../src/runners/engine-spec";
import { piEngineSpec } from "../../../src/runners/pi/runner";
import { decodePiLine } from "../../../src/runners/pi/schema";
import { PiTranslator, type PiTranslatorInit } from "../../../src/runners/pi/translate";
import { CLEAN_EXIT, exitWith, fixtureLines, outline, replayLines } from "../../support/translator-replay";

const FIXTURES = join(import.meta.dir, "../../../../shared/fixtures");
const CWD = "/home/dev/project";
const PATH = "/home/u/.pi/agent/sessions/--home-dev-project--/2026-11-24T06-18-08-000Z_0123.jsonl";
const NEW_ID = "01a20c34-5f38-706c-b4f6-bcbaed0ac0fc";

function translator(init: Partial<PiTranslatorInit> = {}): PiTranslator {
  return new PiTranslator({ cwd: CWD, sessionPath: PATH, ...init });
}

function replay(path: string, t: Translator = translator(), exit = CLEAN_EXIT) {
  return replayLines(decodePiLine, t, fixtureLines(join(FIXTURES, path)), exit);
}

function lines(...objects: readonly unknown[]): string[] {
  return objects.map((o) => JSON.stringify(o));
}

function last(events: readonly TakopiEvent[]): CompletedEvent {
  const event = events.at(-1);
  if (event?.type !== "completed") throw new Error(`last event is ${event?.type}`);
  return event;
}

function actions(events: readonly TakopiEvent[]): ActionEvent[] {
  return events.filter((e): e is ActionEvent => e.type === "action");
}

function expectContract(events: readonly TakopiEvent[]): void {
  const started = events.filter((e): e is StartedEvent => e.type === "started");
  expect(started).toHaveLength(1);
  expect(events[0]?.type).toBe("started");
  expect(events.filter((e) => e.type === "completed")).toHaveLength(1);
  expect(last(events).resume).toEqual(started[0]?.resume);
}

const assistant = (fields: Record<string, unknown>) => ({
  role: "assistant",
  content: [],
  stopReason: "stop",
  usage: { input: 1, output: 1 },
  ...fields,
});
const text = (t: string) => ({ type: "text", text: t });

describe("pi fixtures (current CLI)", () => {
  test("new_session_bash: full session id, bash tool, answer only at exit", () => {
    const r = replay("engines/pi/new_session_bash.jsonl");
    expect(r.dropped).toEqual([]);
    expect(r.finished).toBe(true);
    expect(outline(r.events)).toEqual([
      `started ${NEW_ID} pi`,
      'started command call_bash_1 "echo hello-from-tool"',
      'completed command call_bash_1 "echo hello-from-tool" ok',
      `completed ok answer="All done." resume=${NEW_ID}`,
    ]);
    expectContract(r.events);
    const started = r.events[0] as StartedEvent;
    expect(started.meta).toEqual({ cwd: CWD });
    const [, end] = actions(r.events);
    expect(end?.action.detail).toMatchObject({
      tool_name: "bash",
      args: { command: "echo hello-from-tool" },
      is_error: false,
      result_preview: "hello-from-tool",
    });
    expect(last(r.events).usage).toMatchObject({ input: 140, output: 3, totalTokens: 143 });
  });

  test("resume with the full id: the token stays the full id", () => {
    const r = replay("engines/pi/resume.jsonl", translator({ resume: { engine: "pi", value: NEW_ID } }));
    expect(outline(r.events)).toEqual([
      `started ${NEW_ID} pi`,
      `completed ok answer="Resumed fine." resume=${NEW_ID}`,
    ]);
    expectContract(r.events);
  });

  test.each([
    ["an older 8-char id", "01a20c34"],
    ["a session file path", PATH],
  ])("resume with %s keeps the token it was given (the base checks it)", (_name, value) => {
    const r = replay("engines/pi/resume.jsonl", translator({ resume: { engine: "pi", value } }));
    expect(outline(r.events)).toEqual([
      `started ${value} pi`,
      `completed ok answer="Resumed fine." resume=${value}`,
    ]);
  });

  test("api_500_no_retries: stopReason error, exit 0 → failed run with pi's message", () => {
    const r = replay("engines/pi/api_500_no_retries.jsonl");
    expect(outline(r.events)).toEqual([
      "started 01a20c35-d2c5-76bd-a3d7-c5915e4f22a2 pi",
      'completed fail answer="" error="500 fake upstream boom" resume=01a20c35-d2c5-76bd-a3d7-c5915e4f22a2',
    ]);
    expectContract(r.events);
  });

  test("api_500_default_retries: retry notes, no completed until exit, last agent_end decides", () => {
    const lines = fixtureLines(join(FIXTURES, "engines/pi/api_500_default_retries.jsonl"));
    const t: Translator = translator();
    const seen: TakopiEvent[] = [];
    for (const line of lines) {
      if (!line.trim()) continue;
      const decoded = decodePiLine(JSON.parse(line));
      if (decoded.ok) seen.push(...t.translate(decoded.value));
    }
    // Four agent_end lines went by and none completed the run.
    expect(seen.some((e) => e.type === "completed")).toBe(false);
    seen.push(...t.finish(CLEAN_EXIT));
    expect(outline(seen)).toEqual([
      "started 01a20c34-b4b9-7256-9cd2-58514f81e9f9 pi",
      'started note pi.retry "retrying 1/3 after error: 500 fake upstream boom"',
      'updated note pi.retry "retrying 2/3 after error: 500 fake upstream boom"',
      'updated note pi.retry "retrying 3/3 after error: 500 fake upstream boom"',
      'completed note pi.retry "gave up after 3 retries: 500 fake upstream boom" fail',
      'completed fail answer="" error="500 fake upstream boom" resume=01a20c34-b4b9-7256-9cd2-58514f81e9f9',
    ]);
    expect(actions(seen).map((e) => e.level)).toEqual(["info", "info", "info", "warning"]);
    expectContract(seen);
  });
});

describe("pi fixtures (takopi 0.22.3, no session header)", () => {
  test("pi_stream_success: new run keeps the session path; bash and write", () => {
    const r = replay("reference-0.22.3/pi_stream_success.jsonl");
    expect(outline(r.events)).toEqual([
      `started ${PATH} pi`,
      'started command tool_1 "ls -la"',
      'completed command tool_1 "ls -la" ok',
      'started file_change tool_2 "notes.md"',
      'completed file_change tool_2 "notes.md" ok',
      `completed ok answer="Done. Added notes.md." resume=${PATH}`,
    ]);
    expectContract(r.events);
    expect(actions(r.events)[2]?.action.detail?.changes).toEqual([{ path: "notes.md", kind: "update" }]);
  });

  test("pi_stream_error: text and error both reported", () => {
    const r = replay(
      "reference-0.22.3/pi_stream_error.jsonl",
      translator({ resume: { engine: "pi", value: "abcd1234" } }),
    );
    expect(outline(r.events)).toEqual([
      "started abcd1234 pi",
      'completed fail answer="Request failed." error="Upstream error" resume=abcd1234',
    ]);
  });

  test("pi_print_mode_events: read tool, compaction, a retry that succeeds → success", () => {
    const r = replay(
      "reference-0.22.3/pi_print_mode_events.jsonl",
      translator({ model: "gpt-5.1-codex", provider: "openai" }),
    );
    expect(r.dropped).toEqual([]);
    expect(outline(r.events)).toEqual([
      `started ${PATH} pi`,
      'started tool toolu_01HXYZREAD "read: `README.md`"',
      'completed tool toolu_01HXYZREAD "read: `README.md`" ok',
      'started note pi.compaction.1 "compacting context"',
      'completed note pi.compaction.1 "compacted context" ok',
      'started note pi.retry "retrying 1/3 after error: Rate limit exceeded"',
      'completed note pi.retry "retry 1 succeeded" ok',
      `completed ok answer="Retry succeeded. Recent notes: 1) Added --mode json output. 2) Improved session export." resume=${PATH}`,
    ]);
    expect((r.events[0] as StartedEvent).meta).toEqual({
      cwd: CWD,
      model: "gpt-5.1-codex",
      provider: "openai",
    });
    expect(last(r.events).usage).toMatchObject({ input: 410, output: 96 });
  });
});

describe("pi event mapping", () => {
  const session = { type: "session", id: "01b00000-0000-7000-8000-000000000001", cwd: CWD };
  const id = session.id;

  function run(objects: readonly unknown[], exit = CLEAN_EXIT, t: Translator = translator()) {
    return replayLines(decodePiLine, t, lines(...objects), exit);
  }

  test.each([
    [
      "bash → command, run dir stripped",
      "bash",
      { command: `cat ${CWD}/a.txt` },
      'started command t1 "cat a.txt"',
    ],
    [
      "edit by path → file_change relative",
      "edit",
      { path: `${CWD}/src/x.ts` },
      'started file_change t1 "src/x.ts"',
    ],
    [
      "write outside the run dir stays absolute",
      "write",
      { path: "/etc/hosts" },
      'started file_change t1 "/etc/hosts"',
    ],
    ["read → tool read: `path`", "read", { path: `${CWD}/README.md` }, 'started tool t1 "read: `README.md`"'],
    ["ls → tool", "ls", { path: CWD }, 'started tool t1 "ls: `.`"'],
    ["find → tool", "find", { pattern: "*.md" }, 'started tool t1 "find: *.md"'],
    ["grep → tool", "grep", { pattern: "TODO" }, 'started tool t1 "grep: TODO"'],
    ["task → subagent", "task", { description: "survey" }, 'started subagent t1 "survey"'],
    ["unknown tool → tool by name", "mcp_fetch", {}, 'started tool t1 "mcp_fetch"'],
    ["args not an object", "bash", "ls", 'started command t1 "bash"'],
  ])("%s", (_name, toolName, args, expected) => {
    const r = run([session, { type: "tool_execution_start", toolCallId: "t1", toolName, args }]);
    expect(outline(r.events)[1]).toBe(expected);
  });

  test("tool end with isError fails; end without start is a bare tool action", () => {
    const r = run([
      session,
      { type: "tool_execution_start", toolCallId: "t1", toolName: "bash", args: { command: "false" } },
      { type: "tool_execution_update", toolCallId: "t1", partialResult: {} },
      { type: "tool_execution_end", toolCallId: "t1", toolName: "bash", result: "exit 1", isError: true },
      {
        type: "tool_execution_end",
        toolCallId: "t2",
        toolName: "edit",
        result: { content: [text("x".repeat(900))] },
      },
    ]);
    expect(outline(r.events).slice(1, 4)).toEqual([
      'started command t1 "false"',
      'completed command t1 "false" fail',
      'completed tool t2 "edit" ok',
    ]);
    const [, failed, orphan] = actions(r.events);
    expect(failed?.action.detail).toMatchObject({ is_error: true, result_preview: "exit 1" });
    expect(String(orphan?.action.detail?.result_preview)).toHaveLength(500);
  });

  test("answer: text blocks of the last assistant message joined and trimmed", () => {
    const r = run([
      session,
      { type: "agent_start" },
      {
        type: "message_end",
        message: assistant({ content: [text("  Hello "), { type: "toolCall" }, text("world.\n")] }),
      },
      {
        type: "agent_end",
        messages: [{ role: "user", content: [text("q")] }, assistant({ content: [text(" A"), text("B ")] })],
      },
    ]);
    expect(last(r.events).answer).toBe("AB");
  });

  test("agent_end whose last assistant message has no text falls back to message_end text", () => {
    const r = run([
      session,
      { type: "agent_start" },
      { type: "message_end", message: assistant({ content: [text("from message_end")] }) },
      { type: "agent_end", messages: [assistant({ content: [{ type: "toolCall", id: "x" }] })] },
    ]);
    expect(last(r.events).answer).toBe("from message_end");
  });

  test("agent_end without an assistant message uses this attempt's message_end", () => {
    const r = run([
      session,
      { type: "agent_start" },
      { type: "message_end", message: assistant({ content: [text("partial")], stopReason: "aborted" }) },
      { type: "agent_end", messages: [] },
    ]);
    expect(outline(r.events).at(-1)).toBe(
      `completed fail answer="partial" error="pi run aborted" resume=${id}`,
    );
  });

  test("a later successful attempt clears an earlier attempt's error", () => {
    const r = run([
      session,
      { type: "agent_start" },
      { type: "message_end", message: assistant({ stopReason: "error", errorMessage: "overloaded" }) },
      { type: "agent_end", messages: [assistant({ stopReason: "error", errorMessage: "overloaded" })] },
      { type: "auto_retry_start", attempt: 1, maxAttempts: 2, errorMessage: "overloaded" },
      { type: "agent_start" },
      { type: "message_end", message: assistant({ content: [text("ok now")] }) },
      { type: "agent_end", messages: [assistant({ content: [text("ok now")] })] },
      { type: "auto_retry_end", success: true, attempt: 1 },
    ]);
    expect(outline(r.events).at(-1)).toBe(`completed ok answer="ok now" resume=${id}`);
  });

  test("unknown and ignored event types do not break the run", () => {
    const r = run([
      { type: "brand_new_event", data: [1, 2] },
      session,
      { type: "turn_start" },
      { type: "message_update", assistantMessageEvent: { type: "text_delta", delta: "x" } },
      { type: "agent_end", messages: [assistant({ content: [text("done")] })] },
    ]);
    // The unknown first line already started the run with the new session's file.
    expect(outline(r.events)).toEqual([`started ${PATH} pi`, `completed ok answer="done" resume=${PATH}`]);
  });
});

describe("pi finish (every exit path)", () => {
  const session = { type: "session", id: "01c", cwd: CWD };
  const end = {
    type: "agent_end",
    messages: [assistant({ content: [text("answer")], usage: { input: 9 } })],
  };

  test.each([
    [
      "exit 0 after agent_end: success from the last agent_end",
      [session, end],
      CLEAN_EXIT,
      ["started 01c pi", 'completed ok answer="answer" resume=01c'],
    ],
    [
      "exit 0 without agent_end",
      [session, { type: "message_end", message: assistant({ content: [text("half")] }) }],
      CLEAN_EXIT,
      [
        "started 01c pi",
        'completed fail answer="half" error="pi finished without an agent_end event" resume=01c',
      ],
    ],
    [
      "rc≠0 after agent_end: failure with the stderr summary, answer kept",
      [session, end],
      exitWith(1, "TypeError: boom"),
      [
        "started 01c pi",
        'completed warning pi.note.1 "pi failed (rc=1): TypeError: boom" fail',
        'completed fail answer="answer" error="pi failed (rc=1): TypeError: boom" resume=01c',
      ],
    ],
    [
      "rc≠0 before any output",
      [],
      exitWith(127),
      [
        'completed warning pi.note.1 "pi failed (rc=127)." fail',
        'completed fail answer="" error="pi failed (rc=127)." resume=-',
      ],
    ],
    [
      "killed by a signal",
      [session],
      { exitCode: null, signal: "SIGTERM", stderrSummary: "" },
      [
        "started 01c pi",
        'completed warning pi.note.1 "pi failed (signal SIGTERM)." fail',
        'completed fail answer="" error="pi failed (signal SIGTERM)." resume=01c',
      ],
    ],
  ])("%s", (_name, objects, exit, expected) => {
    const r = replayLines(decodePiLine, translator(), lines(...objects), exit);
    expect(r.finished).toBe(true);
    expect(outline(r.events)).toEqual(expected);
  });

  test("usage comes from the last agent_end", () => {
    const r = replayLines(decodePiLine, translator(), lines(session, end));
    expect(last(r.events).usage).toEqual({ input: 9 });
  });

  test("finish twice adds nothing", () => {
    const t = translator();
    expect(t.finish(CLEAN_EXIT)).toHaveLength(1);
    expect(t.finish(CLEAN_EXIT)).toEqual([]);
  });
});

describe("pi reasoning override", () => {
  test("a note comes first", () => {
    const spec = piEngineSpec({}, { homeDir: "/home/u", env: {} });
    const t = spec.newTranslator({
      prompt: "p",
      cwd: CWD,
      options: { reasoning: "low" },
      resume: { engine: "pi", value: NEW_ID },
    });
    const r = replay("engines/pi/resume.jsonl", t);
    expect(outline(r.events)).toEqual([
      'completed note pi.override.reasoning "reasoning override is not supported for `pi`; ignoring." ok',
      `started ${NEW_ID} pi`,
      `completed ok answer="Resumed fine." resume=${NEW_ID}`,
    ]);
  });
});
