import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { groupAlive, spawnEngine } from "../../../src/runners/jsonl/subprocess";
import { type FakeEngineBin, killAll, makeFakeEngineBin, waitGone } from "../../support/fake-engine-bin";

const bins: FakeEngineBin[] = [];
afterEach(() => {
  for (const bin of bins.splice(0)) {
    killAll(bin.pids());
    bin.cleanup();
  }
});

function hanging(options: { ignoreTerm?: boolean; grandchildren?: number } = {}): FakeEngineBin {
  const bin = makeFakeEngineBin({ engine: "toy", lines: ['{"type":"x"}'], hang: true, ...options });
  bins.push(bin);
  return bin;
}

async function pidsOf(bin: FakeEngineBin, count: number): Promise<number[]> {
  const deadline = Date.now() + 10_000;
  while (bin.pids().length < count && Date.now() < deadline) await Bun.sleep(10);
  return bin.pids();
}

describe("spawnEngine", () => {
  test("the engine leads its own process group, and stop() ends all of it", async () => {
    const bin = hanging({ grandchildren: 2 });
    const proc = spawnEngine({
      engine: "toy",
      argv: [bin.command],
      cwd: tmpdir(),
      env: bin.env,
      stdin: { kind: "devnull" },
      prompt: "",
    });
    const pids = await pidsOf(bin, 3);
    expect(groupAlive(proc.pid)).toBe(true);
    await proc.stop(1000);
    expect(proc.hasExited()).toBe(true);
    expect(groupAlive(proc.pid)).toBe(false);
    expect(await waitGone(pids, 100)).toEqual([]);
    const info = await proc.exitInfo();
    expect(info.exitCode === null ? info.signal : info.exitCode).toBeDefined();
  }, 20_000);

  test("SIGKILL follows when SIGTERM is ignored, after the grace period", async () => {
    const bin = hanging({ ignoreTerm: true });
    const proc = spawnEngine({
      engine: "toy",
      argv: [bin.command],
      cwd: tmpdir(),
      env: bin.env,
      stdin: { kind: "devnull" },
      prompt: "",
    });
    await pidsOf(bin, 1);
    const started = performance.now();
    await proc.stop(300);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect((await proc.exitInfo()).signal).toBe("SIGKILL");
  }, 20_000);

  test("engines still running when takopi exits are killed on the way out", async () => {
    const bin = hanging({ grandchildren: 1 });
    const dir = mkdtempSync(join(tmpdir(), "takopi-exit-"));
    const script = join(dir, "host.ts");
    const module = resolve(import.meta.dir, "../../../src/runners/jsonl/subprocess.ts");
    writeFileSync(
      script,
      `import { spawnEngine } from ${JSON.stringify(module)};
spawnEngine({ engine: "toy", argv: [${JSON.stringify(bin.command)}], cwd: "/tmp", env: process.env, stdin: { kind: "devnull" }, prompt: "" });
while ((await Bun.file(${JSON.stringify(join(bin.dir, "pids.txt"))}).text().catch(() => "")).trim().split("\\n").length < 2) await Bun.sleep(10);
process.exit(0);
`,
    );
    try {
      const host = Bun.spawn([process.execPath, script], {
        env: bin.env,
        stdout: "ignore",
        stderr: "inherit",
      });
      expect(await host.exited).toBe(0);
      const pids = bin.pids();
      expect(pids).toHaveLength(2);
      expect(await waitGone(pids, 2000)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);
});
