import { describe, expect, test } from "bun:test";
import { claudeEngineSpec } from "../../../src/runners/claude/runner";
import { decodeClaudeLine } from "../../../src/runners/claude/schema";
import { ClaudeTranslator } from "../../../src/runners/claude/translate";
import type { ExitInfo, Translator } from "../../../src/runners/engine-spec";
import type { RunRequest } from "../../../src/runners/runner";
import { CLEAN_EXIT, exitWith, outline, replayLines } from "../../support/translator-replay";

const CWD = "/repo";
const SID = "11111111-2222-3333-4444-555555555555";

function request(resume?: string, options?: RunRequest["options"]): RunRequest {
  return {
    prompt: "p",
    cwd: CWD,
    ...(resume ? { resume: { engine: "claude", value: resume } } : {}),
    ...(options ? { options } : {}),
  };
}

function run(
  lines: readonly object[],
  opts: { resume?: string; exit?: ExitInfo; translator?: Translator } = {},
) {
  const translator = opts.translator ?? new ClaudeTranslator(request(opts.resume));
  return replayLines(
    decodeClaudeLine,
    translator,
    lines.map((l) => JSON.stringify(l)),
    opts.exit ?? CLEAN_EXIT,
  );
}

const init = { type: "system", subtype: "init", session_id: SID, model: "opus", cwd: CWD };
const assistant = (...content: object[]) => ({
  type: "assistant",
  message: { role: "assistant", model: "opus", content },
  parent_tool_use_id: null,
});
const toolUse = (id: string, name: string, input: object) => ({ type: "tool_use", id, name, input });
const toolResult = (id: string, content: unknown, is_error?: boolean) => ({
  type: "user",
  message: {
    role: "user",
    content: [
      { type: "tool_result", tool_use_id: id, content, ...(is_error === undefined ? {} : { is_error }) },
    ],
  },
});
const text = (t: string) => ({ type: "text", text: t });
const result = (fields: object) => ({
  type: "result",
  subtype: "success",
  is_error: false,
  session_id: SID,
  duration_ms: 1,
  duration_api_ms: 1,
  num_turns: 1,
  ...fields,
});

describe("tool calls", () => {
  test("kinds and titles come from the shared table, paths relative to the run dir", () => {
    const r = run([
      init,
      assistant(
        toolUse("a", "Read", { file_path: "/repo/src/a.ts" }),
        toolUse("b", "Glob", { pattern: "**/*.ts" }),
        toolUse("c", "Task", { description: "find tests", prompt: "look" }),
        toolUse("d", "Edit", { path: "/repo/x.md" }),
        toolUse("e", "WebFetch", { url: "https://example.com" }),
        toolUse("f", "mcp__github__search", { q: 1 }),
        toolUse("g", "Bash", { command: "cat /repo/a /repo2/b" }),
      ),
    ]);
    expect(outline(r.events).slice(1, 8)).toEqual([
      'started tool a "read: `src/a.ts`"',
      'started tool b "glob: `**/*.ts`"',
      'started subagent c "find tests"',
      'started file_change d "x.md"',
      'started web_search e "https://example.com"',
      'started tool f "mcp__github__search"',
      'started command g "cat a /repo2/b"',
    ]);
  });

  test("subagent tool calls keep their parent id", () => {
    const r = run([
      init,
      { ...assistant(toolUse("x", "Bash", { command: "ls" })), parent_tool_use_id: "toolu_parent" },
    ]);
    expect(r.events[1]).toMatchObject({
      action: { detail: { name: "Bash", input: { command: "ls" }, parent_tool_use_id: "toolu_parent" } },
    });
  });

  test("results: text blocks joined, long output previewed, errors fail, unknown ids become `tool result`", () => {
    const long = "x".repeat(600);
    const r = run([
      init,
      assistant(toolUse("a", "Bash", { command: "ls" })),
      toolResult("a", [{ type: "text", text: "one" }, { type: "image" }, { type: "text", text: "two" }]),
      assistant(toolUse("b", "Bash", { command: "cat big" })),
      toolResult("b", long, true),
      toolResult("zzz", "orphan"),
    ]);
    expect(outline(r.events).slice(1)).toEqual([
      'started command a "ls"',
      'completed command a "ls" ok',
      'started command b "cat big"',
      'completed command b "cat big" fail',
      'completed tool zzz "tool result" ok',
      `completed fail answer="" error="claude finished without a result event" resume=${SID}`,
    ]);
    expect(r.events[2]).toMatchObject({ action: { detail: { result_preview: "one\ntwo", result_len: 7 } } });
    const big = r.events[4];
    const preview = big?.type === "action" ? big.action.detail?.result_preview : undefined;
    expect(typeof preview === "string" && preview.length).toBe(500);
    expect(big).toMatchObject({ action: { detail: { result_len: 600, is_error: true } } });
  });

  test("a user line with plain string content (the prompt echoed) is ignored", () => {
    const r = run([init, { type: "user", message: { role: "user", content: "hi" } }]);
    expect(r.dropped).toEqual([]);
    expect(r.events).toHaveLength(2);
  });
});

describe("thinking, text and unknown input", () => {
  test("thinking blocks are numbered notes; empty ones are skipped", () => {
    const r = run([
      init,
      assistant({ type: "thinking", thinking: "first", signature: "s" }),
      assistant({ type: "thinking", thinking: "", signature: "s" }),
      assistant({ type: "thinking", thinking: "second", signature: "s" }),
    ]);
    expect(outline(r.events).slice(1, 3)).toEqual([
      'completed note claude.thinking.1 "first" ok',
      'completed note claude.thinking.2 "second" ok',
    ]);
  });

  test("unknown line, block and system types are ignored without dropping anything", () => {
    const r = run([
      init,
      { type: "stream_event", event: { type: "content_block_delta" } },
      { type: "control_request", request_id: "1" },
      { type: "system", subtype: "thinking_tokens", estimated_tokens: 9 },
      { type: "system", subtype: "hook_response" },
      assistant(
        { type: "redacted_thinking", data: "x" },
        { type: "server_tool_use", id: "s" },
        text("answer"),
      ),
      result({ result: "" }),
    ]);
    expect(r.dropped).toEqual([]);
    expect(outline(r.events)).toEqual([`started ${SID} opus`, `completed ok answer="answer" resume=${SID}`]);
  });

  test("init without a session id, or without a model", () => {
    expect(run([{ type: "system", subtype: "init" }]).events.at(-1)).toMatchObject({
      error: "claude finished but no session_id was captured",
    });
    expect(run([{ type: "system", subtype: "init", session_id: SID }]).events[0]).toMatchObject({
      title: "claude",
    });
  });
});

describe("retries and permission denials", () => {
  test("api_retry notes are one note, started then updated", () => {
    const retry = (attempt: number, extra: object = {}) => ({
      type: "system",
      subtype: "api_retry",
      attempt,
      max_retries: 3,
      retry_delay_ms: 500,
      error_status: 529,
      error: "overloaded",
      session_id: SID,
      ...extra,
    });
    const r = run([init, retry(1), retry(2), { type: "system", subtype: "api_retry" }]);
    expect(outline(r.events).slice(1, 4)).toEqual([
      'started note claude.retry "Retrying... 1/3 (API error 529 overloaded)"',
      'updated note claude.retry "Retrying... 2/3 (API error 529 overloaded)"',
      'updated note claude.retry "Retrying... (API error)"',
    ]);
  });

  test("denials without a tool use id get an index; result denials not seen before are added", () => {
    const r = run([
      init,
      { type: "system", subtype: "permission_denied", tool_name: "Write", message: "no" },
      result({
        result: "ok",
        permission_denials: [
          { tool_name: "Bash", tool_use_id: "t1", tool_input: { command: "rm" } },
          { tool_use_id: "t2" },
        ],
      }),
    ]);
    expect(outline(r.events)).toEqual([
      `started ${SID} opus`,
      'completed warning claude.permission.0 "permission denied: Write" fail',
      'completed warning claude.permission.t1 "permission denied: Bash" fail',
      'completed warning claude.permission.t2 "permission denied" fail',
      `completed ok answer="ok" resume=${SID}`,
    ]);
  });
});

describe("result", () => {
  test.each([
    [{ result: "Done." }, 'completed ok answer="Done."'],
    [{ result: "" }, 'completed ok answer="last text"'],
    [{ is_error: true, result: "API Error: 500" }, 'completed fail answer="" error="API Error: 500"'],
    [
      { is_error: true, subtype: "error_max_turns", result: null },
      'completed fail answer="" error="claude run failed (error_max_turns)"',
    ],
    [
      { is_error: true, subtype: "error_during_execution", errors: [{ message: "a" }, "b"] },
      'completed fail answer="" error="a\\nb"',
    ],
    [{ is_error: true, subtype: null }, 'completed fail answer="" error="claude run failed (error)"'],
  ])("%p", (fields, expected) => {
    const r = run([init, assistant(text("last text")), result(fields)]);
    expect(outline(r.events).at(-1)).toBe(`${expected} resume=${SID}`);
  });

  test("success with no text anywhere gives an empty answer", () => {
    const r = run([init, result({ result: null })]);
    expect(r.events.at(-1)).toMatchObject({ ok: true, answer: "" });
  });

  test("usage is built only from what the result has", () => {
    const r = run([
      init,
      { type: "result", subtype: "success", is_error: false, result: "x", total_cost_usd: 0.5 },
    ]);
    expect(r.events.at(-1)).toMatchObject({ usage: { total_cost_usd: 0.5 } });
    const bare = run([init, { type: "result", is_error: false, result: "x" }]).events.at(-1);
    expect(bare?.type === "completed" && bare.usage).toBeUndefined();
  });
});

describe("sessions", () => {
  test("a resumed run that reports another session fails", () => {
    const r = run([init, result({ result: "x" })], { resume: "other" });
    expect(outline(r.events)).toEqual([
      `completed fail answer="" error="claude emitted session id ${SID} but expected other" resume=other`,
    ]);
  });

  test("a repeated init with the same session is swallowed", () => {
    expect(run([init, init, result({ result: "x" })]).events.map((e) => e.type)).toEqual([
      "started",
      "completed",
    ]);
  });
});

describe("finish", () => {
  test("non-zero exit: warning with the stderr summary and a failed completion", () => {
    const r = run([init, assistant(text("partial"))], { exit: exitWith(1, "Error: invalid model") });
    const msg = "claude failed (rc=1): Error: invalid model";
    expect(outline(r.events)).toEqual([
      `started ${SID} opus`,
      `completed warning claude.note.1 ${JSON.stringify(msg)} fail`,
      `completed fail answer="" error=${JSON.stringify(msg)} resume=${SID}`,
    ]);
  });

  test("non-zero exit before any line, on a resumed run", () => {
    const r = run([], { resume: "abc", exit: exitWith(127) });
    expect(outline(r.events)).toEqual([
      'completed warning claude.note.1 "claude failed (rc=127)." fail',
      'completed fail answer="" error="claude failed (rc=127)." resume=abc',
    ]);
  });

  test("clean exit without a session", () => {
    expect(outline(run([]).events)).toEqual([
      'completed fail answer="" error="claude finished but no session_id was captured" resume=-',
    ]);
  });

  test("clean exit with a session but no result keeps the last text", () => {
    expect(outline(run([init, assistant(text("so far"))]).events).at(-1)).toBe(
      `completed fail answer="so far" error="claude finished without a result event" resume=${SID}`,
    );
  });
});

describe("reasoning override", () => {
  const note =
    'completed note claude.override.reasoning "reasoning override is not supported for `claude`; ignoring." ok';

  test("is announced before the engine's first events", () => {
    const translator = claudeEngineSpec().newTranslator(request(undefined, { reasoning: "high" }));
    const r = run([init, result({ result: "x" })], { translator });
    expect(outline(r.events)).toEqual([note, `started ${SID} opus`, `completed ok answer="x" resume=${SID}`]);
  });

  test("is announced even when the engine says nothing", () => {
    const translator = claudeEngineSpec().newTranslator(request(undefined, { reasoning: "low" }));
    expect(outline(run([], { translator, exit: exitWith(1) }).events)[0]).toBe(note);
  });

  test("is not announced without a reasoning override", () => {
    const translator = claudeEngineSpec().newTranslator(request(undefined, { model: "sonnet" }));
    expect(outline(run([init], { translator }).events)[0]).toBe(`started ${SID} opus`);
  });
});
