import { afterEach, expect, test } from "bun:test";
import { Dispatcher, type EngineDirectory } from "../../src/core/dispatcher";
import type { ProgressView, RunOutcome } from "../../src/core/progress-view";
import { RunningTasks } from "../../src/core/running-tasks";
import { ThreadScheduler } from "../../src/core/scheduler";
import { setLogLevel } from "../../src/logging/logger";
import type { ResumeToken, TakopiEvent } from "../../src/model";
import { finalBody } from "../../src/render/presenter";
import type { ScriptRunner } from "../../src/runners/mock/script-runner";
import type { Runner } from "../../src/runners/runner";
import type { MessageRef } from "../../src/transport";
import { RecordingTransport } from "../support/recording-transport";
import { scripted, simpleRun } from "../support/scripted-runner";

setLogLevel("error");

/** A view that renders just enough to assert on: header, action count, answer, resume line. */
function testView(engine: string, runner?: Runner): ProgressView {
  let resume: ResumeToken | undefined;
  const actions = new Set<string>();
  const footer = () => (resume && runner ? runner.formatResume(resume) : "");
  return {
    note(e: TakopiEvent) {
      if (e.type === "started") resume = e.resume;
      if (e.type === "action") actions.add(e.action.id);
      return true;
    },
    progress: (label, s) => ({
      header: `${label} · ${engine} · ${s}s`,
      body: `${actions.size} actions`,
      footer: footer(),
    }),
    final: (outcome: RunOutcome) => {
      const { status, body } =
        outcome.type === "cancelled" ? { status: "cancelled" as const, body: "" } : finalBody(outcome);
      return { status, parts: { header: `${status} · ${engine}`, body, footer: footer() } };
    },
  };
}

function setup(runners: ScriptRunner[], opts: { finalNotify?: boolean } = {}) {
  const transport = new RecordingTransport();
  const running = new RunningTasks();
  const byId = new Map(runners.map((r) => [r.engine, r]));
  const engines: EngineDirectory = {
    defaultEngine: runners[0]!.engine,
    engineIds: () => [...byId.keys(), "claude"],
    lookup: (e) => {
      const runner = byId.get(e);
      return runner ? { runner } : { error: `${e} not found on PATH` };
    },
    resolveResume: (text, reply) => {
      for (const t of [text, reply ?? ""])
        for (const r of runners) {
          const token = r.extractResume(t);
          if (token) return token;
        }
      return undefined;
    },
    stripResumeLines: (p) =>
      p
        .split("\n")
        .filter((l) => !runners.some((r) => r.isResumeLine(l)))
        .join("\n")
        .trim() || "continue",
  };
  let now = 0;
  const dispatcher = new Dispatcher({
    engines,
    transport,
    scheduler: new ThreadScheduler(),
    running,
    bridge: {
      transport,
      running,
      clock: () => now++,
      finalNotify: opts.finalNotify ?? true,
      idleRefreshMs: 10_000,
      editDebounceMs: 0,
    },
    newView: ({ engine, runner }) => testView(engine, runner),
    cwd: "/repo",
  });
  return { transport, dispatcher, running };
}

let msgId = 1;
const user = (text: string, replyTo?: MessageRef, replyText?: string) => ({
  ref: { channelId: 5, messageId: msgId++ },
  text,
  ...(replyTo ? { replyTo } : {}),
  ...(replyText ? { replyText } : {}),
});

afterEach(() => {
  msgId = 1;
});

test("a new thread: silent progress reply, then a notifying final that replaces it", async () => {
  const codex = scripted("codex", simpleRun("t1", "all done"));
  const { transport, dispatcher } = setup([codex]);
  await dispatcher.submit(user("fix it"));
  await dispatcher.idle();
  expect(codex.calls[0]).toMatchObject({ prompt: "fix it", cwd: "/repo" });
  const [progress, ...rest] = transport.calls;
  expect(progress).toMatchObject({ op: "send", opts: { notify: false, cancelButton: true } });
  const final = rest.find((c) => c.op === "send");
  expect(final).toMatchObject({
    op: "send",
    parts: { header: "done · codex", body: "all done", footer: "`codex resume t1`" },
  });
  expect(final?.op === "send" && final.opts).toMatchObject({
    notify: true,
    final: true,
    replace: { messageId: 1000 },
  });
});

test("--no-final-notify edits the progress message into the final", async () => {
  const codex = scripted("codex", simpleRun("t1", "ok"));
  const { transport, dispatcher } = setup([codex], { finalNotify: false });
  await dispatcher.submit(user("go"));
  await dispatcher.idle();
  expect(transport.calls.filter((c) => c.op === "send")).toHaveLength(1);
  expect(transport.calls.at(-1)).toMatchObject({
    op: "edit",
    parts: { header: "done · codex" },
    opts: { wait: true },
  });
});

test("a resume line continues the thread through a queued placeholder", async () => {
  const codex = scripted("codex", simpleRun("t9", "again"));
  const { transport, dispatcher } = setup([codex]);
  await dispatcher.submit(user("`codex resume t9`\nmore please"));
  await Bun.sleep(5);
  await dispatcher.idle();
  expect(codex.calls[0]).toMatchObject({ prompt: "more please", resume: { engine: "codex", value: "t9" } });
  expect(transport.summary()[0]).toBe("send 1000 queued · codex · 0s");
  expect(transport.summary()[1]).toBe("edit 1000 starting · codex · 0s");
});

test("the engine directive picks the engine; an unavailable one gets an error reply", async () => {
  const codex = scripted("codex", simpleRun("t1", "x"));
  const { transport, dispatcher } = setup([codex]);
  await dispatcher.submit(user("/claude hello"));
  expect(transport.calls).toHaveLength(1);
  expect(transport.calls[0]).toMatchObject({
    op: "send",
    parts: { header: "error · claude", body: "claude not found on PATH" },
  });
  expect(codex.calls).toHaveLength(0);
});

test("duplicate directives are answered with an error", async () => {
  const { transport, dispatcher } = setup([scripted("codex", simpleRun("t", "x"))]);
  await dispatcher.submit(user("/codex /claude hi"));
  expect(transport.calls[0]).toMatchObject({ parts: { header: "error:\nmultiple engine directives" } });
});

test("cancel stops a running task and the message says cancelled", async () => {
  const gate = Promise.withResolvers<void>();
  const codex = scripted("codex", (_r, f) => [
    { emit: f.started({ engine: "codex", value: "t1" })! },
    { wait: gate.promise },
    { emit: f.completedOk("never") },
  ]);
  const { transport, dispatcher } = setup([codex]);
  await dispatcher.submit(user("long job"));
  await Bun.sleep(5);
  expect(await dispatcher.cancel({ channelId: 5, messageId: 1000 })).toBe("cancelled");
  await dispatcher.idle();
  expect(transport.calls.at(-1)).toMatchObject({
    op: "edit",
    parts: { header: "cancelled · codex", footer: "`codex resume t1`" },
  });
  expect(await dispatcher.cancel({ channelId: 5, messageId: 1000 })).toBe("nothing");
});

test("a reply to a running progress message queues behind that run on its thread", async () => {
  const gate = Promise.withResolvers<void>();
  let n = 0;
  const codex = scripted("codex", (_r, f) =>
    n++ === 0
      ? [
          { emit: f.started({ engine: "codex", value: "t1" })! },
          { wait: gate.promise },
          { emit: f.completedOk("first") },
        ]
      : [{ emit: f.started({ engine: "codex", value: "t1" })! }, { emit: f.completedOk("second") }],
  );
  const { dispatcher } = setup([codex]);
  await dispatcher.submit(user("first"));
  await Bun.sleep(5);
  await dispatcher.submit(user("follow up", { channelId: 5, messageId: 1000 }));
  await Bun.sleep(5);
  expect(codex.calls).toHaveLength(1); // waits for the first run on the same thread
  gate.resolve();
  await Bun.sleep(5);
  await dispatcher.idle();
  expect(codex.calls[1]).toMatchObject({ prompt: "follow up", resume: { value: "t1" } });
});

test("a queued job can be dropped before it starts", async () => {
  const gate = Promise.withResolvers<void>();
  const codex = scripted("codex", (_r, f) => [
    { emit: f.started({ engine: "codex", value: "t1" })! },
    { wait: gate.promise },
    { emit: f.completedOk("x") },
  ]);
  const { transport, dispatcher } = setup([codex]);
  await dispatcher.submit(user("`codex resume t1`"));
  await Bun.sleep(5);
  await dispatcher.submit(user("second\n`codex resume t1`"));
  const queued = transport.calls.filter((c) => c.op === "send").at(-1)!;
  expect(queued.op === "send" && queued.parts.header).toBe("queued · codex · 0s");
  expect(await dispatcher.cancel(queued.op === "send" ? queued.ref : { channelId: 0, messageId: 0 })).toBe(
    "dropped",
  );
  gate.resolve();
  await dispatcher.idle();
  expect(codex.calls).toHaveLength(1);
  expect(transport.calls.some((c) => c.op === "edit" && c.parts.header === "cancelled · codex")).toBe(true);
});

test("a crashing runner ends in an error message and the dispatcher keeps going", async () => {
  const codex = scripted("codex", (_r, f) => [
    { emit: f.started({ engine: "codex", value: "t1" })! },
    { fail: "boom" },
  ]);
  const { transport, dispatcher } = setup([codex]);
  await dispatcher.submit(user("x"));
  await dispatcher.idle();
  expect(transport.calls.at(-1)).toMatchObject({
    op: "edit",
    parts: { header: "error · codex", body: "boom" },
  });
});
