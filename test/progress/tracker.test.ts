import { describe, expect, test } from "bun:test";
import { EventFactory } from "../../src/model";
import { ProgressTracker } from "../../src/progress/tracker";

const f = new EventFactory("codex");
const token = { engine: "codex", value: "t-1" };

function summary(tracker: ProgressTracker, max?: number) {
  const s = tracker.snapshot(max);
  return {
    steps: s.stepCount,
    actions: s.actions.map((a) => [a.action.id, a.action.title, a.displayPhase, a.ok]),
  };
}

describe("ProgressTracker", () => {
  test("started stores the token once; repeats are not changes", () => {
    const t = new ProgressTracker("codex");
    expect(t.snapshot().resume).toBeUndefined();
    expect(t.note({ type: "started", engine: "codex", resume: token })).toBe(true);
    expect(t.note({ type: "started", engine: "codex", resume: { ...token } })).toBe(false);
    expect(t.snapshot().resume).toEqual(token);
  });

  test("actions are upserted by id in first-seen order with their latest phase", () => {
    const t = new ProgressTracker("codex");
    t.note(f.actionStarted("a", "command", "ls"));
    t.note(f.actionStarted("b", "tool", "read"));
    t.note(f.actionCompleted("a", "command", "ls", true, { exit_code: 0 }));
    expect(summary(t)).toEqual({
      steps: 2,
      actions: [
        ["a", "ls", "completed", true],
        ["b", "read", "started", undefined],
      ],
    });
  });

  test.each([
    ["started then started again (open) shows updated", ["started", "started"], "updated"],
    ["explicit updated", ["started", "updated"], "updated"],
    ["started after completed reopens as running", ["started", "completed", "started"], "started"],
    ["completed only", ["completed"], "completed"],
    ["updated then completed", ["started", "updated", "completed"], "completed"],
  ] as const)("%s", (_name, phases, expected) => {
    const t = new ProgressTracker("codex");
    phases.forEach((phase, i) => {
      t.note(f.action(phase, { id: "x", kind: "command", title: `step ${i}` }));
    });
    expect(t.snapshot().actions.map((a) => a.displayPhase)).toEqual([expected]);
    expect(t.stepCount).toBe(1);
  });

  test("turn actions and empty ids are ignored and do not count as steps", () => {
    const t = new ProgressTracker("codex");
    expect(t.note(f.actionStarted("turn_0", "turn", "turn"))).toBe(false);
    expect(t.note(f.actionStarted("", "command", "ls"))).toBe(false);
    expect(summary(t)).toEqual({ steps: 0, actions: [] });
  });

  test("step count counts distinct ids, notes and warnings included", () => {
    const t = new ProgressTracker("codex");
    t.note(f.actionStarted("a", "command", "ls"));
    t.note(f.actionCompleted("a", "command", "ls", true));
    t.note(f.note("thinking"));
    t.note(f.note("careful", { ok: false }));
    expect(t.stepCount).toBe(3);
  });

  test("a repeat that renders the same is not a change, but its detail is kept", () => {
    const t = new ProgressTracker("codex");
    expect(t.note(f.actionStarted("a", "command", "ls", { exit_code: null }))).toBe(true);
    expect(t.note(f.actionUpdated("a", "command", "ls", { exit_code: null }))).toBe(true);
    expect(t.note(f.actionUpdated("a", "command", "ls", { exit_code: null, output: "x" }))).toBe(false);
    expect(t.snapshot().actions[0]?.action.detail?.output).toBe("x");
    expect(t.note(f.actionUpdated("a", "command", "ls -la"))).toBe(true);
    expect(t.note(f.actionCompleted("a", "command", "ls -la", true))).toBe(true);
    expect(t.note(f.actionCompleted("a", "command", "ls -la", false))).toBe(true);
  });

  test.each([
    ["same changes", [{ path: "a", kind: "add" }], [{ path: "a", kind: "add" }], false],
    ["other kind", [{ path: "a", kind: "add" }], [{ path: "a", kind: "update" }], true],
    [
      "more files",
      [{ path: "a", kind: "add" }],
      [
        { path: "a", kind: "add" },
        { path: "b", kind: "add" },
      ],
      true,
    ],
  ])("file changes: %s", (_name, first, second, changed) => {
    const t = new ProgressTracker("codex");
    t.note(f.actionCompleted("p", "file_change", "a", true, { changes: first }));
    expect(t.note(f.actionCompleted("p", "file_change", "a", true, { changes: second }))).toBe(changed);
  });

  test("completed is recorded and supplies the token when no started came", () => {
    const t = new ProgressTracker("claude");
    const done = { type: "completed", engine: "claude", ok: false, answer: "", resume: token } as const;
    expect(t.note(done)).toBe(true);
    expect(t.snapshot().completed).toBe(done);
    expect(t.resume).toEqual(token);
  });

  test("snapshot(max) copies only the most recent actions but keeps the full step count", () => {
    const t = new ProgressTracker("codex");
    for (let i = 0; i < 8; i++) t.note(f.actionCompleted(`c${i}`, "command", `echo ${i}`, true));
    expect(summary(t, 3).actions.map((a) => a[0])).toEqual(["c5", "c6", "c7"]);
    expect(summary(t, 3).steps).toBe(8);
    expect(summary(t, 0).actions).toEqual([]);
    expect(summary(t, 50).actions).toHaveLength(8);
  });

  test("snapshots are not affected by later events", () => {
    const t = new ProgressTracker("codex");
    t.note(f.actionStarted("a", "command", "ls"));
    const before = t.snapshot();
    t.note(f.actionCompleted("a", "command", "ls", true));
    t.note(f.actionStarted("b", "command", "pwd"));
    expect(before.actions.map((a) => a.displayPhase)).toEqual(["started"]);
    expect(before.stepCount).toBe(1);
  });

  test("setResume reports whether the token changed", () => {
    const t = new ProgressTracker("codex");
    expect(t.setResume(undefined)).toBe(false);
    expect(t.setResume(token)).toBe(true);
    expect(t.setResume(token)).toBe(false);
  });

  test("10,000 events on 1,000 ids stay fast (no per-event copying)", () => {
    const t = new ProgressTracker("codex");
    const events = [];
    for (let i = 0; i < 10_000; i++) events.push(f.actionUpdated(`id${i % 1000}`, "command", `cmd ${i}`));
    const start = performance.now();
    for (const e of events) t.note(e);
    expect(performance.now() - start).toBeLessThan(200);
    expect(t.stepCount).toBe(1000);
  });
});

test("long runs keep only recent completed actions, every open one, and the exact step count", () => {
  const f = new EventFactory("claude");
  const t = new ProgressTracker("claude");
  t.note(f.actionStarted("long", "command", "make build"));
  for (let i = 0; i < 10_000; i++) t.note(f.actionCompleted(`n${i}`, "note", `thought ${i}`, true));
  expect(t.stepCount).toBe(10_001);
  expect(t.get("n0")).toBeUndefined(); // forgotten: completed long ago
  expect(t.get("n9999")?.phase).toBe("completed");
  expect(t.get("long")?.phase).toBe("started"); // still open, so still tracked
  expect(t.snapshot(2).actions.map((a) => a.action.id)).toEqual(["n9998", "n9999"]);
  expect(t.note(f.actionCompleted("long", "command", "make build", true))).toBe(true);
  expect(t.stepCount).toBe(10_001);
});
