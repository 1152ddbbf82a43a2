import { describe, expect, test } from "bun:test";
import { EventFactory, type ResumeToken, type TakopiEvent } from "../../src/model";
import { ProgressTracker } from "../../src/progress/tracker";
import {
  EMPTY_ANSWER,
  errorText,
  formatHeader,
  joinParts,
  Presenter,
  type RunOutcome,
} from "../../src/render/presenter";

const f = new EventFactory("codex");
const token: ResumeToken = { engine: "codex", value: "0199a213-81c0-7800-8aa1-bbab2a035a53" };
const formatResume = (t: ResumeToken) => `\`${t.engine} resume ${t.value}\``;
const RESUME = "`codex resume 0199a213-81c0-7800-8aa1-bbab2a035a53`";
const CTX = "`ctx: takopi @feat/x`";

function track(events: TakopiEvent[], engine = "codex") {
  const tracker = new ProgressTracker(engine);
  for (const e of events) tracker.note(e);
  return tracker.snapshot();
}

const SAMPLE: TakopiEvent[] = [
  { type: "started", engine: "codex", resume: token },
  f.actionStarted("a-1", "command", "bash -lc ls"),
  f.actionCompleted("a-1", "command", "bash -lc ls", true, { exit_code: 0 }),
  f.actionCompleted("a-2", "note", "Checking repository root for README", true),
];

describe("formatHeader", () => {
  test.each([
    ["starting", 0, 0, "starting · codex · 0s"],
    ["working", 3, 2, "working · codex · 3s · step 2"],
    ["queued", 0, 0, "queued · codex · 0s"],
    ["`cancelled`", 61, 4, "`cancelled` · codex · 1m 01s · step 4"],
    ["done", 3_660, 1, "done · codex · 1h 01m · step 1"],
  ])("%s", (label, ms, steps, expected) => {
    expect(formatHeader(label, "codex", ms, steps)).toBe(expected);
  });
});

describe("Presenter.progress", () => {
  const p = new Presenter({ formatResume });

  test("starting: header only, no body before any event", () => {
    expect(p.progress(track([]), 0, "starting")).toEqual({
      header: "starting · codex · 0s",
      body: "",
      footer: "",
    });
  });

  test("sample run, line by line", () => {
    expect(p.progress(track(SAMPLE), 3)).toEqual({
      header: "working · codex · 3s · step 2",
      body: "✓ `bash -lc ls`  \n✓ Checking repository root for README",
      footer: RESUME,
    });
  });

  test("resume line appears from the first started event", () => {
    const before = p.progress(track([f.actionStarted("a", "command", "ls")]), 1);
    expect(before.footer).toBe("");
    const after = p.progress(track([f.actionStarted("a", "command", "ls"), SAMPLE[0]!]), 1);
    expect(after.footer).toBe(RESUME);
  });

  test("only the last five actions, oldest first", () => {
    const events = Array.from({ length: 7 }, (_, i) =>
      f.actionCompleted(`c${i}`, "command", `echo ${i}`, true),
    );
    expect(p.progress(track(events), 5).body.split("  \n")).toEqual([
      "✓ `echo 2`",
      "✓ `echo 3`",
      "✓ `echo 4`",
      "✓ `echo 5`",
      "✓ `echo 6`",
    ]);
    expect(p.progress(track(events), 5).header).toBe("working · codex · 5s · step 7");
  });

  test("repeated ids collapse into one line updated in place", () => {
    const events = [
      f.actionStarted("dup", "command", "echo first"),
      f.actionStarted("dup", "command", "echo second"),
      f.actionCompleted("dup", "command", "echo second", false, { exit_code: 3 }),
      f.actionStarted("t", "turn", "turn"),
    ];
    const steps = [
      [events[0]!, "▸ `echo first`"],
      [events[1]!, "↻ `echo second`"],
      [events[2]!, "✗ `echo second` (exit 3)"],
    ] as const;
    const tracker = new ProgressTracker("codex");
    for (const [event, line] of steps) {
      tracker.note(event);
      expect(p.progress(tracker.snapshot(), 0).body).toBe(line);
    }
    tracker.note(events[3]!);
    expect(p.progress(tracker.snapshot(), 0).header).toBe("working · codex · 0s · step 1");
  });

  test("footer: ctx line before the resume line, joined by a hard break", () => {
    const withCtx = new Presenter({ formatResume, contextLine: CTX });
    expect(withCtx.progress(track(SAMPLE), 0).footer).toBe(`${CTX}  \n${RESUME}`);
    expect(withCtx.progress(track([]), 0).footer).toBe(CTX);
  });

  test.each([
    ["hidden resume line", { formatResume, showResumeLine: false }, ""],
    ["hidden resume line keeps ctx", { formatResume, showResumeLine: false, contextLine: CTX }, CTX],
    ["no formatter, no resume line", {}, ""],
  ])("%s", (_name, opts, footer) => {
    expect(new Presenter(opts).progress(track(SAMPLE), 0).footer).toBe(footer);
  });

  test("changed-file paths are relative to the run directory", () => {
    const presenter = new Presenter({ cwd: "/w/repo" });
    const state = track([
      f.actionCompleted("p", "file_change", "x", true, {
        changes: [{ path: "/w/repo/src/x.ts", kind: "add" }],
      }),
    ]);
    expect(presenter.progress(state, 0).body).toBe("✓ files: add `src/x.ts`");
  });

  test("maxActions clamps the body", () => {
    const presenter = new Presenter({ maxActions: 1 });
    expect(presenter.progress(track(SAMPLE), 0).body).toBe("✓ Checking repository root for README");
    expect(new Presenter({ maxActions: 0 }).progress(track(SAMPLE), 0).body).toBe("");
  });

  test("rendering is deterministic", () => {
    const state = track(SAMPLE);
    expect(p.progress(state, 1_234)).toEqual(p.progress(state, 1_234));
  });
});

describe("Presenter.final", () => {
  const p = new Presenter({ formatResume, contextLine: CTX });
  const state = track(SAMPLE);
  const completed = (ok: boolean, answer: string, error?: string): RunOutcome => ({
    type: "completed",
    ok,
    answer,
    ...(error !== undefined ? { error } : {}),
  });

  test.each([
    ["done", completed(true, "  the answer \n"), "done", "the answer"],
    ["ok but empty answer is an error", completed(true, "  \n"), "error", EMPTY_ANSWER],
    [
      "failed with answer and error",
      completed(false, "partial", "codex exec failed (rc=1)."),
      "error",
      "partial\n\ncodex exec failed (rc=1).",
    ],
    ["failed with error only", completed(false, "", "boom"), "error", "boom"],
    ["failed with answer only", completed(false, "half done", undefined), "error", "half done"],
    ["failed with nothing", completed(false, ""), "error", ""],
    ["runner threw", { type: "failed", error: new Error("spawn ENOENT") } as const, "error", "spawn ENOENT"],
  ])("%s", (_name, outcome, status, body) => {
    const out = p.final(state, 3, outcome);
    expect(out.status).toBe(status as typeof out.status);
    expect(out.parts).toEqual({
      header: `${status} · codex · 3s · step 2`,
      body,
      footer: `${CTX}  \n${RESUME}`,
    });
  });

  test("final body never shows action lines", () => {
    expect(p.final(state, 0, completed(true, "ok")).parts.body).not.toContain("✓");
  });

  test("cancelled keeps the action lines under a `cancelled` header", () => {
    expect(p.final(state, 61, { type: "cancelled" })).toEqual({
      status: "cancelled",
      parts: {
        header: "`cancelled` · codex · 1m 01s · step 2",
        body: "✓ `bash -lc ls`  \n✓ Checking repository root for README",
        footer: `${CTX}  \n${RESUME}`,
      },
    });
  });

  test("a token known only from completed still gets a resume line", () => {
    const onlyCompleted = track([
      { type: "completed", engine: "codex", ok: false, answer: "", error: "x", resume: token },
    ]);
    expect(
      new Presenter({ formatResume }).final(onlyCompleted, 0, completed(false, "", "x")).parts.footer,
    ).toBe(RESUME);
  });
});

describe("errorText", () => {
  const abort = Object.assign(new Error("aborted"), { name: "AbortError" });
  test.each([
    ["plain error", new Error("boom"), "boom"],
    ["error without message uses its name", new TypeError(""), "TypeError"],
    ["string", "bad thing", "bad thing"],
    [
      "aggregate flattened",
      new AggregateError([new Error("a"), new AggregateError([new Error("b")])], "x"),
      "a\nb",
    ],
    ["aborts dropped", new AggregateError([abort, new Error("real")], "x"), "real"],
    ["only aborts: the outer message", new AggregateError([abort], "outer"), "outer"],
  ])("%s", (_name, error, expected) => {
    expect(errorText(error)).toBe(expected);
  });
});

test("joinParts leaves out empty parts", () => {
  expect(joinParts({ header: "h", body: "", footer: "f" })).toBe("h\n\nf");
  expect(joinParts({ header: "h", body: "b", footer: "f" })).toBe("h\n\nb\n\nf");
  expect(joinParts({ header: "h", body: "", footer: "" })).toBe("h");
});

describe("Presenter.finalParts", () => {
  const p = new Presenter({ formatResume });
  test.each([
    ["done", "  answer \n", { header: "done · codex · 3s · step 2", body: "answer", footer: RESUME }],
    ["error", "boom", { header: "error · codex · 3s · step 2", body: "boom", footer: RESUME }],
    [
      "cancelled",
      "ignored",
      {
        header: "`cancelled` · codex · 3s · step 2",
        body: "✓ `bash -lc ls`  \n✓ Checking repository root for README",
        footer: RESUME,
      },
    ],
  ] as const)("%s", (status, body, expected) => {
    expect(p.finalParts(track(SAMPLE), 3, status, body)).toEqual(expected);
  });
});
