/**
 * The runner contract (behaviour §5.1) for every engine, through real
 * subprocesses: each engine's spec drives a fake CLI that replays a captured
 * fixture, with delays, split writes, garbage, a huge line, crashes, hangs and
 * failing exits. Whatever happens, the stream has at most one `started`, ends
 * with exactly one `completed` carrying the same token, and leaves no process behind.
 */
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ActionEvent, CompletedEvent, ResumeToken, TakopiEvent } from "../../src/model";
import { claudeEngineSpec, createClaudeRunner } from "../../src/runners/claude/runner";
import { codexEngineSpec, createCodexRunner } from "../../src/runners/codex/runner";
import type { JsonlEngineSpec } from "../../src/runners/engine-spec";
import { createJsonlRunner } from "../../src/runners/jsonl-runner";
import { createOpencodeRunner, opencodeEngineSpec } from "../../src/runners/opencode/runner";
import { createPiRunner, piEngineSpec } from "../../src/runners/pi/runner";
import type { Runner, RunRequest } from "../../src/runners/runner";
import { ThreadLocks } from "../../src/runners/thread-locks";
import {
  type FakeEngineBin,
  type FakeEngineOptions,
  killAll,
  makeFakeEngineBin,
  waitGone,
} from "../support/fake-engine-bin";

/** Real processes on a shared 2-core machine: give each test room beyond bun's 5 s default. */
const SLOW = 20_000;
const FIXTURES = join(import.meta.dir, "../../../shared/fixtures/engines");
const home = mkdtempSync(join(tmpdir(), "takopi-contract-home-"));
const cwd = realpathSync(mkdtempSync(join(tmpdir(), "takopi-contract-cwd-")));
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(cwd, { recursive: true, force: true });
});

interface Engine {
  readonly id: "codex" | "claude" | "opencode" | "pi";
  readonly spec: () => JsonlEngineSpec;
  /** The engine's own factory, given a config `command`. */
  readonly factory: (command: string, env: Record<string, string | undefined>) => Runner;
  readonly newRun: string;
  readonly resumeRun: string;
  /** The token the resume fixture reports, or undefined when the engine keeps the requested one. */
  readonly resumeToken: string | undefined;
  readonly installHint: string;
}

const piDeps = {
  homeDir: home,
  now: () => new Date("2026-11-24T06:18:08.569Z"),
  randomHex: () => "f".repeat(32),
};

const ENGINES: readonly Engine[] = [
  {
    id: "codex",
    spec: () => codexEngineSpec(),
    factory: (command, env) => createCodexRunner({ command }, { env, locks: new ThreadLocks() }),
    newRun: "new_thread_command.jsonl",
    resumeRun: "resume.jsonl",
    resumeToken: "01a20c3b-ed72-7293-898e-7d923efc05b2",
    installHint: "npm install -g @openai/codex",
  },
  {
    id: "claude",
    spec: () => claudeEngineSpec(),
    factory: (command, env) => createClaudeRunner({ command }, { env, locks: new ThreadLocks() }),
    newRun: "new_session_bash.jsonl",
    resumeRun: "resume.jsonl",
    resumeToken: "cbfa7221-7af5-4a69-bde9-060c6843160c",
    installHint: "npm install -g @anthropic-ai/claude-code",
  },
  {
    id: "opencode",
    spec: () => opencodeEngineSpec(),
    factory: (command, env) => createOpencodeRunner({ command }, { env, locks: new ThreadLocks() }),
    newRun: "new_session_bash.jsonl",
    resumeRun: "resume.jsonl",
    resumeToken: "ses_df3b71aa1ffe1RusQr5HVBzYFO",
    installHint: "npm install -g opencode-ai@latest",
  },
  {
    id: "pi",
    spec: () => piEngineSpec({}, piDeps),
    factory: (command, env) => createPiRunner({ command }, { env, locks: new ThreadLocks(), ...piDeps }),
    newRun: "new_session_bash.jsonl",
    resumeRun: "resume.jsonl",
    resumeToken: undefined,
    installHint: "npm install -g @mariozechner/pi-coding-agent",
  },
];

const bins: FakeEngineBin[] = [];
afterEach(() => {
  for (const bin of bins.splice(0)) {
    killAll(bin.pids());
    bin.cleanup();
  }
});

function fixture(engine: Engine, name: string): string {
  return join(FIXTURES, engine.id, name);
}

function fixtureLines(engine: Engine, name: string): string[] {
  return readFileSync(fixture(engine, name), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
}

function fake(engine: Engine, options: Omit<FakeEngineOptions, "engine">): FakeEngineBin {
  const bin = makeFakeEngineBin({ engine: engine.id, ...options });
  bins.push(bin);
  return bin;
}

function runnerFor(engine: Engine, bin: FakeEngineBin, killGraceMs = 2000): Runner {
  return createJsonlRunner(engine.spec(), { env: bin.env, locks: new ThreadLocks(), killGraceMs });
}

async function collect(events: AsyncIterable<TakopiEvent>): Promise<TakopiEvent[]> {
  const out: TakopiEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

/** The same fixture through decode + translate in-process, as the reference. */
function inProcess(engine: Engine, request: RunRequest, lines: readonly string[]): TakopiEvent[] {
  const spec = engine.spec();
  const translator = spec.newTranslator(request);
  const events: TakopiEvent[] = [];
  for (const line of lines) {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      continue;
    }
    const decoded = spec.decode(json);
    if (!decoded.ok) continue;
    events.push(...translator.translate(decoded.value));
    if (events.some((e) => e.type === "completed")) return events;
  }
  events.push(...translator.finish({ exitCode: 0, signal: null, stderrSummary: "" }));
  return events;
}

/** §5.1: at most one started, exactly one completed, last, carrying the started token. */
function expectContract(events: readonly TakopiEvent[]): CompletedEvent {
  const started = events.filter((e) => e.type === "started");
  const completed = events.filter((e): e is CompletedEvent => e.type === "completed");
  expect(started.length).toBeLessThanOrEqual(1);
  expect(completed).toHaveLength(1);
  const end = events.at(-1) as CompletedEvent;
  expect(end.type).toBe("completed");
  const first = started[0];
  if (first?.type === "started") expect(end.resume).toEqual(first.resume);
  return end;
}

function warnings(events: readonly TakopiEvent[]): string[] {
  return events
    .filter((e): e is ActionEvent => e.type === "action" && e.action.kind === "warning")
    .map((e) => e.action.title);
}

async function expectNoLeftovers(bin: FakeEngineBin): Promise<void> {
  expect(await waitGone(bin.pids(), 1000)).toEqual([]);
}

const request = (resume?: ResumeToken): RunRequest => ({
  prompt: "do the thing",
  cwd,
  ...(resume ? { resume } : {}),
});

for (const engine of ENGINES) {
  describe(`${engine.id} through a real subprocess`, () => {
    test(
      "a new run with delays and split writes matches the in-process translation",
      async () => {
        const lines = fixtureLines(engine, engine.newRun);
        const bin = fake(engine, { fixture: fixture(engine, engine.newRun), delayMs: 3, partial: true });
        const req = request();
        const events = await collect(runnerFor(engine, bin).run(req));
        const end = expectContract(events);
        expect(end.ok).toBe(true);
        expect(events.filter((e) => e.type === "started")).toHaveLength(1);
        expect(events).toEqual(inProcess(engine, req, lines));
        await expectNoLeftovers(bin);
      },
      SLOW,
    );

    test(
      "a resumed run keeps its token; CRLF and no final newline are fine",
      async () => {
        const token = {
          engine: engine.id,
          value: engine.resumeToken ?? "01a20c34-5f38-706c-b4f6-bcbaed0ac0fc",
        };
        const bin = fake(engine, {
          fixture: fixture(engine, engine.resumeRun),
          crlf: true,
          noTrailingNewline: true,
        });
        const events = await collect(runnerFor(engine, bin).run(request(token)));
        const end = expectContract(events);
        expect(end.ok).toBe(true);
        expect(end.resume).toEqual(token);
        await expectNoLeftovers(bin);
      },
      SLOW,
    );

    if (engine.resumeToken) {
      test(
        "a resumed run that reports another session fails with a clear error",
        async () => {
          const bin = fake(engine, { fixture: fixture(engine, engine.resumeRun) });
          const expected = { engine: engine.id, value: "not-the-one" };
          const events = await collect(runnerFor(engine, bin).run(request(expected)));
          const end = expectContract(events);
          expect(end.ok).toBe(false);
          expect(end.error).toBe(
            `${engine.id} emitted session id ${engine.resumeToken} but expected not-the-one`,
          );
          expect(end.resume).toEqual(expected);
          await expectNoLeftovers(bin);
        },
        SLOW,
      );
    }

    test(
      "garbage lines: one warning, the run still succeeds",
      async () => {
        const bin = fake(engine, {
          fixture: fixture(engine, engine.newRun),
          leadingGarbage: ["this is not json", "{half"],
          trailingGarbage: ["Segmentation fault? no, just noise"],
        });
        const events = await collect(runnerFor(engine, bin).run(request()));
        const end = expectContract(events);
        expect(end.ok).toBe(true);
        expect(warnings(events)).toEqual([`invalid JSON from ${engine.id}; ignoring line`]);
        await expectNoLeftovers(bin);
      },
      SLOW,
    );

    test(
      "a line over 16 MiB is skipped with a warning and the run still succeeds",
      async () => {
        const bin = fake(engine, {
          fixture: fixture(engine, engine.newRun),
          hugeLineBytes: 17 * 1024 * 1024,
          hugeLineAt: 1,
        });
        const events = await collect(runnerFor(engine, bin).run(request()));
        const end = expectContract(events);
        expect(end.ok).toBe(true);
        expect(warnings(events)).toEqual([`${engine.id} emitted a line over 16 MiB; skipped it`]);
        await expectNoLeftovers(bin);
      },
      SLOW,
    );

    test(
      "a crash mid-stream (exit 137 with stderr) fails the run and says why",
      async () => {
        const lines = fixtureLines(engine, engine.newRun);
        const bin = fake(engine, {
          fixture: fixture(engine, engine.newRun),
          stopAfter: Math.max(1, Math.floor(lines.length / 2)),
          stderr: "fatal: out of memory\n",
          exitCode: 137,
        });
        const events = await collect(runnerFor(engine, bin).run(request()));
        const end = expectContract(events);
        expect(end.ok).toBe(false);
        expect(end.error).toContain("rc=137");
        expect(end.error).toContain("fatal: out of memory");
        await expectNoLeftovers(bin);
      },
      SLOW,
    );

    test(
      "killed by a signal mid-stream, the run fails",
      async () => {
        const bin = fake(engine, {
          fixture: fixture(engine, engine.newRun),
          stopAfter: 1,
          killSelf: "SIGKILL",
        });
        const events = await collect(runnerFor(engine, bin).run(request()));
        const end = expectContract(events);
        expect(end.ok).toBe(false);
        expect(end.error).toContain("SIGKILL");
        await expectNoLeftovers(bin);
      },
      SLOW,
    );

    test(
      "a non-zero exit with nothing on stdout fails with the stderr text",
      async () => {
        const bin = fake(engine, { lines: [], stderr: "Error: unknown flag --bogus\n", exitCode: 2 });
        const events = await collect(runnerFor(engine, bin).run(request()));
        const end = expectContract(events);
        expect(end.ok).toBe(false);
        expect(end.error).toContain("rc=2");
        expect(end.error).toContain("Error: unknown flag --bogus");
      },
      SLOW,
    );

    test(
      "a hang is cancelled: the whole group, stubborn grandchildren included, is gone within 2 s",
      async () => {
        const bin = fake(engine, {
          fixture: fixture(engine, engine.newRun),
          stopAfter: 1,
          hang: true,
          ignoreTerm: true,
          grandchildren: 2,
          grandchildrenIgnoreTerm: true,
        });
        const controller = new AbortController();
        const events: TakopiEvent[] = [];
        const run = (async () => {
          for await (const event of runnerFor(engine, bin).run(request(), controller.signal))
            events.push(event);
        })();
        while (bin.pids().length < 3) await Bun.sleep(10);
        await Bun.sleep(50);
        const cancelledAt = performance.now();
        controller.abort();
        await run;
        const took = performance.now() - cancelledAt;
        // SIGKILL goes out at 2 s; the rest is reaping (with slack for a loaded machine).
        expect(took).toBeLessThan(3000);
        expect(took).toBeGreaterThanOrEqual(1900);
        expect(events.some((e) => e.type === "completed")).toBe(false);
        expect(await waitGone(bin.pids(), 50)).toEqual([]);
      },
      SLOW,
    );

    test(
      "the engine's factory uses `command` and reports a missing CLI with its install hint",
      async () => {
        const bin = fake(engine, { fixture: fixture(engine, engine.newRun) });
        const ok = await collect(engine.factory(bin.command, process.env).run(request()));
        expect(expectContract(ok).ok).toBe(true);
        const missing = await collect(engine.factory(join(bin.dir, "absent"), process.env).run(request()));
        const end = expectContract(missing);
        expect(end.ok).toBe(false);
        expect(end.error).toContain(engine.installHint);
      },
      SLOW,
    );
  });
}
