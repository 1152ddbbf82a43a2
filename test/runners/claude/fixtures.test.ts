import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { CompletedEvent, TakopiEvent } from "../../../src/model";
import { decodeClaudeLine } from "../../../src/runners/claude/schema";
import { ClaudeTranslator } from "../../../src/runners/claude/translate";
import type { RunRequest } from "../../../src/runners/runner";
import { fixtureLines, outline, replayLines } from "../../support/translator-replay";

/** `../shared` sits beside the repo (see `.ci/run`). */
const FIXTURES = join(import.meta.dir, "../../../../shared/fixtures");
const CURRENT = `${FIXTURES}/engines/claude/`;
const REFERENCE = `${FIXTURES}/reference-0.22.3/`;
const CWD = "/home/dev/project";

interface Case {
  readonly file: string;
  readonly resume?: string;
  readonly expected: readonly string[];
  readonly check?: (events: readonly TakopiEvent[]) => void;
}

function completedOf(events: readonly TakopiEvent[]): CompletedEvent {
  const last = events.at(-1);
  if (last?.type !== "completed") throw new Error("last event is not completed");
  return last;
}

function actionEvent(events: readonly TakopiEvent[], id: string, phase: string) {
  const e = events.find((x) => x.type === "action" && x.action.id === id && x.phase === phase);
  if (e?.type !== "action") throw new Error(`no ${phase} action ${id}`);
  return e;
}

const API_500 =
  "API Error: 500 Internal server error. This is a server-side issue, usually temporary — try again in a moment. If it persists, check your inference gateway (127.0.0.1:40897).";
const API_529 =
  "API Error: 529 Overloaded. This is a server-side issue, usually temporary — try again in a moment. If it persists, check your inference gateway (127.0.0.1:43669).";

const cases: Case[] = [
  {
    file: `${CURRENT}new_session_bash.jsonl`,
    expected: [
      "started cbfa7221-7af5-4a69-bde9-060c6843160c claude-opus-5-5",
      'started command toolu_fake001abdb40140bc9d403259f "echo hello-from-tool"',
      'completed command toolu_fake001abdb40140bc9d403259f "echo hello-from-tool" ok',
      'completed ok answer="All done." resume=cbfa7221-7af5-4a69-bde9-060c6843160c',
    ],
    check: (events) => {
      const started = events[0];
      expect(started?.type === "started" && started.meta).toMatchObject({
        cwd: "/home/dev/project",
        permissionMode: "default",
        apiKeySource: "ANTHROPIC_API_KEY",
        output_style: "default",
        mcp_servers: [],
      });
      expect(actionEvent(events, "toolu_fake001abdb40140bc9d403259f", "completed").action.detail).toEqual({
        name: "Bash",
        input: { command: "echo hello-from-tool", description: "Print hello-from-tool" },
        tool_use_id: "toolu_fake001abdb40140bc9d403259f",
        result_preview: "hello-from-tool",
        result_len: 15,
        is_error: false,
      });
      const usage = completedOf(events).usage;
      expect(usage).toMatchObject({
        total_cost_usd: 0.022824,
        duration_ms: 437,
        duration_api_ms: 129,
        num_turns: 2,
      });
      expect(usage?.usage).toMatchObject({ input_tokens: 5466, output_tokens: 48 });
    },
  },
  {
    file: `${CURRENT}resume.jsonl`,
    resume: "cbfa7221-7af5-4a69-bde9-060c6843160c",
    expected: [
      "started cbfa7221-7af5-4a69-bde9-060c6843160c claude-opus-5-5",
      'completed ok answer="Resumed fine." resume=cbfa7221-7af5-4a69-bde9-060c6843160c',
    ],
  },
  {
    file: `${CURRENT}multi_block_thinking_write.jsonl`,
    expected: [
      "started 3205bd5b-2151-44e0-b017-92ce9b0b5a3f claude-opus-5-5",
      'completed note claude.thinking.1 "I should list files and write notes." ok',
      'started command toolu_fake001ec9f37581ed811d50fb7 "ls"',
      'started file_change toolu_fake0027fa784e4da1d561757e8 "notes.md"',
      'completed command toolu_fake001ec9f37581ed811d50fb7 "ls" ok',
      'completed file_change toolu_fake0027fa784e4da1d561757e8 "notes.md" ok',
      'completed ok answer="I see README.md and wrote notes.md." resume=3205bd5b-2151-44e0-b017-92ce9b0b5a3f',
    ],
    check: (events) => {
      const write = actionEvent(events, "toolu_fake0027fa784e4da1d561757e8", "completed").action.detail;
      expect(write?.changes).toEqual([{ path: "/home/dev/project/notes.md", kind: "update" }]);
      expect(write?.is_error).toBe(false);
    },
  },
  {
    file: `${CURRENT}permission_denied.jsonl`,
    expected: [
      "started 78a109e2-1317-4026-be2e-5da182af42e7 claude-opus-5-5",
      'started command toolu_fake0014450f451697bb5ca712c "touch denied-file.txt"',
      'completed warning claude.permission.toolu_fake0014450f451697bb5ca712c "permission denied: Bash" fail',
      'completed command toolu_fake0014450f451697bb5ca712c "touch denied-file.txt" fail',
      // result.permission_denials names the same tool call: not repeated.
      'completed ok answer="Could not create the file." resume=78a109e2-1317-4026-be2e-5da182af42e7',
    ],
    check: (events) => {
      const denial = actionEvent(events, "claude.permission.toolu_fake0014450f451697bb5ca712c", "completed");
      expect(denial.level).toBe("warning");
      expect(denial.message).toStartWith("touch in '/home/dev/project/denied-file.txt' needs approval.");
      const tool = actionEvent(events, "toolu_fake0014450f451697bb5ca712c", "completed").action.detail;
      expect(tool?.is_error).toBe(true);
    },
  },
  {
    file: `${CURRENT}api_529_no_retries.jsonl`,
    expected: [
      "started 0806a66c-cde0-408a-b906-a24674017057 claude-opus-5-5",
      `completed fail answer="" error="${API_529}" resume=0806a66c-cde0-408a-b906-a24674017057`,
    ],
    check: (events) => expect(completedOf(events).usage).toMatchObject({ total_cost_usd: 0, num_turns: 1 }),
  },
  {
    file: `${CURRENT}api_500_one_retry.jsonl`,
    expected: [
      "started ecb397b5-f369-4008-be0b-d66dbebb57a8 claude-opus-5-5",
      'started note claude.retry "Retrying... 1/1 (API error 500 server_error)"',
      `completed fail answer="" error="${API_500}" resume=ecb397b5-f369-4008-be0b-d66dbebb57a8`,
    ],
    check: (events) => {
      const retry = actionEvent(events, "claude.retry", "started");
      expect(retry.level).toBe("info");
      expect(retry.action.detail).toEqual({
        attempt: 1,
        max_retries: 1,
        retry_delay_ms: 533,
        error_status: 500,
        error: "server_error",
      });
    },
  },
  {
    file: `${CURRENT}resume_unknown_session.jsonl`,
    resume: "00000000-0000-0000-0000-000000000000",
    expected: [
      'completed fail answer="" error="No conversation found with session ID: 00000000-0000-0000-0000-000000000000" resume=00000000-0000-0000-0000-000000000000',
    ],
  },
  {
    file: `${REFERENCE}claude_stream_json_session.jsonl`,
    expected: [
      "started aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa claude-sonnet-4-5-20250929",
      'started command toolu_01BASH_LS_EXAMPLE "ls"',
      'started file_change toolu_02 "notes.md"',
      'completed command toolu_01BASH_LS_EXAMPLE "ls" ok',
      'completed file_change toolu_02 "notes.md" ok',
      'completed ok answer="I see README.md, pyproject.toml, and src/." resume=aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa',
    ],
    check: (events) => {
      const ls = actionEvent(events, "toolu_01BASH_LS_EXAMPLE", "completed").action.detail;
      expect(ls?.result_preview).toBe("README.md\npyproject.toml\nsrc/\n");
      expect(completedOf(events).usage).toEqual({
        total_cost_usd: 0.012345,
        duration_ms: 2450,
        duration_api_ms: 2100,
        num_turns: 2,
        usage: expect.any(Object),
      });
    },
  },
];

function replay(file: string, resume?: string) {
  const request: RunRequest = {
    prompt: "p",
    cwd: CWD,
    ...(resume ? { resume: { engine: "claude", value: resume } } : {}),
  };
  return replayLines(decodeClaudeLine, new ClaudeTranslator(request), fixtureLines(file));
}

describe("claude fixtures", () => {
  test.each(cases.map((c) => [c.file.split("/").slice(-2).join("/"), c] as const))("%s", (_name, c) => {
    const r = replay(c.file, c.resume);
    expect(r.dropped).toEqual([]);
    expect(outline(r.events)).toEqual([...c.expected]);
    expect(r.finished).toBe(false);
    const started = r.events.find((e) => e.type === "started");
    if (started?.type === "started") expect(completedOf(r.events).resume).toEqual(started.resume);
    c.check?.(r.events);
  });

  test("every claude fixture file is covered", () => {
    const files = [
      ...readdirSync(CURRENT).map((f) => CURRENT + f),
      ...readdirSync(REFERENCE)
        .filter((f) => f.startsWith("claude_"))
        .map((f) => REFERENCE + f),
    ].filter((f) => f.endsWith(".jsonl"));
    expect(files.sort()).toEqual(cases.map((c) => c.file).sort());
  });

  test("reference session: the second run after the first result fails with a permission denial", () => {
    const file = `${REFERENCE}claude_stream_json_session.jsonl`;
    const rest = fixtureLines(file).slice(replay(file).linesRead);
    const r = replayLines(decodeClaudeLine, new ClaudeTranslator({ prompt: "p", cwd: "/home/dev" }), rest);
    expect(outline(r.events)).toEqual([
      "started bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb claude-sonnet-4-5-20250929",
      'completed warning claude.permission.toolu_01WRITE_SECRET_EXAMPLE "permission denied: Write" fail',
      'completed fail answer="" error="Permission denied: cannot write to /home/dev/secret.txt" resume=bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb',
    ]);
    expect(
      actionEvent(r.events, "claude.permission.toolu_01WRITE_SECRET_EXAMPLE", "completed").action.detail,
    ).toEqual({
      tool_name: "Write",
      tool_use_id: "toolu_01WRITE_SECRET_EXAMPLE",
      tool_input: { file_path: "/home/dev/secret.txt", content: "hello\n" },
    });
  });

  test("a result line whose first key is not `type` decodes", () => {
    const line = fixtureLines(`${CURRENT}resume.jsonl`).find((l) => l.includes('"type":"result"'));
    expect(line?.startsWith('{"type"')).toBe(false);
    expect(decodeClaudeLine(JSON.parse(line ?? "{}"))).toMatchObject({ ok: true, value: { type: "result" } });
  });
});
