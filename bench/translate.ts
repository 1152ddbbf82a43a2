#!/usr/bin/env bun
/**
 * Per-line cost of the runner hot path, for each engine:
 *  1. in-process: JSON.parse → decode → translate → ProgressTracker.note;
 *  2. through a real subprocess pipe: the JSONL runner reading `cat <file>`.
 *
 * Each engine's captured fixtures are stitched into one long run: a run's
 * opening lines (with its `started`), then every fixture line that neither
 * starts nor ends a run, repeated to at least `--lines` lines, then the line that
 * completes it. Usage:
 * `bun bench/translate.ts [--lines N] [--engine E] [--stage in-process|subprocess]`.
 * RSS columns: highest resident set sampled during each stage (in-process/subprocess).
 */
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setLogLevel } from "../src/logging/logger";
import type { TakopiEvent } from "../src/model";
import { ProgressTracker } from "../src/progress/tracker";
import { claudeEngineSpec } from "../src/runners/claude/runner";
import { codexEngineSpec } from "../src/runners/codex/runner";
import type { JsonlEngineSpec, Translator } from "../src/runners/engine-spec";
import { createJsonlRunner } from "../src/runners/jsonl-runner";
import { opencodeEngineSpec } from "../src/runners/opencode/runner";
import { piEngineSpec } from "../src/runners/pi/runner";
import type { RunRequest } from "../src/runners/runner";
import { ThreadLocks } from "../src/runners/thread-locks";

const FIXTURES = join(import.meta.dir, "../../shared/fixtures/engines");

function arg(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}

const target = Number(arg("--lines") ?? 1_000_000);
const only = arg("--engine");
/** `--stage in-process|subprocess` runs one stage only (e.g. to see each one's peak RSS). */
const stage = arg("--stage");
const skipped = { events: 0, ms: Number.NaN };
const home = join(tmpdir(), `takopi-bench-home-${process.pid}`);
const cwd = "/home/dev/project";

const SPECS: Record<string, () => JsonlEngineSpec> = {
  codex: () => codexEngineSpec(),
  claude: () => claudeEngineSpec(),
  opencode: () => opencodeEngineSpec(),
  pi: () => piEngineSpec({}, { homeDir: home }),
};

interface LongRun {
  readonly prefix: readonly string[];
  readonly body: readonly string[];
  readonly terminal: readonly string[];
  readonly repeats: number;
  readonly total: number;
}

/** Feeds one line; returns the events, or undefined when it does not decode or throws. */
function feed(spec: JsonlEngineSpec, translator: Translator, line: string): TakopiEvent[] | undefined {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined;
  }
  const decoded = spec.decode(json);
  if (!decoded.ok) return undefined;
  try {
    return translator.translate(decoded.value);
  } catch {
    return undefined;
  }
}

function opensOrCloses(events: readonly TakopiEvent[]): boolean {
  return events.some((e) => e.type === "started" || e.type === "completed");
}

const HEADERS = ['"type":"thread.started"', '"subtype":"init"', '"type":"session"'];

function isSessionHeader(line: string): boolean {
  return HEADERS.some((marker) => line.includes(marker));
}

function readLines(path: string): string[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
}

/** Builds the long run by probing which lines a started run accepts without ending. */
function buildLongRun(engine: string, spec: JsonlEngineSpec, request: RunRequest): LongRun {
  const dir = join(FIXTURES, engine);
  const files = readdirSync(dir)
    .filter((name) => name.endsWith(".jsonl"))
    .sort();
  const first = files.includes("new_session_bash.jsonl")
    ? "new_session_bash.jsonl"
    : files.includes("new_thread_command.jsonl")
      ? "new_thread_command.jsonl"
      : (files[0] ?? "");
  const probe = spec.newTranslator(request);
  const prefix: string[] = [];
  const terminal: string[] = [];
  let started = false;
  for (const line of readLines(join(dir, first))) {
    const events = feed(spec, probe, line) ?? [];
    if (events.some((e) => e.type === "completed")) {
      terminal.push(line);
      break;
    }
    prefix.push(line);
    if (events.some((e) => e.type === "started")) started = true;
  }
  if (!started) throw new Error(`${engine}: ${first} never starts a run`);
  // A run that has seen the prefix and the body so far decides whether the next line
  // may join the body; a rejected line has changed its state, so it is rebuilt.
  const body: string[] = [];
  const replayed = () => {
    const open = spec.newTranslator(request);
    for (const line of [...prefix, ...body]) feed(spec, open, line);
    return open;
  };
  let open = replayed();
  for (const file of files) {
    for (const line of readLines(join(dir, file))) {
      // Session headers are left out too: a real run has one, not one per repetition.
      const events = isSessionHeader(line) ? undefined : feed(spec, open, line);
      if (!events || opensOrCloses(events)) {
        open = replayed();
        continue;
      }
      body.push(line);
    }
  }
  if (body.length === 0) throw new Error(`${engine}: no fixture line can be repeated inside a run`);
  const repeats = Math.max(1, Math.ceil((target - prefix.length - terminal.length) / body.length));
  return { prefix, body, terminal, repeats, total: prefix.length + body.length * repeats + terminal.length };
}

function inProcess(spec: JsonlEngineSpec, request: RunRequest, run: LongRun): { events: number; ms: number } {
  const translator = spec.newTranslator(request);
  const tracker = new ProgressTracker(spec.engine);
  let events = 0;
  const one = (line: string) => {
    const decoded = spec.decode(JSON.parse(line));
    if (!decoded.ok) return;
    for (const event of translator.translate(decoded.value)) {
      tracker.note(event);
      events++;
    }
  };
  const started = performance.now();
  for (const line of run.prefix) one(line);
  const body = run.body;
  for (let r = 0; r < run.repeats; r++) {
    for (let i = 0; i < body.length; i++) one(body[i] as string);
    if (r % 1000 === 0) sampleRss();
  }
  for (const line of run.terminal) one(line);
  if (run.terminal.length === 0) {
    for (const event of translator.finish({ exitCode: 0, signal: null, stderrSummary: "" }))
      tracker.note(event);
  }
  sampleRss();
  return { events, ms: performance.now() - started };
}

/** Highest resident set seen by `sampleRss` since the last `resetRss`, in MB. */
let stagePeak = 0;
function sampleRss(): void {
  stagePeak = Math.max(stagePeak, process.memoryUsage().rss / 2 ** 20);
}
function resetRss(): number {
  const peak = stagePeak;
  stagePeak = 0;
  return peak;
}

async function writeRun(path: string, run: LongRun): Promise<void> {
  const writer = Bun.file(path).writer({ highWaterMark: 1 << 20 });
  const body = `${run.body.join("\n")}\n`;
  if (run.prefix.length) writer.write(`${run.prefix.join("\n")}\n`);
  for (let r = 0; r < run.repeats; r++) writer.write(body);
  if (run.terminal.length) writer.write(`${run.terminal.join("\n")}\n`);
  await writer.end();
}

async function viaSubprocess(
  spec: JsonlEngineSpec,
  request: RunRequest,
  file: string,
): Promise<{ events: number; ms: number; ok: boolean }> {
  // Same engine spec, but the "CLI" is `cat` of the prepared stream.
  const catSpec: JsonlEngineSpec = { ...spec, argv: () => ["cat", file] };
  const runner = createJsonlRunner(catSpec, { command: "cat", locks: new ThreadLocks() });
  const tracker = new ProgressTracker(spec.engine);
  let events = 0;
  let ok = false;
  const started = performance.now();
  for await (const event of runner.run(request)) {
    tracker.note(event);
    if (++events % 20_000 === 0) sampleRss();
    if (event.type === "completed") {
      ok = event.ok;
      if (!ok) console.log(`  ${spec.engine} run failed: ${event.error}`);
    }
  }
  sampleRss();
  return { events, ms: performance.now() - started, ok };
}

function rssMb(): number {
  // maxRSS is in KiB on Linux.
  return process.resourceUsage().maxRSS / 1024;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

setLogLevel("error");
const engines = Object.keys(SPECS).filter((engine) => !only || engine === only);
const rows: string[] = [];
let failed = false;
console.log(
  `bun ${Bun.version}, ${navigator.hardwareConcurrency} cores; target ≥ ${fmt(target)} lines per engine`,
);
for (const engine of engines) {
  const spec = (SPECS[engine] as () => JsonlEngineSpec)();
  const request: RunRequest = { prompt: "bench", cwd };
  const run = buildLongRun(engine, spec, request);
  // Warm-up so the JIT has seen the shapes before timing.
  if (stage !== "subprocess") inProcess(spec, request, { ...run, repeats: Math.min(run.repeats, 2000) });
  Bun.gc(true);
  resetRss();
  const mem = stage === "subprocess" ? skipped : inProcess(spec, request, run);
  const memPeak = resetRss();
  // Each stage starts from a collected heap, as separate runs would in takopi.
  Bun.gc(true);
  const file = join(tmpdir(), `takopi-bench-${engine}-${process.pid}.jsonl`);
  await writeRun(file, run);
  const bytes = Bun.file(file).size;
  // The run directory must exist for a real spawn; titles then stay absolute, which costs the same.
  const sub =
    stage === "in-process"
      ? { ...skipped, ok: true }
      : await viaSubprocess(spec, { prompt: "bench", cwd: tmpdir() }, file);
  const subPeak = resetRss();
  rmSync(file, { force: true });
  Bun.gc(true);
  const memRate = run.total / (mem.ms / 1000);
  const subRate = run.total / (sub.ms / 1000);
  if (memRate < 250_000 || subRate < 150_000 || !sub.ok) failed = true;
  if (stage) failed = true;
  rows.push(
    `${engine.padEnd(9)} ${fmt(run.total).padStart(10)} lines (${(bytes / 2 ** 20).toFixed(0)} MiB, body ${run.body.length})` +
      `  in-process ${fmt(memRate).padStart(9)} lines/s ${((mem.ms * 1000) / run.total).toFixed(2)} µs/line` +
      `  subprocess ${fmt(subRate).padStart(9)} lines/s ${((sub.ms * 1000) / run.total).toFixed(2)} µs/line` +
      `  events ${fmt(mem.events)}/${fmt(sub.events)}  RSS ${memPeak.toFixed(0)}/${subPeak.toFixed(0)} MB` +
      `${sub.ok ? "" : "  (run not ok!)"}`,
  );
  console.log(rows.at(-1));
}
rmSync(home, { recursive: true, force: true });
const peak = rssMb();
console.log(`peak RSS ${peak.toFixed(0)} MB`);
console.log(
  failed || peak > 150
    ? "targets: NOT met (≥250k lines/s in-process, ≥150k via subprocess, RSS ≤ 150 MB)"
    : "targets: met (≥250k lines/s in-process, ≥150k via subprocess, RSS ≤ 150 MB)",
);
