import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LogRecord, setSinks } from "../../src/logging/logger";
import { consoleSink } from "../../src/logging/sinks";
import type { ActionEvent, CompletedEvent, TakopiEvent } from "../../src/model";
import { createJsonlRunner, type JsonlRunnerOptions } from "../../src/runners/jsonl-runner";
import type { RunRequest } from "../../src/runners/runner";
import { ThreadLocks } from "../../src/runners/thread-locks";
import {
  type FakeEngineBin,
  type FakeEngineOptions,
  killAll,
  makeFakeEngineBin,
  waitGone,
} from "../support/fake-engine-bin";
import { toyLine, toySpec } from "./toy-engine";

/** Real processes on a shared 2-core machine: give each test room beyond bun's 5 s default. */
const SLOW = 20_000;

const bins: FakeEngineBin[] = [];
afterEach(() => {
  for (const bin of bins.splice(0)) {
    killAll(bin.pids());
    bin.cleanup();
  }
});

const cwd = realpathSync(mkdtempSync(join(tmpdir(), "takopi-run-")));
const session = toyLine({ type: "session", id: "t-1" });
const step = (id: string, title = id) => toyLine({ type: "step", id, title });
const done = (answer: string) => toyLine({ type: "done", answer });

function fake(options: Omit<FakeEngineOptions, "engine">, engine = "toy"): FakeEngineBin {
  const bin = makeFakeEngineBin({ engine, ...options });
  bins.push(bin);
  return bin;
}

function runner(bin: FakeEngineBin, options: Partial<JsonlRunnerOptions> = {}, spec = toySpec()) {
  return createJsonlRunner(spec, { env: bin.env, locks: new ThreadLocks(), killGraceMs: 500, ...options });
}

async function collect(events: AsyncIterable<TakopiEvent>): Promise<TakopiEvent[]> {
  const out: TakopiEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

function request(extra: Partial<RunRequest> = {}): RunRequest {
  return { prompt: "hello there", cwd, ...extra };
}

function last(events: TakopiEvent[]): CompletedEvent {
  const end = events.at(-1);
  if (end?.type !== "completed") throw new Error(`last event is ${end?.type}`);
  return end;
}

function actions(events: TakopiEvent[]): ActionEvent[] {
  return events.filter((e): e is ActionEvent => e.type === "action");
}

describe("JSONL runner: a normal run", () => {
  test(
    "started, actions and completed come through in order, with the process reaped",
    async () => {
      const bin = fake({ lines: [session, step("a"), step("b"), done("all good")], delayMs: 5 });
      const events = await collect(runner(bin).run(request()));
      expect(events.map((e) => e.type)).toEqual(["started", "action", "action", "completed"]);
      expect(last(events)).toEqual({
        type: "completed",
        engine: "toy",
        ok: true,
        answer: "all good",
        resume: { engine: "toy", value: "t-1" },
      });
      expect(await waitGone(bin.pids(), 1000)).toEqual([]);
    },
    SLOW,
  );

  test(
    "argv from the spec, cwd of the request, prompt on stdin then EOF",
    async () => {
      const bin = fake({ lines: [session, done("ok")], record: true });
      await collect(runner(bin, { command: bin.command }).run(request()));
      const seen = bin.recorded();
      expect(seen.argv).toEqual(["--json"]);
      expect(seen.stdin).toBe("hello there");
      expect(seen.cwd).toBe(cwd);
    },
    SLOW,
  );

  test.each([
    ["closed", ""],
    ["devnull", ""],
  ] as const)(
    "stdin %s gives the engine an empty stdin that ends at once",
    async (kind, expected) => {
      const bin = fake({ lines: [session, done("ok")], record: true });
      await collect(runner(bin, {}, toySpec({ stdin: { kind } })).run(request()));
      expect(bin.recorded().stdin).toBe(expected);
    },
    SLOW,
  );

  test(
    "the spec's env is applied on top of the base env",
    async () => {
      const bin = fake({ lines: [session, done("ok")], record: true, recordEnv: ["TOY_FLAG", "DROPPED"] });
      const spec = toySpec({
        env: (base) => {
          const { DROPPED: _, ...rest } = base;
          return { ...rest, TOY_FLAG: "1" };
        },
      });
      await collect(runner(bin, { env: { ...bin.env, DROPPED: "x" } }, spec).run(request()));
      expect(bin.recorded().env).toEqual({ TOY_FLAG: "1", DROPPED: null });
    },
    SLOW,
  );

  test(
    "the engine is found on PATH by its id, or through `command`",
    async () => {
      const bin = fake({ lines: [session, done("via path")] }, "toy");
      expect(last(await collect(runner(bin).run(request()))).answer).toBe("via path");
      const other = fake({ lines: [session, done("via command")] }, "toy-custom");
      const events = await collect(
        runner(other, { command: other.command, env: process.env }).run(request()),
      );
      expect(last(events).answer).toBe("via command");
    },
    SLOW,
  );
});

describe("JSONL runner: broken output", () => {
  test(
    "invalid JSON is shown once as a warning and the run goes on",
    async () => {
      const bin = fake({
        lines: [session, "not json", step("a"), "{broken", done("fine")],
        trailingGarbage: ["more garbage"],
      });
      const events = await collect(runner(bin).run(request()));
      const warnings = actions(events).filter((e) => e.action.kind === "warning");
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.action.title).toBe("invalid JSON from toy; ignoring line");
      expect(warnings[0]?.ok).toBe(false);
      expect(last(events)).toMatchObject({ ok: true, answer: "fine" });
    },
    SLOW,
  );

  test(
    "invalid lines are logged as warnings, the first few only",
    async () => {
      const records: LogRecord[] = [];
      setSinks([(record) => records.push(record)]);
      try {
        const garbage = Array.from({ length: 12 }, (_, i) => `garbage ${i}`);
        const bin = fake({ lines: [session, ...garbage, done("fine")] });
        const events = await collect(runner(bin).run(request()));
        expect(last(events).ok).toBe(true);
      } finally {
        setSinks([consoleSink({ color: false })]);
      }
      const invalid = records.filter((r) => r.event === "jsonl.invalid");
      expect(invalid.map((r) => r.fields.line)).toEqual([
        "garbage 0",
        "garbage 1",
        "garbage 2",
        "garbage 3",
        "garbage 4",
      ]);
      expect(invalid.every((r) => r.level === "warning" && r.fields.engine === "toy")).toBe(true);
    },
    SLOW,
  );

  test(
    "lines of unknown type are dropped silently",
    async () => {
      const bin = fake({ lines: [session, toyLine({ type: "future.thing" }), step("a"), done("ok")] });
      const events = await collect(runner(bin).run(request()));
      expect(events.map((e) => e.type)).toEqual(["started", "action", "completed"]);
    },
    SLOW,
  );

  test(
    "a translator exception becomes a warning and the run goes on",
    async () => {
      const bin = fake({ lines: [session, toyLine({ type: "boom" }), done("ok")] });
      const events = await collect(runner(bin).run(request()));
      const warning = actions(events)[0];
      expect(warning?.action).toMatchObject({
        kind: "warning",
        title: "toy translation error; ignoring event",
      });
      expect(last(events).ok).toBe(true);
    },
    SLOW,
  );

  test(
    "a line over 16 MiB is skipped with a warning and the run goes on",
    async () => {
      const bin = fake({
        lines: [session, step("a"), done("after huge")],
        hugeLineBytes: 17 * 1024 * 1024,
        hugeLineAt: 1,
      });
      const events = await collect(runner(bin).run(request()));
      expect(events.map((e) => e.type)).toEqual(["started", "action", "action", "completed"]);
      expect(actions(events)[0]?.action.title).toBe("toy emitted a line over 16 MiB; skipped it");
      expect(last(events).answer).toBe("after huge");
    },
    SLOW,
  );

  test(
    "CRLF endings, split writes and a missing final newline change nothing",
    async () => {
      const bin = fake({
        lines: [session, toyLine({ type: "step", id: "u", title: "héllo 🐙" }), done("ok")],
        crlf: true,
        partial: true,
        noTrailingNewline: true,
      });
      const events = await collect(runner(bin).run(request()));
      expect(actions(events)[0]?.action.title).toBe("héllo 🐙");
      expect(last(events).answer).toBe("ok");
    },
    SLOW,
  );

  test(
    "lines after the first completed are ignored",
    async () => {
      const bin = fake({ lines: [session, done("first"), step("late"), done("second")] });
      const events = await collect(runner(bin).run(request()));
      expect(events.map((e) => e.type)).toEqual(["started", "completed"]);
      expect(last(events).answer).toBe("first");
    },
    SLOW,
  );

  test(
    "a process that lingers after completed is stopped and reaped",
    async () => {
      const bin = fake({ lines: [session, done("ok")], hang: true });
      const started = Date.now();
      const events = await collect(runner(bin, { killGraceMs: 300 }).run(request()));
      expect(last(events).ok).toBe(true);
      expect(await waitGone(bin.pids(), 500)).toEqual([]);
      expect(Date.now() - started).toBeLessThan(3000);
    },
    SLOW,
  );
});

describe("JSONL runner: stdout held open", () => {
  test(
    "a grandchild keeping stdout open does not keep a finished run alive",
    async () => {
      const bin = fake({
        lines: [session, step("a")],
        exitCode: 0,
        grandchildren: 1,
        grandchildrenKeepStdout: true,
      });
      const started = Date.now();
      const events = await collect(runner(bin, { killGraceMs: 300 }).run(request()));
      expect(events.map((e) => e.type)).toEqual(["started", "action", "completed"]);
      expect(last(events).error).toBe("toy finished without a result event");
      expect(Date.now() - started).toBeLessThan(3000);
      const [, grandchild] = bin.pids();
      // The run ended normally, so its leftover background process is not ours to kill.
      expect(grandchild).toBeDefined();
    },
    SLOW,
  );
});

describe("JSONL runner: failures", () => {
  test(
    "a non-zero exit reaches finish() with the stderr summary",
    async () => {
      const bin = fake({
        lines: [session, step("a")],
        stderr: "\u001b[31mwarming up\u001b[0m\nError: no rollout found for thread id t-1\n\n",
        exitCode: 1,
      });
      const events = await collect(runner(bin).run(request()));
      const end = last(events);
      expect(end.ok).toBe(false);
      expect(end.error).toBe("toy failed (rc=1).\nwarming up\nError: no rollout found for thread id t-1");
      expect(end.resume).toEqual({ engine: "toy", value: "t-1" });
    },
    SLOW,
  );

  test(
    "a crash mid-stream (killed by a signal) ends the run with an error",
    async () => {
      const bin = fake({
        lines: [session, step("a"), step("b"), done("never")],
        stopAfter: 2,
        killSelf: "SIGKILL",
      });
      const events = await collect(runner(bin).run(request()));
      expect(events.map((e) => e.type)).toEqual(["started", "action", "action", "completed"]);
      expect(last(events)).toMatchObject({ ok: false, error: "toy failed (rc=SIGKILL)." });
    },
    SLOW,
  );

  test(
    "stderr is redacted in the summary",
    async () => {
      const bin = fake({
        lines: [],
        stderr: "token 123456789:AAHabcdefghijklmnopqrstuv leaked\n",
        exitCode: 2,
      });
      const end = last(await collect(runner(bin).run(request())));
      expect(end.error).not.toContain("AAHabcdef");
      expect(end.error).toContain("[REDACTED");
    },
    SLOW,
  );

  test(
    "a missing CLI fails the run with the install hint",
    async () => {
      const bin = fake({ lines: [] });
      const events = await collect(
        createJsonlRunner(toySpec(), { env: { PATH: "/nonexistent" }, locks: new ThreadLocks() }).run(
          request(),
        ),
      );
      expect(events).toHaveLength(1);
      expect(last(events)).toMatchObject({ ok: false, answer: "" });
      expect(last(events).error).toBe(
        "toy CLI not found (`toy`). Install it with `npm install -g toy-cli`, or set `command` under `[toy]` in takopi.toml.",
      );
      const missing = await collect(
        runner(bin, { command: join(bin.dir, "nope") }).run(
          request({ resume: { engine: "toy", value: "r" } }),
        ),
      );
      expect(last(missing).error).toContain(`(\`${join(bin.dir, "nope")}\`)`);
      expect(last(missing).resume).toEqual({ engine: "toy", value: "r" });
    },
    SLOW,
  );

  test(
    "a run directory that does not exist is reported, not thrown",
    async () => {
      const bin = fake({ lines: [session, done("ok")] });
      const events = await collect(runner(bin).run(request({ cwd: join(cwd, "missing-dir") })));
      expect(last(events).ok).toBe(false);
      expect(last(events).error).toBe(
        `toy could not be started: the run directory ${join(cwd, "missing-dir")} does not exist.`,
      );
    },
    SLOW,
  );

  test(
    "a resumed run that reports another session fails",
    async () => {
      const bin = fake({
        lines: [toyLine({ type: "session", id: "other" }), step("a"), done("no")],
        hang: true,
      });
      const events = await collect(runner(bin).run(request({ resume: { engine: "toy", value: "t-1" } })));
      expect(events.map((e) => e.type)).toEqual(["completed"]);
      expect(last(events)).toMatchObject({
        ok: false,
        error: "toy emitted session id other but expected t-1",
        resume: { engine: "toy", value: "t-1" },
      });
      expect(await waitGone(bin.pids(), 1500)).toEqual([]);
    },
    SLOW,
  );

  test(
    "a resumed run that reports its own session is fine; duplicates are swallowed",
    async () => {
      const bin = fake({ lines: [session, session, done("ok")] });
      const events = await collect(runner(bin).run(request({ resume: { engine: "toy", value: "t-1" } })));
      expect(events.map((e) => e.type)).toEqual(["started", "completed"]);
    },
    SLOW,
  );

  test(
    "a new run whose session id changes fails",
    async () => {
      const bin = fake({ lines: [session, toyLine({ type: "session", id: "t-2" }), done("no")] });
      const events = await collect(runner(bin).run(request()));
      expect(events.map((e) => e.type)).toEqual(["started", "completed"]);
      expect(last(events).error).toBe("toy emitted session id t-2 but expected t-1");
    },
    SLOW,
  );
});

describe("JSONL runner: cancellation", () => {
  test(
    "abort kills the whole process group, grandchildren included, and ends the stream",
    async () => {
      const bin = fake({
        lines: [session, step("a")],
        hang: true,
        ignoreTerm: true,
        grandchildren: 2,
        grandchildrenIgnoreTerm: true,
      });
      const controller = new AbortController();
      const events: TakopiEvent[] = [];
      const started = Date.now();
      for await (const event of runner(bin, { killGraceMs: 400 }).run(request(), controller.signal)) {
        events.push(event);
        if (event.type === "action") controller.abort();
      }
      expect(events.map((e) => e.type)).toEqual(["started", "action"]);
      const pids = bin.pids();
      expect(pids).toHaveLength(3);
      expect(await waitGone(pids, 100)).toEqual([]);
      expect(Date.now() - started).toBeLessThan(2500);
    },
    SLOW,
  );

  test(
    "abort is quick when the engine obeys SIGTERM",
    async () => {
      const bin = fake({ lines: [session], hang: true, grandchildren: 1 });
      const controller = new AbortController();
      let stoppedAt = 0;
      for await (const event of runner(bin, { killGraceMs: 2000 }).run(request(), controller.signal)) {
        if (event.type === "started") {
          stoppedAt = Date.now();
          controller.abort();
        }
      }
      // Well under the 2 s grace: SIGTERM was enough (slack for a loaded 2-core machine).
      expect(Date.now() - stoppedAt).toBeLessThan(1500);
      expect(await waitGone(bin.pids(), 100)).toEqual([]);
    },
    SLOW,
  );

  test(
    "cancelled after the engine itself exited, the stream still waits for its group",
    async () => {
      const bin = fake({
        lines: [session],
        exitCode: 0,
        grandchildren: 1,
        grandchildrenKeepStdout: true,
        grandchildrenIgnoreTerm: true,
      });
      const controller = new AbortController();
      for await (const event of runner(bin, { killGraceMs: 1000 }).run(request(), controller.signal)) {
        if (event.type === "started") {
          const [leader] = bin.pids();
          expect(await waitGone(leader === undefined ? [] : [leader], 2000)).toEqual([]);
          controller.abort();
        }
      }
      expect(await waitGone(bin.pids(), 50)).toEqual([]);
    },
    SLOW,
  );

  test(
    "a consumer that stops iterating kills the process group",
    async () => {
      const bin = fake({ lines: [session, step("a")], hang: true, grandchildren: 1 });
      for await (const event of runner(bin).run(request())) {
        if (event.type === "started") break;
      }
      expect(await waitGone(bin.pids(), 100)).toEqual([]);
    },
    SLOW,
  );

  test(
    "an already aborted signal starts nothing",
    async () => {
      const bin = fake({ lines: [session, done("ok")] });
      const controller = new AbortController();
      controller.abort();
      expect(await collect(runner(bin).run(request(), controller.signal))).toEqual([]);
      expect(bin.pids()).toEqual([]);
    },
    SLOW,
  );
});
