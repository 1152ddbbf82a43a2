import { describe, expect, test } from "bun:test";
import type { TakopiEvent } from "../../../src/model";
import { Gate, mockRunner, ScriptRunner, step } from "../../../src/runners/mock/script-runner";
import { ThreadLocks } from "../../../src/runners/thread-locks";

async function collect(events: AsyncIterable<TakopiEvent>): Promise<TakopiEvent[]> {
  const out: TakopiEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

const cwd = "/repo";

describe("ScriptRunner", () => {
  test("plays the script after an automatic started, and return completes with the token", async () => {
    const runner = new ScriptRunner({
      engine: "codex",
      resumeValue: "abc",
      script: [step.emit((e) => e.actionStarted("a1", "command", "ls")), step.sleep(1), step.return("done")],
    });
    const events = await collect(runner.run({ prompt: "hi", cwd }));
    expect(events).toEqual([
      { type: "started", engine: "codex", resume: { engine: "codex", value: "abc" } },
      {
        type: "action",
        engine: "codex",
        phase: "started",
        action: { id: "a1", kind: "command", title: "ls" },
      },
      {
        type: "completed",
        engine: "codex",
        ok: true,
        answer: "done",
        resume: { engine: "codex", value: "abc" },
      },
    ]);
  });

  test("records calls and resumes the given thread", async () => {
    const runner = new ScriptRunner({ script: [step.return("ok")] });
    const resume = { engine: "mock", value: "t9" };
    const events = await collect(runner.run({ prompt: "again", cwd, resume }));
    expect(runner.calls).toEqual([{ prompt: "again", cwd, resume }]);
    expect(events[0]).toMatchObject({ type: "started", resume });
    expect(events.at(-1)).toMatchObject({ type: "completed", resume });
  });

  test("a new thread gets a random hex token", async () => {
    const events = await collect(new ScriptRunner({ script: [] }).run({ prompt: "x", cwd }));
    expect(events).toHaveLength(1);
    expect(events[0]?.type === "started" && events[0].resume.value).toMatch(/^[0-9a-f]{32}$/);
  });

  test("fail throws from the iterator", async () => {
    const runner = new ScriptRunner({ script: [step.fail("engine exploded")] });
    await expect(collect(runner.run({ prompt: "x", cwd }))).rejects.toThrow("engine exploded");
  });

  test("wait holds the script until the gate opens", async () => {
    const gate = new Gate();
    const runner = new ScriptRunner({ script: [step.wait(gate), step.return("after gate")] });
    const seen: string[] = [];
    const run = (async () => {
      for await (const event of runner.run({ prompt: "x", cwd })) seen.push(event.type);
    })();
    await Bun.sleep(20);
    expect(seen).toEqual(["started"]);
    gate.open();
    await run;
    expect(seen).toEqual(["started", "completed"]);
  });

  test("abort ends the stream during a sleep or a wait, without completed", async () => {
    for (const blocking of [step.sleep(60_000), step.wait(new Gate())]) {
      const controller = new AbortController();
      const runner = new ScriptRunner({ script: [blocking, step.return("never")] });
      const events: TakopiEvent[] = [];
      const run = (async () => {
        for await (const event of runner.run({ prompt: "x", cwd }, controller.signal)) events.push(event);
      })();
      await Bun.sleep(10);
      controller.abort();
      await run;
      expect(events.map((e) => e.type)).toEqual(["started"]);
    }
  });

  test("without autoStart the script emits started itself", async () => {
    const runner = new ScriptRunner({
      engine: "claude",
      autoStart: false,
      script: [
        step.emit((e) => e.note("before start")),
        step.emit({ type: "started", engine: "claude", resume: { engine: "claude", value: "s1" } }),
        step.return("ok"),
      ],
    });
    const events = await collect(runner.run({ prompt: "x", cwd }));
    expect(events.map((e) => e.type)).toEqual(["action", "started", "completed"]);
    expect(events.at(-1)).toMatchObject({ resume: { engine: "claude", value: "s1" } });
  });

  test("resume lines use `<engine> resume <token>`", () => {
    const runner = new ScriptRunner({ engine: "pi", script: [] });
    expect(runner.formatResume({ engine: "pi", value: "abc" })).toBe("`pi resume abc`");
    expect(runner.extractResume("hello\n`pi resume one`\npi resume two\ncodex resume three")).toEqual({
      engine: "pi",
      value: "two",
    });
    expect(runner.isResumeLine("  `pi resume abc`  ")).toBe(true);
    expect(runner.isResumeLine("pi resume")).toBe(false);
    expect(runner.extractResume("nothing here")).toBeUndefined();
  });

  test("same-thread runs serialize through the locks; other threads do not wait", async () => {
    const locks = new ThreadLocks();
    const gate = new Gate();
    const runner = new ScriptRunner({ script: [step.wait(gate), step.return("ok")], locks });
    const resume = { engine: "mock", value: "t" };
    const order: string[] = [];
    const first = collect(runner.run({ prompt: "1", cwd, resume })).then(() => order.push("first"));
    const second = collect(runner.run({ prompt: "2", cwd, resume })).then(() => order.push("second"));
    const other = new ScriptRunner({ script: [step.return("ok")], locks });
    await collect(other.run({ prompt: "3", cwd, resume: { engine: "mock", value: "u" } }));
    expect(order).toEqual([]);
    gate.open();
    await Promise.all([first, second]);
    expect(order).toEqual(["first", "second"]);
    expect(locks.isHeld("mock:t")).toBe(false);
  });
});

describe("mockRunner", () => {
  test("started, the events with ok filled in, then completed", async () => {
    const runner = mockRunner({
      engine: "codex",
      resumeValue: "r1",
      answer: "hi",
      events: [
        {
          type: "action",
          engine: "codex",
          phase: "completed",
          action: { id: "n", kind: "note", title: "x" },
        },
      ],
    });
    const events = await collect(runner.run({ prompt: "x", cwd }));
    expect(events.map((e) => e.type)).toEqual(["started", "action", "completed"]);
    expect(events[1]).toMatchObject({ ok: true });
    expect(events[2]).toMatchObject({ ok: true, answer: "hi", resume: { engine: "codex", value: "r1" } });
  });
});
