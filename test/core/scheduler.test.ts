import { expect, test } from "bun:test";
import { ThreadScheduler } from "../../src/core/scheduler";

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

test("jobs on one thread run in order, one at a time", async () => {
  const s = new ThreadScheduler();
  const log: string[] = [];
  const g = gate();
  const done = gate();
  s.enqueue({
    key: "codex:a",
    id: "1",
    run: async () => {
      log.push("1 start");
      await g.opened;
      log.push("1 end");
    },
  });
  s.enqueue({
    key: "codex:a",
    id: "2",
    run: async () => {
      log.push("2 start");
      done.open();
    },
  });
  await Bun.sleep(5);
  expect(log).toEqual(["1 start"]);
  g.open();
  await done.opened;
  expect(log).toEqual(["1 start", "1 end", "2 start"]);
});

test("different threads run in parallel", async () => {
  const s = new ThreadScheduler();
  const g = gate();
  let started = 0;
  for (const key of ["codex:a", "codex:b", "claude:a"]) {
    s.enqueue({
      key,
      id: key,
      run: async () => {
        started++;
        await g.opened;
      },
    });
  }
  await Bun.sleep(5);
  expect(started).toBe(3);
  g.open();
});

test("a known thread blocks queued jobs until its run finishes", async () => {
  const s = new ThreadScheduler();
  const running = gate();
  s.noteThreadKnown("pi:x", running.opened);
  let ran = false;
  s.enqueue({
    key: "pi:x",
    id: "q",
    run: async () => {
      ran = true;
    },
  });
  await Bun.sleep(5);
  expect(ran).toBe(false);
  running.open();
  await Bun.sleep(5);
  expect(ran).toBe(true);
});

test("queued jobs can be cancelled; failures do not stop the queue", async () => {
  const s = new ThreadScheduler();
  const g = gate();
  const ran: string[] = [];
  s.enqueue({
    key: "k",
    id: "a",
    run: async () => {
      await g.opened;
      throw new Error("boom");
    },
  });
  s.enqueue({ key: "k", id: "b", run: async () => void ran.push("b") });
  s.enqueue({ key: "k", id: "c", run: async () => void ran.push("c") });
  expect(s.isQueued("b")).toBe(true);
  expect(s.cancelQueued("b")).toBe(true);
  expect(s.cancelQueued("b")).toBe(false);
  g.open();
  await Bun.sleep(10);
  expect(ran).toEqual(["c"]);
  expect(s.pending).toBe(0);
});
