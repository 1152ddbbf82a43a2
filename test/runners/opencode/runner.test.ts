import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TakopiEvent } from "../../../src/model";
import {
  createOpencodeRunner,
  extractOpencodeResume,
  formatOpencodeResume,
  isOpencodeResumeLine,
  OPENCODE_INSTALL_HINT,
  opencodeArgv,
  opencodeEngineSpec,
} from "../../../src/runners/opencode/runner";
import type { RunRequest } from "../../../src/runners/runner";
import { ThreadLocks } from "../../../src/runners/thread-locks";
import { outline } from "../../support/translator-replay";

const FIXTURES = join(import.meta.dir, "../../../../shared/fixtures/engines/opencode");
const SES = "ses_df3b71aa1ffe1RusQr5HVBzYFO";

describe("opencode argv", () => {
  const req = (fields: Partial<RunRequest> = {}): RunRequest => ({ prompt: "fix it", cwd: "/r", ...fields });
  test.each([
    ["new session", req(), {}, ["oc", "run", "--format", "json", "--", "fix it"]],
    [
      "resume",
      req({ resume: { engine: "opencode", value: SES } }),
      {},
      ["oc", "run", "--format", "json", "--session", SES, "--", "fix it"],
    ],
    [
      "config model",
      req(),
      { model: "openai/gpt-5" },
      ["oc", "run", "--format", "json", "--model", "openai/gpt-5", "--", "fix it"],
    ],
    [
      "/model override beats config",
      req({ options: { model: "anthropic/sonnet" } }),
      { model: "openai/gpt-5" },
      ["oc", "run", "--format", "json", "--model", "anthropic/sonnet", "--", "fix it"],
    ],
    [
      "resume + model, prompt that looks like a flag stays after --",
      req({ prompt: "--help", resume: { engine: "opencode", value: SES }, options: { model: "m" } }),
      {},
      ["oc", "run", "--format", "json", "--session", SES, "--model", "m", "--", "--help"],
    ],
    [
      "reasoning is not an argument",
      req({ options: { reasoning: "high" } }),
      {},
      ["oc", "run", "--format", "json", "--", "fix it"],
    ],
  ])("%s", (_name, request, options, expected) => {
    expect(opencodeArgv(request, "oc", options)).toEqual(expected);
  });

  test("spec: stdin /dev/null, env passed through, install hint", async () => {
    const spec = opencodeEngineSpec({ model: "x/y" });
    expect(spec.engine).toBe("opencode");
    expect(spec.stdin).toEqual({ kind: "devnull" });
    expect(spec.env({ PATH: "/bin", HOME: "/h" })).toEqual({ PATH: "/bin", HOME: "/h" });
    expect(spec.installHint).toBe(OPENCODE_INSTALL_HINT);
    expect(await spec.argv(req(), "/usr/bin/opencode")).toEqual([
      "/usr/bin/opencode",
      "run",
      "--format",
      "json",
      "--model",
      "x/y",
      "--",
      "fix it",
    ]);
  });
});

describe("opencode resume line", () => {
  test("format", () => {
    expect(formatOpencodeResume({ engine: "opencode", value: SES })).toBe(`\`opencode --session ${SES}\``);
  });

  test.each([
    ["backticked --session", `\`opencode --session ${SES}\``, SES],
    ["bare --session", `opencode --session ${SES}`, SES],
    ["run --session", `opencode run --session ${SES}`, SES],
    ["-s short flag", `opencode -s ${SES}`, SES],
    ["run -s", "`opencode run -s ses_abc123`", "ses_abc123"],
    ["indented, trailing spaces", `   opencode --session ${SES}   `, SES],
    ["case-insensitive command", `OpenCode --session ${SES}`, SES],
    ["inside a message", `done.\n\n\`opencode --session ${SES}\`\nthanks`, SES],
    ["last of several wins", "opencode --session ses_first\nopencode -s ses_second", "ses_second"],
    ["not a ses_ id", "opencode --session abc", undefined],
    ["mid-line is not a resume line", `run opencode --session ${SES}`, undefined],
    ["another engine", "`codex resume abc`", undefined],
    ["stops at non-alphanumerics", "opencode --session ses_a-b", undefined],
  ])("extract: %s", (_name, text, expected) => {
    expect(extractOpencodeResume(text)?.value).toBe(expected);
    if (expected) expect(extractOpencodeResume(text)?.engine).toBe("opencode");
  });

  test("round trip and isResumeLine", () => {
    const line = formatOpencodeResume({ engine: "opencode", value: SES });
    expect(extractOpencodeResume(line)).toEqual({ engine: "opencode", value: SES });
    expect(isOpencodeResumeLine(line)).toBe(true);
    expect(isOpencodeResumeLine("opencode -s ses_1")).toBe(true);
    expect(isOpencodeResumeLine("please run opencode")).toBe(false);
    // isResumeLine keeps no state between calls (no global-regex lastIndex).
    expect([1, 2, 3].map(() => isOpencodeResumeLine(line))).toEqual([true, true, true]);
  });
});

describe("opencode runner through a real subprocess", () => {
  const dir = mkdtempSync(join(tmpdir(), "takopi-opencode-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A fake `opencode` that records argv and stdin, prints a fixture, writes stderr and exits with `rc`. */
  function fakeCli(name: string, fixture: string, rc: number, stderr = ""): string {
    const path = join(dir, name);
    writeFileSync(
      path,
      [
        "#!/bin/sh",
        `for a in "$@"; do printf '%s\\n' "$a"; done > '${dir}/${name}.argv'`,
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

  test("resume run: argv, empty stdin, events from the fixture", async () => {
    const command = fakeCli("oc-ok", "resume.jsonl", 0);
    const runner = createOpencodeRunner({ command, model: "fake/model" }, { locks: new ThreadLocks() });
    const events = await collect(
      runner.run({ prompt: "-say hi", cwd: dir, resume: { engine: "opencode", value: SES } }),
    );
    expect(outline(events)).toEqual([
      `started ${SES} fake/model`,
      `completed ok answer="Resumed fine." resume=${SES}`,
    ]);
    expect(readFileSync(join(dir, "oc-ok.argv"), "utf8").trimEnd().split("\n")).toEqual([
      "run",
      "--format",
      "json",
      "--session",
      SES,
      "--model",
      "fake/model",
      "--",
      "-say hi",
    ]);
    expect(readFileSync(join(dir, "oc-ok.stdin"), "utf8")).toBe("");
    expect(runner.formatResume({ engine: "opencode", value: SES })).toBe(`\`opencode --session ${SES}\``);
  });

  test("permission rejected, exit 0: the run fails with the reason", async () => {
    const command = fakeCli("oc-perm", "permission_ask_rejected.jsonl", 0);
    const events = await collect(
      createOpencodeRunner({ command }, { locks: new ThreadLocks() }).run({ prompt: "p", cwd: dir }),
    );
    const done = events.at(-1);
    expect(done?.type === "completed" && done.ok).toBe(false);
    expect(done?.type === "completed" ? done.error : "").toContain("The user rejected permission");
  });

  test("non-zero exit without an error line: message carries the stderr summary", async () => {
    const command = fakeCli("oc-crash", "non_git_dir.jsonl", 3, "Error: database is locked");
    // Drop the last line (step_finish stop) so the exit decides the outcome.
    const truncated = join(dir, "truncated.jsonl");
    writeFileSync(
      truncated,
      readFileSync(join(FIXTURES, "non_git_dir.jsonl"), "utf8").split("\n").slice(0, 2).join("\n"),
    );
    writeFileSync(
      command,
      readFileSync(command, "utf8").replace(join(FIXTURES, "non_git_dir.jsonl"), truncated),
    );
    const events = await collect(
      createOpencodeRunner({ command }, { locks: new ThreadLocks() }).run({ prompt: "p", cwd: dir }),
    );
    expect(outline(events)).toEqual([
      "started ses_df3b9eb68ffegNgRZAJT0xYtpy opencode",
      'completed warning opencode.note.1 "opencode failed (rc=3): Error: database is locked" fail',
      'completed fail answer="No git here." error="opencode failed (rc=3): Error: database is locked" resume=ses_df3b9eb68ffegNgRZAJT0xYtpy',
    ]);
  });

  test("missing CLI: failure with the install hint", async () => {
    const events = await collect(
      createOpencodeRunner({ command: join(dir, "no-such-opencode") }, { locks: new ThreadLocks() }).run({
        prompt: "p",
        cwd: dir,
      }),
    );
    expect(events).toHaveLength(1);
    const done = events[0];
    expect(done?.type === "completed" ? done.error : "").toContain(OPENCODE_INSTALL_HINT);
  });
});
