import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { ActionEvent, CompletedEvent, StartedEvent, TakopiEvent } from "../../../src/model";
import type { Translator } from "../../../src/runners/engine-spec";
import { opencodeEngineSpec } from "../../../src/runners/opencode/runner";
import { decodeOpencodeLine } from "../../../src/runners/opencode/schema";
import { OpencodeTranslator } from "../../../src/runners/opencode/translate";
import { CLEAN_EXIT, exitWith, fixtureLines, outline, replayLines } from "../../support/translator-replay";

const FIXTURES = join(import.meta.dir, "../../../../shared/fixtures");
const CWD = "/home/dev/project";

function replay(
  path: string,
  exit = CLEAN_EXIT,
  translator: Translator = new OpencodeTranslator({ cwd: CWD }),
) {
  return replayLines(decodeOpencodeLine, translator, fixtureLines(join(FIXTURES, path)), exit);
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

/** The contract every replay must keep: one `started` first, `completed` last with the same token. */
function expectContract(events: readonly TakopiEvent[]): void {
  const started = events.filter((e): e is StartedEvent => e.type === "started");
  const completed = events.filter((e) => e.type === "completed");
  expect(completed).toHaveLength(1);
  expect(events.at(-1)?.type).toBe("completed");
  if (started.length > 0) {
    expect(started).toHaveLength(1);
    expect(events[0]?.type).toBe("started");
    expect(last(events).resume).toEqual(started[0]?.resume);
  }
}

describe("opencode fixtures (current CLI)", () => {
  test("new_session_bash: bash tool, text across steps, tool-calls then stop", () => {
    const r = replay("engines/opencode/new_session_bash.jsonl");
    expect(r.dropped).toEqual([]);
    expect(r.finished).toBe(false);
    expect(outline(r.events)).toEqual([
      "started ses_df3b71aa1ffe1RusQr5HVBzYFO opencode",
      'completed command call_fake_2_0 "echo hello-from-tool" ok',
      'completed ok answer="All done." resume=ses_df3b71aa1ffe1RusQr5HVBzYFO',
    ]);
    expectContract(r.events);
    const [bash] = actions(r.events);
    expect(bash?.action.detail).toMatchObject({
      name: "bash",
      callID: "call_fake_2_0",
      exit_code: 0,
      output_preview: "hello-from-tool\n",
    });
    expect(last(r.events).usage).toEqual({
      total_cost_usd: 0.028315 + 0.003595625,
      tokens: { input: 22443, output: 118, reasoning: 0, cache_read: 21415, cache_write: 0 },
    });
  });

  test("resume: same session id, answer from the single step", () => {
    const r = replay("engines/opencode/resume.jsonl");
    expect(outline(r.events)).toEqual([
      "started ses_df3b71aa1ffe1RusQr5HVBzYFO opencode",
      'completed ok answer="Resumed fine." resume=ses_df3b71aa1ffe1RusQr5HVBzYFO',
    ]);
    expectContract(r.events);
  });

  test("non_git_dir: no snapshot fields, still a normal run", () => {
    const r = replay("engines/opencode/non_git_dir.jsonl");
    expect(outline(r.events)).toEqual([
      "started ses_df3b9eb68ffegNgRZAJT0xYtpy opencode",
      'completed ok answer="No git here." resume=ses_df3b9eb68ffegNgRZAJT0xYtpy',
    ]);
  });

  test("tool_error: non-zero exit, error status and the `invalid` pseudo-tool all fail", () => {
    const r = replay("engines/opencode/tool_error.jsonl");
    expect(r.dropped).toEqual([]);
    expect(outline(r.events)).toEqual([
      "started ses_df3bb4014ffeFT251GiplzRtbM opencode",
      'completed command call_fake_2_0 "echo to-stderr >&2; exit 3" fail',
      'completed command call_fake_3_0 "bash" fail',
      'completed tool call_fake_4_0 "invalid tool call: nosuchtool" fail',
      'completed ok answer="Finished with errors." resume=ses_df3bb4014ffeFT251GiplzRtbM',
    ]);
    const [exit3, badArgs, invalid] = actions(r.events);
    expect(exit3?.action.detail?.exit_code).toBe(3);
    expect(badArgs?.message).toStartWith("The bash tool was called with invalid arguments");
    expect(badArgs?.action.detail?.error).toBe(badArgs?.message);
    expect(String(invalid?.action.detail?.output_preview)).toContain("unavailable tool 'nosuchtool'");
  });

  test("permission_ask_rejected: run that stops after a refused call fails and says why", () => {
    const r = replay("engines/opencode/permission_ask_rejected.jsonl");
    expect(r.finished).toBe(true);
    expect(outline(r.events)).toEqual([
      "started ses_df3b74bb6ffe929YRcQA1qNAua opencode",
      'completed command call_fake_2_0 "echo should-not-run" fail',
      'completed fail answer="" error="opencode stopped after a tool call, without a final answer: The user rejected permission to use this specific tool call." resume=ses_df3b74bb6ffe929YRcQA1qNAua',
    ]);
    expect(actions(r.events)[0]?.message).toBe(
      "The user rejected permission to use this specific tool call.",
    );
  });

  test("api_500: a lone error line still starts the session so the user can retry in it", () => {
    const r = replay("engines/opencode/api_500.jsonl", exitWith(1, "boom"));
    expect(r.finished).toBe(false);
    expect(outline(r.events)).toEqual([
      "started ses_df3b6f152ffeFzfA2CZuUJlCgd opencode",
      'completed fail answer="" error="fake upstream exploded" resume=ses_df3b6f152ffeFzfA2CZuUJlCgd',
    ]);
    expectContract(r.events);
  });

  test("server_down: error.data.message is the error", () => {
    const r = replay("engines/opencode/server_down.jsonl", exitWith(1));
    expect(outline(r.events)).toEqual([
      "started ses_df3b9c908ffeTvCbvurcyyR6Wq opencode",
      'completed fail answer="" error="Cannot connect to API: Unable to connect. Is the computer able to access the url?" resume=ses_df3b9c908ffeTvCbvurcyyR6Wq',
    ]);
  });
});

describe("opencode fixtures (takopi 0.22.3)", () => {
  test("opencode_stream_success: state.title overrides the command", () => {
    const r = replay("reference-0.22.3/opencode_stream_success.jsonl");
    expect(outline(r.events)).toEqual([
      "started ses_494719016ffe85dkDMj0FPRbHK opencode",
      'completed command r9bQWsNLvOrJGIOz "Print hello to stdout" ok',
      'completed ok answer="```\\nhello\\n```" resume=ses_494719016ffe85dkDMj0FPRbHK',
    ]);
    expectContract(r.events);
  });

  test("opencode_run_json: metadata.exitCode accepted; error after stop is ignored", () => {
    const r = replay("reference-0.22.3/opencode_run_json.jsonl");
    expect(r.linesRead).toBe(4);
    expect(outline(r.events)).toEqual([
      "started ses_1f2e3d4c5b6aAbCdEfGhIjKlMn opencode",
      'completed command 01J3Z2K7S0XQ9Y8W7V6U5T4R3S "Check ripgrep version" ok',
      'completed ok answer="Found ripgrep 13.0.0." resume=ses_1f2e3d4c5b6aAbCdEfGhIjKlMn',
    ]);
    expect(actions(r.events)[0]?.action.detail?.exit_code).toBe(0);
  });

  test("opencode_stream_error: error line fails the run", () => {
    const r = replay("reference-0.22.3/opencode_stream_error.jsonl");
    expect(outline(r.events)).toEqual([
      "started ses_error123 opencode",
      'completed fail answer="" error="Rate limit exceeded" resume=ses_error123',
    ]);
  });

  test("opencode_stream_success_no_reason: step_finish without reason then EOF is success", () => {
    const r = replay("reference-0.22.3/opencode_stream_success_no_reason.jsonl");
    expect(r.finished).toBe(true);
    expect(outline(r.events)).toEqual([
      "started ses_no_reason opencode",
      'completed ok answer="All done." resume=ses_no_reason',
    ]);
  });
});

describe("opencode tool_use mapping", () => {
  const sid = "ses_abc";
  const tool = (tool: string, state: Record<string, unknown>, callID = "c1") => ({
    type: "tool_use",
    sessionID: sid,
    part: { type: "tool", tool, callID, id: "prt_1", state },
  });

  function mapped(...objects: readonly unknown[]): string[] {
    const r = replayLines(decodeOpencodeLine, new OpencodeTranslator({ cwd: CWD }), lines(...objects));
    return outline(r.events.filter((e) => e.type === "action"));
  }

  test.each([
    [
      "running bash → started command",
      tool("bash", { status: "running", input: { command: "ls" } }),
      'started command c1 "ls"',
    ],
    [
      "bash command loses the run dir prefix",
      tool("bash", { status: "pending", input: { command: `cat ${CWD}/a.txt` } }),
      'started command c1 "cat a.txt"',
    ],
    [
      "edit by absolute filePath → file_change relative",
      tool("edit", { status: "running", input: { filePath: `${CWD}/src/a.ts` } }),
      'started file_change c1 "src/a.ts"',
    ],
    [
      "state.title equal to the path gets backticks",
      tool("read", { status: "completed", input: { filePath: `${CWD}/README.md` }, title: "README.md" }),
      'completed tool c1 "`README.md`" ok',
    ],
    [
      "state.title with backticks is kept",
      tool("read", { status: "completed", input: { filePath: "x" }, title: "`x` (1 line)" }),
      'completed tool c1 "`x` (1 line)" ok',
    ],
    [
      "read without title → read: `path`",
      tool("read", { status: "running", input: { filePath: `${CWD}/b.md` } }),
      'started tool c1 "read: `b.md`"',
    ],
    [
      "task → tool (not subagent) titled by description",
      tool("task", { status: "running", input: { description: "explore", prompt: "p" } }),
      'started tool c1 "explore"',
    ],
    [
      "webfetch → web_search url",
      tool("webfetch", { status: "running", input: { url: "https://x.y" } }),
      'started web_search c1 "https://x.y"',
    ],
    [
      "todowrite → note",
      tool("todowrite", { status: "completed", input: {} }),
      'completed note c1 "update todos" ok',
    ],
    [
      "unknown tool → tool by name",
      tool("skill", { status: "running", input: {} }),
      'started tool c1 "skill"',
    ],
    [
      "no callID → part id",
      {
        type: "tool_use",
        sessionID: sid,
        part: { tool: "glob", id: "prt_9", state: { status: "running", input: { pattern: "*.ts" } } },
      },
      'started tool prt_9 "glob: `*.ts`"',
    ],
  ])("%s", (_name, line, expected) => {
    expect(mapped(line)).toEqual([expected]);
  });

  test("edit carries the change with its raw path", () => {
    const r = replayLines(
      decodeOpencodeLine,
      new OpencodeTranslator({ cwd: CWD }),
      lines(tool("write", { status: "completed", input: { filePath: `${CWD}/n.md` } })),
    );
    expect(actions(r.events)[0]?.action.detail?.changes).toEqual([{ path: `${CWD}/n.md`, kind: "update" }]);
  });

  test("a tool_use without any id is skipped", () => {
    expect(
      mapped({ type: "tool_use", sessionID: sid, part: { tool: "bash", state: { status: "running" } } }),
    ).toEqual([]);
  });

  test("output preview is capped at 500 characters", () => {
    const r = replayLines(
      decodeOpencodeLine,
      new OpencodeTranslator({ cwd: CWD }),
      lines(
        tool("bash", {
          status: "completed",
          input: { command: "yes" },
          output: "y".repeat(2000),
          metadata: { exit: 0 },
        }),
      ),
    );
    expect(String(actions(r.events)[0]?.action.detail?.output_preview)).toHaveLength(500);
  });

  test("text parts are concatenated without separator across steps", () => {
    const r = replayLines(
      decodeOpencodeLine,
      new OpencodeTranslator({ cwd: CWD }),
      lines(
        { type: "step_start", sessionID: sid },
        { type: "text", sessionID: sid, part: { text: "one " } },
        { type: "step_finish", sessionID: sid, part: { reason: "tool-calls" } },
        { type: "step_start", sessionID: sid },
        { type: "text", sessionID: sid, part: { text: "two" } },
        { type: "step_finish", sessionID: sid, part: { reason: "stop" } },
      ),
    );
    expect(last(r.events).answer).toBe("one two");
    expect(last(r.events).ok).toBe(true);
  });

  test("error wording: message field, then error.data.message, name, plain string, fallback", () => {
    const error = (fields: Record<string, unknown>) =>
      last(
        replayLines(
          decodeOpencodeLine,
          new OpencodeTranslator({ cwd: CWD }),
          lines({ type: "error", ...fields }),
        ).events,
      ).error;
    expect(error({ message: "top", error: { data: { message: "inner" } } })).toBe("top");
    expect(error({ error: { name: "APIError", data: { message: "inner" } } })).toBe("inner");
    expect(error({ error: { name: "ProviderAuthError", data: {} } })).toBe("ProviderAuthError");
    expect(error({ error: "plain" })).toBe("plain");
    expect(error({})).toBe("opencode error");
  });

  test("unknown event types are ignored but their session id still starts the run", () => {
    const r = replayLines(
      decodeOpencodeLine,
      new OpencodeTranslator({ cwd: CWD }),
      lines(
        { type: "reasoning", sessionID: sid, part: { text: "hmm" } },
        { type: "step_finish", sessionID: sid, part: { reason: "stop" } },
      ),
    );
    expect(outline(r.events)).toEqual([`started ${sid} opencode`, `completed ok answer="" resume=${sid}`]);
  });

  test("title is the model when one is set", () => {
    const r = replayLines(
      decodeOpencodeLine,
      new OpencodeTranslator({ cwd: CWD, model: "openai/gpt-5" }),
      lines({ type: "step_start", sessionID: sid }),
    );
    expect(outline(r.events)[0]).toBe(`started ${sid} openai/gpt-5`);
  });
});

describe("opencode finish (every exit path)", () => {
  const sid = "ses_x1";
  const start = { type: "step_start", sessionID: sid };
  const text = { type: "text", sessionID: sid, part: { text: "partial" } };
  const toolCalls = { type: "step_finish", sessionID: sid, part: { reason: "tool-calls" } };
  const other = { type: "step_finish", sessionID: sid, part: { reason: "length" } };

  test.each([
    [
      "rc≠0 with stderr: warning note + failure naming stderr",
      [start, text],
      exitWith(1, "Error: model not found"),
      [
        `started ${sid} opencode`,
        'completed warning opencode.note.1 "opencode failed (rc=1): Error: model not found" fail',
        `completed fail answer="partial" error="opencode failed (rc=1): Error: model not found" resume=${sid}`,
      ],
    ],
    [
      "rc≠0 without stderr",
      [],
      exitWith(2),
      [
        'completed warning opencode.note.1 "opencode failed (rc=2)." fail',
        'completed fail answer="" error="opencode failed (rc=2)." resume=-',
      ],
    ],
    [
      "killed by a signal",
      [start],
      { exitCode: null, signal: "SIGKILL", stderrSummary: "" },
      [
        `started ${sid} opencode`,
        'completed warning opencode.note.1 "opencode failed (signal SIGKILL)." fail',
        `completed fail answer="" error="opencode failed (signal SIGKILL)." resume=${sid}`,
      ],
    ],
    [
      "clean exit, no session id ever",
      [{ type: "text", part: { text: "hi" } }],
      CLEAN_EXIT,
      ['completed fail answer="hi" error="opencode finished but no session_id was captured" resume=-'],
    ],
    [
      "clean exit after tool-calls with no failed call",
      [start, text, toolCalls],
      CLEAN_EXIT,
      [
        `started ${sid} opencode`,
        `completed fail answer="partial" error="opencode stopped after a tool call, without a final answer" resume=${sid}`,
      ],
    ],
    [
      "clean exit after another step_finish reason",
      [start, text, other],
      CLEAN_EXIT,
      [`started ${sid} opencode`, `completed ok answer="partial" resume=${sid}`],
    ],
    [
      "clean exit without any step_finish",
      [start, text],
      CLEAN_EXIT,
      [
        `started ${sid} opencode`,
        `completed fail answer="partial" error="opencode finished without a result event" resume=${sid}`,
      ],
    ],
  ])("%s", (_name, objects, exit, expected) => {
    const r = replayLines(decodeOpencodeLine, new OpencodeTranslator({ cwd: CWD }), lines(...objects), exit);
    expect(r.finished).toBe(true);
    expect(outline(r.events)).toEqual(expected);
    expectContract(r.events);
  });

  test("finish after completed, or twice, adds nothing", () => {
    const t = new OpencodeTranslator({ cwd: CWD });
    t.translate({ type: "step_finish", sessionID: sid, part: { reason: "stop" } });
    expect(t.finish(CLEAN_EXIT)).toEqual([]);
    expect(t.translate({ type: "step_start", sessionID: sid })).toEqual([]);
    const u = new OpencodeTranslator({ cwd: CWD });
    expect(u.finish(CLEAN_EXIT)).toHaveLength(1);
    expect(u.finish(CLEAN_EXIT)).toEqual([]);
  });
});

describe("opencode reasoning override", () => {
  test("a note comes first, before the engine's own events", () => {
    const spec = opencodeEngineSpec();
    const translator = spec.newTranslator({ prompt: "p", cwd: CWD, options: { reasoning: "high" } });
    const r = replay("engines/opencode/resume.jsonl", CLEAN_EXIT, translator);
    expect(outline(r.events)).toEqual([
      'completed note opencode.override.reasoning "reasoning override is not supported for `opencode`; ignoring." ok',
      "started ses_df3b71aa1ffe1RusQr5HVBzYFO opencode",
      'completed ok answer="Resumed fine." resume=ses_df3b71aa1ffe1RusQr5HVBzYFO',
    ]);
  });

  test("no note without a reasoning override", () => {
    const spec = opencodeEngineSpec({ model: "m/x" });
    const translator = spec.newTranslator({ prompt: "p", cwd: CWD });
    const failed = translator.finish(exitWith(1));
    expect(failed.map((e) => (e.type === "action" ? e.action.id : e.type))).toEqual([
      "opencode.note.1",
      "completed",
    ]);
    const r = replayLines(
      decodeOpencodeLine,
      spec.newTranslator({ prompt: "p", cwd: CWD }),
      lines({ type: "step_start", sessionID: "ses_q" }),
    );
    expect(outline(r.events)).toEqual([
      "started ses_q m/x",
      'completed fail answer="" error="opencode finished without a result event" resume=ses_q',
    ]);
  });
});
