import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { TakopiEvent } from "../../../src/model";
import {
  createPiRunner,
  extractPiResume,
  formatPiResume,
  isPiResumeLine,
  PI_INSTALL_HINT,
  piArgv,
  piEngineSpec,
  piEnv,
} from "../../../src/runners/pi/runner";
import { newPiSessionPath, piSessionDir } from "../../../src/runners/pi/session-path";
import type { RunRequest } from "../../../src/runners/runner";
import { ThreadLocks } from "../../../src/runners/thread-locks";
import { outline } from "../../support/translator-replay";

const FIXTURES = join(import.meta.dir, "../../../../shared/fixtures/engines/pi");
const FULL = "01a20c34-5f38-706c-b4f6-bcbaed0ac0fc";

describe("pi argv", () => {
  const req = (fields: Partial<RunRequest> = {}): RunRequest => ({ prompt: "fix it", cwd: "/r", ...fields });
  test.each([
    ["plain", req(), "/s.jsonl", {}, ["pi", "--print", "--mode", "json", "--session", "/s.jsonl", "fix it"]],
    [
      "extra_args first, then provider and model",
      req(),
      FULL,
      { extraArgs: ["--no-tools", "-v"], provider: "anthropic", model: "sonnet" },
      [
        "pi",
        "--no-tools",
        "-v",
        "--print",
        "--mode",
        "json",
        "--provider",
        "anthropic",
        "--model",
        "sonnet",
        "--session",
        FULL,
        "fix it",
      ],
    ],
    [
      "/model override beats config",
      req({ options: { model: "opus" } }),
      FULL,
      { model: "sonnet" },
      ["pi", "--print", "--mode", "json", "--model", "opus", "--session", FULL, "fix it"],
    ],
    [
      "prompt starting with - gets a leading space",
      req({ prompt: "-v is broken" }),
      FULL,
      {},
      ["pi", "--print", "--mode", "json", "--session", FULL, " -v is broken"],
    ],
    [
      "reasoning is not an argument",
      req({ options: { reasoning: "high" } }),
      FULL,
      {},
      ["pi", "--print", "--mode", "json", "--session", FULL, "fix it"],
    ],
  ])("%s", (_name, request, session, options, expected) => {
    expect(piArgv(request, "pi", session, options)).toEqual(expected);
  });

  test("env adds NO_COLOR and CI only when unset", () => {
    expect(piEnv({ PATH: "/bin" })).toEqual({ PATH: "/bin", NO_COLOR: "1", CI: "1" });
    expect(piEnv({ NO_COLOR: "0", CI: "true" })).toEqual({ NO_COLOR: "0", CI: "true" });
  });

  test("spec: stdin /dev/null, resume argv uses the token, install hint", async () => {
    const spec = piEngineSpec({ provider: "p" }, { homeDir: "/nonexistent-home", env: {} });
    expect(spec.stdin).toEqual({ kind: "devnull" });
    expect(spec.installHint).toBe(PI_INSTALL_HINT);
    expect(await spec.argv(req({ resume: { engine: "pi", value: "abcd1234" } }), "/bin/pi")).toEqual([
      "/bin/pi",
      "--print",
      "--mode",
      "json",
      "--provider",
      "p",
      "--session",
      "abcd1234",
      "fix it",
    ]);
  });

  test("a new run: session file under PI_CODING_AGENT_DIR, folder created, same path for the translator", async () => {
    const home = mkdtempSync(join(tmpdir(), "takopi-pi-home-"));
    try {
      const spec = piEngineSpec(
        {},
        {
          env: { PI_CODING_AGENT_DIR: "~/agent" },
          homeDir: home,
          now: () => new Date("2026-11-24T06:18:08.569Z"),
          randomHex: () => "f".repeat(32),
        },
      );
      const request = req({ cwd: "/home/dev/project" });
      const expected = join(
        home,
        "agent/sessions/--home-dev-project--/2026-11-24T06-18-08-569Z_ffffffffffffffffffffffffffffffff.jsonl",
      );
      const argv = await spec.argv(request, "pi");
      expect(argv.at(-2)).toBe(expected);
      expect(existsSync(dirname(expected))).toBe(true);
      // Without a session header (older pi), the run is known by that file.
      const t = spec.newTranslator(request);
      expect(outline(t.translate({ type: "agent_start" }))).toEqual([`started ${expected} pi`]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe("pi session path", () => {
  test.each([
    ["default under ~/.pi/agent", "/home/dev/project", {}, "/h/.pi/agent/sessions/--home-dev-project--"],
    ["PI_CODING_AGENT_DIR absolute", "/x", { PI_CODING_AGENT_DIR: "/opt/pi" }, "/opt/pi/sessions/--x--"],
    ["PI_CODING_AGENT_DIR with ~", "/x", { PI_CODING_AGENT_DIR: "~/pi" }, "/h/pi/sessions/--x--"],
    [
      "windows-ish separators and drive colon",
      "C:\\work\\repo",
      {},
      "/h/.pi/agent/sessions/--C--work-repo--",
    ],
    ["several leading slashes", "//srv/a:b", {}, "/h/.pi/agent/sessions/--srv-a-b--"],
  ])("%s", (_name, cwd, env, expected) => {
    expect(piSessionDir(cwd, { env, homeDir: "/h" })).toBe(expected);
  });

  test("file name: ISO time with : and . replaced, then 32 hex digits", () => {
    const path = newPiSessionPath("/r", {
      env: {},
      homeDir: "/h",
      now: () => new Date("2026-01-02T03:04:05.678Z"),
    });
    expect(path).toMatch(/^\/h\/\.pi\/agent\/sessions\/--r--\/2026-01-02T03-04-05-678Z_[0-9a-f]{32}\.jsonl$/);
    expect(newPiSessionPath("/r", { env: {}, homeDir: "/h" })).not.toBe(
      newPiSessionPath("/r", { env: {}, homeDir: "/h" }),
    );
  });
});

describe("pi resume line", () => {
  test.each([
    ["full id", FULL, `\`pi --session ${FULL}\``],
    ["short id", "01a20c34", "`pi --session 01a20c34`"],
    ["path", "/h/.pi/agent/sessions/--r--/a.jsonl", "`pi --session /h/.pi/agent/sessions/--r--/a.jsonl`"],
    ["path with a space is quoted", "/h/My Sessions/a.jsonl", '`pi --session "/h/My Sessions/a.jsonl"`'],
    ["inner quote escaped", 'a"b', '`pi --session "a\\"b"`'],
  ])("format %s", (_name, value, line) => {
    expect(formatPiResume({ engine: "pi", value })).toBe(line);
    expect(extractPiResume(line)).toEqual({ engine: "pi", value });
    expect(isPiResumeLine(line)).toBe(true);
  });

  test.each([
    ["bare full id", `pi --session ${FULL}`, FULL],
    ["older short id", "`pi --session ccd569e0`", "ccd569e0"],
    ["path", "pi --session /tmp/s.jsonl", "/tmp/s.jsonl"],
    ["double-quoted path", 'pi --session "/tmp/my s.jsonl"', "/tmp/my s.jsonl"],
    ["single-quoted path", "`pi --session '/tmp/my s.jsonl'`", "/tmp/my s.jsonl"],
    ["unbalanced quote kept", 'pi --session "abc', '"abc'],
    ["indented with trailing spaces", `   pi --session ${FULL}   `, FULL],
    ["case-insensitive", `PI --session ${FULL}`, FULL],
    ["last one wins", "pi --session first\ntext\n`pi --session second`", "second"],
    ["inside a message", `All done.\n\n\`pi --session ${FULL}\``, FULL],
    ["missing token", "pi --session", undefined],
    ["not at line start", `run pi --session ${FULL}`, undefined],
    ["other engine", "`codex resume x`", undefined],
    ["-s is not a pi flag", `pi -s ${FULL}`, undefined],
  ])("extract %s", (_name, text, expected) => {
    expect(extractPiResume(text)?.value).toBe(expected);
  });

  test("isResumeLine is stateless", () => {
    const line = `\`pi --session ${FULL}\``;
    expect([1, 2, 3].map(() => isPiResumeLine(line))).toEqual([true, true, true]);
    expect(isPiResumeLine("pi is great")).toBe(false);
  });
});

describe("pi runner through a real subprocess", () => {
  const dir = mkdtempSync(join(tmpdir(), "takopi-pi-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function fakeCli(name: string, fixture: string, rc: number, stderr = ""): string {
    const path = join(dir, name);
    writeFileSync(
      path,
      [
        "#!/bin/sh",
        `for a in "$@"; do printf '%s\\n' "$a"; done > '${dir}/${name}.argv'`,
        `printf '%s %s\\n' "$NO_COLOR" "$CI" > '${dir}/${name}.env'`,
        `cat > '${dir}/${name}.stdin'`,
        `cat '${join(FIXTURES, fixture)}'`,
        stderr ? `printf '%s\\n' '${stderr}' >&2` : "",
        `exit ${rc}`,
      ].join("\n"),
    );
    chmodSync(path, 0o755);
    return path;
  }

  async function collect(events: AsyncIterable<TakopiEvent>): Promise<TakopiEvent[]> {
    const out: TakopiEvent[] = [];
    for await (const e of events) out.push(e);
    return out;
  }

  test("new session: full id from the header, retries as notes, failure from stopReason at exit 0", async () => {
    const command = fakeCli("pi-retry", "api_500_default_retries.jsonl", 0);
    const agentDir = join(dir, "agent");
    const runner = createPiRunner(
      { command, provider: "fake", model: "fake-model" },
      { locks: new ThreadLocks(), env: { ...process.env, PI_CODING_AGENT_DIR: agentDir, CI: undefined } },
    );
    const events = await collect(runner.run({ prompt: "This will fail", cwd: dir }));
    const id = "01a20c34-b4b9-7256-9cd2-58514f81e9f9";
    expect(outline(events)).toEqual([
      `started ${id} pi`,
      'started note pi.retry "retrying 1/3 after error: 500 fake upstream boom"',
      'updated note pi.retry "retrying 2/3 after error: 500 fake upstream boom"',
      'updated note pi.retry "retrying 3/3 after error: 500 fake upstream boom"',
      'completed note pi.retry "gave up after 3 retries: 500 fake upstream boom" fail',
      `completed fail answer="" error="500 fake upstream boom" resume=${id}`,
    ]);
    const argv = readFileSync(join(dir, "pi-retry.argv"), "utf8").trimEnd().split("\n");
    expect(argv.slice(0, 8)).toEqual([
      "--print",
      "--mode",
      "json",
      "--provider",
      "fake",
      "--model",
      "fake-model",
      "--session",
    ]);
    expect(argv[8]).toStartWith(join(agentDir, "sessions", `--${dir.slice(1).replaceAll("/", "-")}--`, "/"));
    expect(existsSync(dirname(argv[8] ?? ""))).toBe(true);
    expect(argv[9]).toBe("This will fail");
    expect(readFileSync(join(dir, "pi-retry.env"), "utf8")).toBe("1 1\n");
    expect(readFileSync(join(dir, "pi-retry.stdin"), "utf8")).toBe("");
    expect(runner.formatResume({ engine: "pi", value: id })).toBe(`\`pi --session ${id}\``);
  });

  test("resume by full id", async () => {
    const command = fakeCli("pi-resume", "resume.jsonl", 0);
    const runner = createPiRunner({ command }, { locks: new ThreadLocks() });
    const events = await collect(
      runner.run({ prompt: "Now say you resumed", cwd: dir, resume: { engine: "pi", value: FULL } }),
    );
    expect(outline(events)).toEqual([
      `started ${FULL} pi`,
      `completed ok answer="Resumed fine." resume=${FULL}`,
    ]);
    expect(readFileSync(join(dir, "pi-resume.argv"), "utf8").trimEnd().split("\n")).toEqual([
      "--print",
      "--mode",
      "json",
      "--session",
      FULL,
      "Now say you resumed",
    ]);
  });

  test("non-zero exit after agent_end: failure naming stderr, answer kept", async () => {
    const command = fakeCli("pi-crash", "resume.jsonl", 1, "Error: EPIPE");
    const runner = createPiRunner({ command }, { locks: new ThreadLocks() });
    const events = await collect(
      runner.run({ prompt: "p", cwd: dir, resume: { engine: "pi", value: FULL } }),
    );
    expect(outline(events)).toEqual([
      `started ${FULL} pi`,
      'completed warning pi.note.1 "pi failed (rc=1): Error: EPIPE" fail',
      `completed fail answer="Resumed fine." error="pi failed (rc=1): Error: EPIPE" resume=${FULL}`,
    ]);
  });

  test("missing CLI: failure with the install hint", async () => {
    const runner = createPiRunner(
      { command: join(dir, "no-such-pi") },
      { locks: new ThreadLocks(), homeDir: dir },
    );
    const events = await collect(
      runner.run({ prompt: "p", cwd: dir, resume: { engine: "pi", value: FULL } }),
    );
    const done = events.at(-1);
    expect(done?.type === "completed" ? done.error : "").toContain(PI_INSTALL_HINT);
  });
});
