import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type FakeEngineBin, killAll, makeFakeEngineBin, waitGone } from "../support/fake-engine-bin";

const MAIN = resolve(import.meta.dir, "../../src/main.ts");
const FIXTURES = "/work/shared/fixtures/engines";
const CODEX_THREAD = "01a20c3b-ed72-7293-898e-7d923efc05b2";

let home: string;
const bins: FakeEngineBin[] = [];

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), "takopi-exec-home-"));
});
afterEach(() => {
  for (const bin of bins.splice(0)) {
    killAll(bin.pids());
    bin.cleanup();
  }
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

function fake(options: Parameters<typeof makeFakeEngineBin>[0]): FakeEngineBin {
  const bin = makeFakeEngineBin(options);
  bins.push(bin);
  return bin;
}

function env(bin?: FakeEngineBin, extra: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith("TAKOPI")) base[k] = v;
  }
  const path = bin ? `${bin.dir}:/usr/bin:/bin` : "/usr/bin:/bin";
  return { ...base, HOME: home, PATH: path, TAKOPI_CONFIG: join(home, "absent.toml"), ...extra };
}

function start(args: string[], options: { env: Record<string, string>; stdin?: string }) {
  return Bun.spawn([process.execPath, MAIN, "exec", ...args], {
    cwd: home,
    env: options.env,
    stdin: options.stdin === undefined ? "ignore" : new TextEncoder().encode(options.stdin),
    stdout: "pipe",
    stderr: "pipe",
  });
}

async function exec(args: string[], options: { env: Record<string, string>; stdin?: string }) {
  const proc = start(args, options);
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { stdout, stderr, code };
}

const lines = (text: string) => text.split("\n").filter((l) => l !== "");

describe("takopi exec (real CLI, fake engines)", () => {
  test("codex: progress lines on stderr, answer and resume line on stdout, exit 0", async () => {
    const bin = fake({ engine: "codex", fixture: `${FIXTURES}/codex/new_thread_command.jsonl`, delayMs: 5 });
    const r = await exec(["--engine", "codex", "say hello"], { env: env(bin) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`All done.\n\n\`codex resume ${CODEX_THREAD}\`\n`);
    const err = lines(r.stderr);
    expect(err.slice(0, 3)).toEqual([
      "starting · codex · 0s",
      "▸ `/bin/bash -lc 'echo hello-from-tool'`",
      "✓ `/bin/bash -lc 'echo hello-from-tool'`",
    ]);
    expect(err[3]).toMatch(/^done · codex · \d+s · step 1$/);
    expect(err).toHaveLength(4);
  });

  test("default engine and engine options come from the config file", async () => {
    const bin = fake({
      engine: "my-claude",
      fixture: `${FIXTURES}/claude/new_session_bash.jsonl`,
      record: true,
    });
    const config = join(home, "takopi.toml");
    writeFileSync(
      config,
      `default_engine = "claude"\n[transports.telegram]\nbot_token = "1:x"\nchat_id = 1\n` +
        `[claude]\ncommand = "${bin.command}"\nmodel = "opus-test"\n`,
    );
    const r = await exec(["--config", config, "hi"], { env: env() });
    expect(r.stderr).not.toContain("error");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("All done.\n\n`claude --resume cbfa7221-7af5-4a69-bde9-060c6843160c`\n");
    const argv = bin.recorded().argv;
    expect(argv).toContain("--model");
    expect(argv[argv.indexOf("--model") + 1]).toBe("opus-test");
    expect(argv.slice(-2)).toEqual(["--", "hi"]);
  });

  test("--json prints the normalized events, one per line", async () => {
    const bin = fake({ engine: "codex", fixture: `${FIXTURES}/codex/new_thread_command.jsonl` });
    const r = await exec(["--json", "--engine=codex", "go"], { env: env(bin) });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const events = lines(r.stdout).map((l) => JSON.parse(l) as { type: string; phase?: string });
    expect(events.map((e) => (e.phase ? `${e.type}:${e.phase}` : e.type))).toEqual([
      "started",
      "action:started",
      "action:started",
      "action:completed",
      "completed",
    ]);
    expect(events[0]).toMatchObject({ engine: "codex", resume: { engine: "codex", value: CODEX_THREAD } });
    expect(events.at(-1)).toMatchObject({ type: "completed", ok: true, answer: "All done." });
  });

  test("a failed run prints the error and exits 1", async () => {
    const bin = fake({ engine: "codex", fixture: `${FIXTURES}/codex/http500_no_retries.jsonl`, exitCode: 1 });
    const r = await exec(["--engine", "codex", "go"], { env: env(bin) });
    expect(r.code).toBe(1);
    const message = "We’re currently experiencing high demand, which may cause temporary errors.";
    expect(r.stdout).toBe(`${message}\n\n\`codex resume 01a20c3b-f6de-7143-88cb-f5c6eca392dd\`\n`);
    expect(lines(r.stderr).at(-1)).toMatch(/^error · codex · \d+s · step 1$/);
    expect(r.stderr).toContain(`✗ ${message}`);
  });

  test("an engine that crashes without a result exits 1 with its failure", async () => {
    const bin = fake({
      engine: "codex",
      fixture: `${FIXTURES}/codex/new_thread_command.jsonl`,
      stopAfter: 3,
      exitCode: 2,
      stderr: "boom: disk full\n",
    });
    const r = await exec(["--engine", "codex", "go"], { env: env(bin) });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("codex exec failed (rc=2)");
    expect(r.stdout).toContain("boom: disk full");
    expect(r.stdout).toEndWith(`\`codex resume ${CODEX_THREAD}\`\n`);
  });

  test("--resume continues a thread; the resume line is passed on and stripped from the prompt", async () => {
    const bin = fake({ engine: "codex", fixture: `${FIXTURES}/codex/resume.jsonl`, record: true });
    const r = await exec(["--resume", `codex resume ${CODEX_THREAD}`, "and now?"], { env: env(bin) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Resumed fine.\n\n\`codex resume ${CODEX_THREAD}\`\n`);
    const rec = bin.recorded();
    expect(rec.argv.slice(-3)).toEqual(["resume", CODEX_THREAD, "-"]);
    expect(rec.stdin).toBe("and now?");
  });

  test("a resume line inside the prompt works too, and the prompt may come from stdin", async () => {
    const bin = fake({ engine: "codex", fixture: `${FIXTURES}/codex/resume.jsonl`, record: true });
    const r = await exec(["-"], { env: env(bin), stdin: `\`codex resume ${CODEX_THREAD}\`\nkeep going\n` });
    expect(r.code).toBe(0);
    expect(bin.recorded().stdin).toBe("keep going");
    expect(bin.recorded().argv).toContain(CODEX_THREAD);
  });

  test("Ctrl-C cancels the run: exit 130, the engine's process group is gone", async () => {
    const bin = fake({
      engine: "codex",
      fixture: `${FIXTURES}/codex/new_thread_command.jsonl`,
      stopAfter: 3,
      hang: true,
      grandchildren: 2,
    });
    const proc = start(["--engine", "codex", "go"], { env: env(bin) });
    const stderr = new Response(proc.stderr).text();
    const stdout = new Response(proc.stdout).text();
    const deadline = Date.now() + 10_000;
    while (bin.pids().length < 3 && Date.now() < deadline) await Bun.sleep(20);
    expect(bin.pids()).toHaveLength(3);
    await Bun.sleep(200); // let the first lines through
    proc.kill("SIGINT");
    expect(await proc.exited).toBe(130);
    expect(await waitGone(bin.pids())).toEqual([]);
    const err = lines(await stderr);
    expect(err).toContain("▸ `/bin/bash -lc 'echo hello-from-tool'`");
    expect(err.at(-1)).toMatch(/^`cancelled` · codex · \d+s · step 1$/);
    expect(await stdout).toBe(`\`codex resume ${CODEX_THREAD}\`\n`);
  }, 15_000);

  test("SIGTERM, twice, against an engine that ignores it: exit 143 once the group is killed", async () => {
    const bin = fake({
      engine: "codex",
      fixture: `${FIXTURES}/codex/new_thread_command.jsonl`,
      stopAfter: 1,
      hang: true,
      ignoreTerm: true,
      grandchildren: 1,
      grandchildrenIgnoreTerm: true,
    });
    const proc = start(["--engine", "codex", "go"], { env: env(bin) });
    const stdout = new Response(proc.stdout).text();
    const deadline = Date.now() + 10_000;
    while (bin.pids().length < 2 && Date.now() < deadline) await Bun.sleep(20);
    await Bun.sleep(200);
    proc.kill("SIGTERM");
    await Bun.sleep(100);
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(143);
    expect(await waitGone(bin.pids())).toEqual([]);
    expect(await stdout).toBe(`\`codex resume ${CODEX_THREAD}\`\n`);
  }, 15_000);

  test("a missing CLI is reported with its install hint, exit 1", async () => {
    const r = await exec(["--engine", "opencode", "go"], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "error: engine `opencode` is unavailable: opencode CLI not found (`opencode`). Install it with " +
        "`npm install -g opencode-ai@latest`, or set `command` under `[opencode]` in takopi.toml.\n",
    );
  });

  test.each([
    [["--engine", "codex"], 2, "error: a prompt is required (or - to read it from stdin)"],
    [["--frobnicate", "x"], 2, "error: unknown option for exec: --frobnicate"],
    [["--engine"], 2, "error: --engine needs a value"],
    [
      ["--engine", "gpt", "x"],
      1,
      "error: unknown engine `gpt`; available engines: codex, claude, opencode, pi",
    ],
    [["--resume", "hello there", "x"], 2, "error: --resume: not a resume line: hello there"],
    [
      ["--engine", "pi", "--resume", "codex resume abc", "x"],
      2,
      "error: --engine pi does not match the resume line, which is for codex",
    ],
    [["--cwd", "/nonexistent/dir", "x"], 2, "error: --cwd: not a directory: /nonexistent/dir"],
  ])("bad command line %p exits %p", async (args, code, message) => {
    const r = await exec(args, { env: env() });
    expect(r.code).toBe(code);
    expect(lines(r.stderr)[0]).toBe(message);
    expect(r.stdout).toBe("");
  });
});
