import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TakopiEvent } from "../../src/model";
import { createJsonlRunner } from "../../src/runners/jsonl-runner";
import { ThreadLocks } from "../../src/runners/thread-locks";
import { type FakeEngineBin, killAll, makeFakeEngineBin } from "../support/fake-engine-bin";
import { toyLine, toySpec } from "./toy-engine";

/** Real processes on a shared 2-core machine: give each test room beyond bun's 5 s default. */
const SLOW = 20_000;

describe("ThreadLocks", () => {
  test(
    "one holder per key, FIFO for waiters, idle keys forgotten",
    async () => {
      const locks = new ThreadLocks();
      const order: string[] = [];
      const first = await locks.acquire("codex:a");
      const second = locks.acquire("codex:a").then((release) => {
        order.push("second");
        return release;
      });
      const third = locks.acquire("codex:a").then((release) => {
        order.push("third");
        return release;
      });
      await Bun.sleep(5);
      expect(order).toEqual([]);
      first();
      first(); // idempotent: must not let `third` in early
      const releaseSecond = await second;
      await Bun.sleep(5);
      expect(order).toEqual(["second"]);
      releaseSecond();
      (await third)();
      expect(order).toEqual(["second", "third"]);
      expect(locks.isHeld("codex:a")).toBe(false);
    },
    SLOW,
  );

  test(
    "different keys do not wait for each other",
    async () => {
      const locks = new ThreadLocks();
      const a = await locks.acquire("codex:a");
      const b = await locks.acquire("codex:b");
      const c = await locks.acquire("claude:a");
      expect([locks.isHeld("codex:a"), locks.isHeld("codex:b"), locks.isHeld("claude:a")]).toEqual([
        true,
        true,
        true,
      ]);
      a();
      b();
      c();
    },
    SLOW,
  );

  test(
    "an aborted waiter leaves the queue and never holds the lock",
    async () => {
      const locks = new ThreadLocks();
      const release = await locks.acquire("k");
      const controller = new AbortController();
      const waiting = locks.acquire("k", controller.signal);
      controller.abort(new Error("cancelled"));
      await expect(waiting).rejects.toThrow("cancelled");
      release();
      expect(locks.isHeld("k")).toBe(false);
      const again = new AbortController();
      again.abort();
      await expect(locks.acquire("k", again.signal)).rejects.toBeDefined();
      expect(locks.isHeld("k")).toBe(false);
    },
    SLOW,
  );
});

describe("per-thread locks in the JSONL runner", () => {
  const bins: FakeEngineBin[] = [];
  afterEach(() => {
    for (const bin of bins.splice(0)) {
      killAll(bin.pids());
      bin.cleanup();
    }
  });
  const cwd = realpathSync(mkdtempSync(join(tmpdir(), "takopi-locks-")));
  const slow = (id: string, delayMs: number) => {
    const bin = makeFakeEngineBin({
      engine: "toy",
      lines: [
        toyLine({ type: "session", id }),
        toyLine({ type: "step", id: "s", title: "s" }),
        toyLine({ type: "done", answer: "ok" }),
      ],
      delayMs,
    });
    bins.push(bin);
    return bin;
  };

  async function timed(events: AsyncIterable<TakopiEvent>): Promise<{ start: number; end: number }> {
    let start = 0;
    for await (const event of events) {
      if (event.type === "started") start = performance.now();
    }
    return { start, end: performance.now() };
  }

  test(
    "two resumes of the same thread run one after the other",
    async () => {
      const bin = slow("t-1", 100);
      const runner = createJsonlRunner(toySpec(), { env: bin.env, locks: new ThreadLocks() });
      const resume = { engine: "toy", value: "t-1" };
      const [a, b] = await Promise.all([
        timed(runner.run({ prompt: "a", cwd, resume })),
        timed(runner.run({ prompt: "b", cwd, resume })),
      ]);
      const [first, second] = a.start < b.start ? [a, b] : [b, a];
      expect(second.start).toBeGreaterThanOrEqual(first.end - 1);
    },
    SLOW,
  );

  test(
    "different threads run in parallel",
    async () => {
      // Both engines hang after `started`: only parallel runs can both get that far.
      const hanging = (id: string) => {
        const bin = makeFakeEngineBin({
          engine: "toy",
          lines: [toyLine({ type: "session", id })],
          hang: true,
        });
        bins.push(bin);
        return bin;
      };
      const locks = new ThreadLocks();
      const controller = new AbortController();
      const started = new Set<string>();
      const play = async (id: string) => {
        const bin = hanging(id);
        const runner = createJsonlRunner(toySpec(), { env: bin.env, locks, killGraceMs: 300 });
        for await (const event of runner.run(
          { prompt: id, cwd, resume: { engine: "toy", value: id } },
          controller.signal,
        )) {
          if (event.type === "started") started.add(id);
        }
      };
      const runs = Promise.all([play("t-1"), play("t-2")]);
      const deadline = Date.now() + 10_000;
      while (started.size < 2 && Date.now() < deadline) await Bun.sleep(10);
      controller.abort();
      await runs;
      expect([...started].sort()).toEqual(["t-1", "t-2"]);
    },
    SLOW,
  );

  test(
    "a new thread holds its lock before `started` reaches the consumer, until the run ends",
    async () => {
      const bin = slow("t-new", 20);
      const locks = new ThreadLocks();
      const runner = createJsonlRunner(toySpec(), { env: bin.env, locks });
      const held: boolean[] = [];
      for await (const event of runner.run({ prompt: "a", cwd })) {
        held.push(locks.isHeld("toy:t-new"));
        if (event.type === "started") expect(locks.isHeld("toy:t-new")).toBe(true);
      }
      expect(held).toEqual([true, true, true]);
      expect(locks.isHeld("toy:t-new")).toBe(false);
    },
    SLOW,
  );

  test(
    "a new thread waits for a run already holding that token",
    async () => {
      const bin = slow("t-busy", 0);
      const locks = new ThreadLocks();
      const runner = createJsonlRunner(toySpec(), { env: bin.env, locks });
      const release = await locks.acquire("toy:t-busy");
      const seen: string[] = [];
      const run = (async () => {
        for await (const event of runner.run({ prompt: "a", cwd })) seen.push(event.type);
      })();
      await Bun.sleep(300);
      expect(seen).toEqual([]);
      release();
      await run;
      expect(seen).toEqual(["started", "action", "completed"]);
    },
    SLOW,
  );

  test(
    "a resumed run cancelled while waiting for its thread never starts",
    async () => {
      const bin = slow("t-wait", 0);
      const locks = new ThreadLocks();
      const runner = createJsonlRunner(toySpec(), { env: bin.env, locks });
      const release = await locks.acquire("toy:t-wait");
      const controller = new AbortController();
      const seen: TakopiEvent[] = [];
      const run = (async () => {
        const resume = { engine: "toy", value: "t-wait" };
        for await (const event of runner.run({ prompt: "a", cwd, resume }, controller.signal))
          seen.push(event);
      })();
      await Bun.sleep(50);
      controller.abort();
      await run;
      expect(seen).toEqual([]);
      expect(bin.pids()).toEqual([]);
      release();
      expect(locks.isHeld("toy:t-wait")).toBe(false);
    },
    SLOW,
  );

  test(
    "the lock is released when the run is cancelled",
    async () => {
      const bin = makeFakeEngineBin({
        engine: "toy",
        lines: [toyLine({ type: "session", id: "t-c" })],
        hang: true,
      });
      bins.push(bin);
      const locks = new ThreadLocks();
      const runner = createJsonlRunner(toySpec(), { env: bin.env, locks, killGraceMs: 300 });
      const controller = new AbortController();
      for await (const event of runner.run({ prompt: "a", cwd }, controller.signal)) {
        if (event.type === "started") controller.abort();
      }
      expect(locks.isHeld("toy:t-c")).toBe(false);
    },
    SLOW,
  );
});
