import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { CompletedEvent, TakopiEvent } from "../../../src/model";
import { decodeCodexLine } from "../../../src/runners/codex/schema";
import { CodexTranslator } from "../../../src/runners/codex/translate";
import type { RunRequest } from "../../../src/runners/runner";
import { fixtureLines, outline, replayLines } from "../../support/translator-replay";

/** `../shared` sits beside the repo (see `.ci/run`). */
const FIXTURES = join(import.meta.dir, "../../../../shared/fixtures");
const CURRENT = `${FIXTURES}/engines/codex/`;
const REFERENCE = `${FIXTURES}/reference-0.22.3/`;
const CWD = "/home/dev/project";
const HIGH_DEMAND = "We’re currently experiencing high demand, which may cause temporary errors.";

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

function actionDetail(events: readonly TakopiEvent[], id: string, phase: string): unknown {
  const e = events.find((x) => x.type === "action" && x.action.id === id && x.phase === phase);
  return e?.type === "action" ? e.action.detail : undefined;
}

const cases: Case[] = [
  {
    file: `${CURRENT}new_thread_command.jsonl`,
    expected: [
      "started 01a20c3b-ed72-7293-898e-7d923efc05b2 Codex",
      'started turn turn_0 "turn started"',
      `started command item_0 "/bin/bash -lc 'echo hello-from-tool'"`,
      `completed command item_0 "/bin/bash -lc 'echo hello-from-tool'" ok`,
      'completed ok answer="All done." resume=01a20c3b-ed72-7293-898e-7d923efc05b2',
    ],
    check: (events) => {
      expect(actionDetail(events, "item_0", "completed")).toEqual({ exit_code: 0, status: "completed" });
      expect(completedOf(events).usage).toEqual({
        input_tokens: 300,
        cached_input_tokens: 10,
        cache_write_input_tokens: 0,
        output_tokens: 15,
        reasoning_output_tokens: 0,
      });
    },
  },
  {
    file: `${CURRENT}resume.jsonl`,
    resume: "01a20c3b-ed72-7293-898e-7d923efc05b2",
    expected: [
      "started 01a20c3b-ed72-7293-898e-7d923efc05b2 Codex",
      'started turn turn_0 "turn started"',
      'completed ok answer="Resumed fine." resume=01a20c3b-ed72-7293-898e-7d923efc05b2',
    ],
    check: (events) => expect(completedOf(events).usage?.input_tokens).toBe(600),
  },
  {
    file: `${CURRENT}rich_reasoning_search_patch_failure.jsonl`,
    expected: [
      "started 01a20c3b-f328-7252-8b11-f634996d0c80 Codex",
      'started turn turn_0 "turn started"',
      'completed note item_0 "**Planning the work**" ok',
      `started command item_2 "/bin/bash -lc 'echo oops >&2; exit 3'"`,
      `completed command item_2 "/bin/bash -lc 'echo oops >&2; exit 3'" fail`,
      // The item carries `id` twice ("item_3", then "ws_1"); JSON.parse keeps the last.
      'started web_search ws_1 "codex exec json schema"',
      'completed web_search ws_1 "codex exec json schema" ok',
      'started file_change item_4 "hello.txt"',
      'completed file_change item_4 "hello.txt" ok',
      'completed ok answer="Rich done." resume=01a20c3b-f328-7252-8b11-f634996d0c80',
    ],
    check: (events) => {
      expect(actionDetail(events, "item_2", "completed")).toEqual({ exit_code: 3, status: "failed" });
      expect(actionDetail(events, "ws_1", "completed")).toEqual({ query: "codex exec json schema" });
      expect(actionDetail(events, "item_4", "completed")).toEqual({
        changes: [{ path: "/home/dev/project/hello.txt", kind: "add" }],
        status: "completed",
      });
    },
  },
  {
    file: `${CURRENT}apply_patch.jsonl`,
    expected: [
      "started 01a20c35-b3e1-7d50-a66b-5ca20fc17825 Codex",
      'started turn turn_0 "turn started"',
      'started file_change item_0 "hello.txt"',
      'completed file_change item_0 "hello.txt" ok',
      'started file_change item_1 "hello2.txt"',
      'completed file_change item_1 "hello2.txt" ok',
      'completed ok answer="Patch done." resume=01a20c35-b3e1-7d50-a66b-5ca20fc17825',
    ],
  },
  {
    file: `${CURRENT}web_search.jsonl`,
    expected: [
      "started 01a20c3b-6aa1-76b0-b031-7b07c5c5cbf0 Codex",
      'started turn turn_0 "turn started"',
      'started web_search ws_1 "codex exec json schema"',
      'completed web_search ws_1 "codex exec json schema" ok',
      'completed ok answer="Searched." resume=01a20c3b-6aa1-76b0-b031-7b07c5c5cbf0',
    ],
  },
  {
    file: `${CURRENT}http500_no_retries.jsonl`,
    expected: [
      "started 01a20c3b-f6de-7143-88cb-f5c6eca392dd Codex",
      'started turn turn_0 "turn started"',
      `completed warning codex.note.1 "${HIGH_DEMAND}" fail`,
      `completed fail answer="" error="${HIGH_DEMAND}" resume=01a20c3b-f6de-7143-88cb-f5c6eca392dd`,
    ],
    check: (events) => expect(completedOf(events).usage).toBeUndefined(),
  },
  {
    file: `${CURRENT}http500_default_retries.jsonl`,
    expected: [
      "started 01a20c34-4743-7200-a8df-b7766a56baec Codex",
      'started turn turn_0 "turn started"',
      `started note codex.reconnect "Reconnecting... 1/5 (${HIGH_DEMAND})"`,
      `updated note codex.reconnect "Reconnecting... 2/5 (${HIGH_DEMAND})"`,
      `updated note codex.reconnect "Reconnecting... 3/5 (${HIGH_DEMAND})"`,
      `updated note codex.reconnect "Reconnecting... 4/5 (${HIGH_DEMAND})"`,
      `updated note codex.reconnect "Reconnecting... 5/5 (${HIGH_DEMAND})"`,
      `completed warning codex.note.1 "${HIGH_DEMAND}" fail`,
      `completed fail answer="" error="${HIGH_DEMAND}" resume=01a20c34-4743-7200-a8df-b7766a56baec`,
    ],
    check: (events) => {
      for (const e of events) {
        if (e.type === "action" && e.action.id === "codex.reconnect") expect(e.level).toBe("info");
      }
    },
  },
  {
    file: `${CURRENT}stream_broken.jsonl`,
    expected: [
      "started 01a20c3b-f93d-7ce0-800c-3dad8f785266 Codex",
      'started turn turn_0 "turn started"',
      'completed warning codex.note.1 "stream disconnected before completion: stream closed before response.completed" fail',
      'completed fail answer="" error="stream disconnected before completion: stream closed before response.completed" resume=01a20c3b-f93d-7ce0-800c-3dad8f785266',
    ],
  },
  {
    file: `${CURRENT}reconnect_then_success.jsonl`,
    expected: [
      "started 01a20c3b-fb52-77b1-968f-b0aaf03ab761 Codex",
      'started turn turn_0 "turn started"',
      'started note codex.reconnect "Reconnecting... 1/1 (stream disconnected before completion: stream closed before response.completed)"',
      'completed ok answer="Recovered." resume=01a20c3b-fb52-77b1-968f-b0aaf03ab761',
    ],
  },
  {
    file: `${REFERENCE}codex_exec_json_all_formats.jsonl`,
    expected: [
      "started 0199a213-81c0-7800-8aa1-bbab2a035a53 Codex",
      'started turn turn_0 "turn started"',
      'started note item_0 "todo 0/3: Inspect repo structure"',
      'updated note item_0 "todo 1/3: Run tests"',
      'completed note item_0 "todo 3/3: done" ok',
      'started command item_1 "pytest -q"',
      'completed command item_1 "pytest -q" ok',
      'started command item_2 "pytest -q"',
      'completed command item_2 "pytest -q" fail',
      'completed file_change item_3 "src/compute_answer.py, README.md" ok',
      'completed file_change item_4 "src/compute_answer.py" fail',
      'started tool item_5 "github.search_issues"',
      'completed tool item_5 "github.search_issues" ok',
      'started tool item_6 "github.search_issues"',
      'completed tool item_6 "github.search_issues" fail',
      'completed web_search item_7 "codex exec --json schema" ok',
      'completed note item_8 "Root cause: compute_answer() returned 0." ok',
      'completed warning item_10 "command output truncated" fail',
      'completed ok answer="Updated src/compute_answer.py and tests pass." resume=0199a213-81c0-7800-8aa1-bbab2a035a53',
    ],
    check: (events) => {
      expect(actionDetail(events, "item_0", "completed")).toEqual({ done: 3, total: 3 });
      expect(actionDetail(events, "item_2", "completed")).toEqual({ exit_code: 1, status: "failed" });
      expect(actionDetail(events, "item_5", "completed")).toEqual({
        server: "github",
        tool: "search_issues",
        status: "completed",
        arguments: { q: "exec --json" },
        result_summary: { content_blocks: 1, has_structured: true },
      });
      expect(actionDetail(events, "item_6", "completed")).toEqual({
        server: "github",
        tool: "search_issues",
        status: "failed",
        arguments: null,
        error_message: "tool timeout",
      });
      expect(completedOf(events).usage).toEqual({
        input_tokens: 1840,
        cached_input_tokens: 256,
        output_tokens: 732,
      });
    },
  },
  {
    file: `${REFERENCE}codex_exec_json_phase_and_unknown.jsonl`,
    expected: [
      "started 0199a213-81c0-7800-8aa1-bbab2a035a53 Codex",
      'started turn turn_0 "turn started"',
      'completed note item_1 "Inspecting repository state." ok',
      // collab_tool_call and future_item are ignored without breaking the stream.
      'completed ok answer="Implemented the requested changes." resume=0199a213-81c0-7800-8aa1-bbab2a035a53',
    ],
  },
];

function replay(file: string, resume?: string) {
  const request: RunRequest = {
    prompt: "p",
    cwd: CWD,
    ...(resume ? { resume: { engine: "codex", value: resume } } : {}),
  };
  return replayLines(decodeCodexLine, new CodexTranslator(request), fixtureLines(file));
}

describe("codex fixtures", () => {
  test.each(cases.map((c) => [c.file.split("/").slice(-2).join("/"), c] as const))("%s", (_name, c) => {
    const r = replay(c.file, c.resume);
    expect(r.dropped).toEqual([]);
    expect(outline(r.events)).toEqual([...c.expected]);
    expect(r.finished).toBe(false);
    const started = r.events.find((e) => e.type === "started");
    expect(completedOf(r.events).resume).toEqual(started?.type === "started" ? started.resume : undefined);
    c.check?.(r.events);
  });

  test("every codex fixture file is covered", () => {
    const files = [
      ...readdirSync(CURRENT).map((f) => CURRENT + f),
      ...readdirSync(REFERENCE)
        .filter((f) => f.startsWith("codex_"))
        .map((f) => REFERENCE + f),
    ].filter((f) => f.endsWith(".jsonl"));
    expect(files.sort()).toEqual(cases.map((c) => c.file).sort());
  });

  test("all_formats: lines after the first completed belong to a second turn that fails", () => {
    const lines = fixtureLines(`${REFERENCE}codex_exec_json_all_formats.jsonl`);
    const first = replay(`${REFERENCE}codex_exec_json_all_formats.jsonl`);
    const rest = lines.slice(first.linesRead);
    const r = replayLines(decodeCodexLine, new CodexTranslator({ prompt: "p", cwd: CWD }), rest);
    expect(outline(r.events)).toEqual([
      'started turn turn_0 "turn started"',
      'completed fail answer="" error="Aborted: required dependency `npm` is missing; cannot continue." resume=-',
    ]);
  });
});
