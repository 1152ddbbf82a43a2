// Startup cost of the compiled binary: `bun bench/startup.ts [--runs N] [--binary PATH] [--check]`.
// Builds dist/takopi if it is missing, warms up, then times `takopi --version`.
// Targets: median ≤ 40 ms, peak RSS ≤ 60 MB. `--check` exits 1 when a target is missed.
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { compileBinary } from "../scripts/build";

const TARGET_MS = 40;
const TARGET_MB = 60;
const WARMUP = 3;
const TIME_BIN = "/usr/bin/time";

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

/** Wall time and CPU time (user + system) of one run, in ms. */
function runOnce(binary: string): { wall: number; cpu: number } {
  const started = performance.now();
  const result = Bun.spawnSync([binary, "--version"], { stdout: "pipe", stderr: "pipe" });
  const wall = performance.now() - started;
  if (result.exitCode !== 0)
    throw new Error(`${binary} --version exited ${result.exitCode}: ${result.stderr}`);
  const { user, system } = result.resourceUsage.cpuTime;
  return { wall, cpu: Number(user + system) / 1000 };
}

/** Peak RSS in bytes: GNU time's "Maximum resident set size" when available, else Bun's rusage. */
function peakRss(binary: string): { bytes: number; source: string } {
  if (existsSync(TIME_BIN)) {
    const result = Bun.spawnSync([TIME_BIN, "-v", binary, "--version"], { stdout: "pipe", stderr: "pipe" });
    const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr.toString());
    if (result.exitCode === 0 && match?.[1])
      return { bytes: Number(match[1]) * 1024, source: "/usr/bin/time -v" };
  }
  const result = Bun.spawnSync([binary, "--version"], { stdout: "pipe", stderr: "pipe" });
  return { bytes: result.resourceUsage.maxRSS, source: "Bun.spawnSync resourceUsage" };
}

const runs = Math.max(20, Number(flag("--runs") ?? "30"));
const binary = resolve(flag("--binary") ?? join(import.meta.dir, "..", "dist", "takopi"));
if (!existsSync(binary)) {
  process.stdout.write(`building ${binary}…\n`);
  await compileBinary({ outfile: binary });
}

for (let i = 0; i < WARMUP; i++) runOnce(binary);
const times: number[] = [];
const cpu: number[] = [];
let rss = { bytes: 0, source: "" };
for (let i = 0; i < runs; i++) {
  const run = runOnce(binary);
  times.push(run.wall);
  cpu.push(run.cpu);
  // Sample memory on every fifth run: /usr/bin/time itself adds a fork per sample.
  if (i % 5 === 0) {
    const sample = peakRss(binary);
    if (sample.bytes > rss.bytes) rss = sample;
  }
}
times.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
const median = percentile(times, 50);
const p95 = percentile(times, 95);
const mb = rss.bytes / (1024 * 1024);
const ok = median <= TARGET_MS && mb <= TARGET_MB;

process.stdout.write(
  [
    `takopi --version × ${runs} (after ${WARMUP} warm-up runs): ${binary}`,
    `  wall  median ${median.toFixed(1)} ms   p95 ${p95.toFixed(1)} ms   min ${times[0]?.toFixed(1)} ms   max ${times.at(-1)?.toFixed(1)} ms`,
    // On a busy machine wall time mostly measures waiting for a core; CPU time shows the work done.
    `  cpu   median ${percentile(cpu, 50).toFixed(1)} ms (user + system)   load average ${loadavg()[0]?.toFixed(2)}`,
    `  peak RSS ${mb.toFixed(1)} MB (${rss.source})`,
    `  target ≤ ${TARGET_MS} ms median, ≤ ${TARGET_MB} MB: ${ok ? "met" : "MISSED"}`,
    "",
  ].join("\n"),
);
if (process.argv.includes("--check") && !ok) process.exitCode = 1;
