import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TakopiEvent } from "../../../src/model";
import {
  codexArgv,
  codexEngineSpec,
  createCodexRunner,
  extractCodexResume,
  formatCodexResume,
  isCodexResumeLine,
} from "../../../src/runners/codex/runner";
import type { RunRequest } from "../../../src/runners/runner";
import { outline } from "../../support/translator-replay";

const base: RunRequest = { prompt: "hello", cwd: "/repo" };
const resumed: RunRequest = { ...base, resume: { engine: "codex", value: "T1" } };
const TAIL = ["exec", "--json", "--skip-git-repo-check", "--color=never"];

describe("codexArgv", () => {
  test.each([
    ["defaults", base, {}, ["codex", "-c", "notify=[]", ...TAIL, "-"]],
    ["resume", resumed, {}, ["codex", "-c", "notify=[]", ...TAIL, "resume", "T1", "-"]],
    [
      "extra args replace the default",
      base,
      { extraArgs: ["--full-auto"] },
      ["codex", "--full-auto", ...TAIL, "-"],
    ],
    ["empty extra args", base, { extraArgs: [] }, ["codex", ...TAIL, "-"]],
    ["profile", base, { profile: "work" }, ["codex", "-c", "notify=[]", "--profile", "work", ...TAIL, "-"]],
    [
      "model and reasoning overrides",
      { ...base, options: { model: "gpt-5", reasoning: "high" } },
      {},
      ["codex", "-c", "notify=[]", "--model", "gpt-5", "-c", "model_reasoning_effort=high", ...TAIL, "-"],
    ],
    [
      "everything, resumed",
      { ...resumed, options: { model: "o3", reasoning: "low" } },
      { extraArgs: ["-c", "a=1"], profile: "p" },
      [
        "codex",
        "-c",
        "a=1",
        "--profile",
        "p",
        "--model",
        "o3",
        "-c",
        "model_reasoning_effort=low",
        ...TAIL,
        "resume",
        "T1",
        "-",
      ],
    ],
    [
      "empty overrides are ignored",
      { ...base, options: { model: "", reasoning: "" } },
      { profile: "" },
      ["codex", "-c", "notify=[]", ...TAIL, "-"],
    ],
  ] as const)("%s", (_name, request, options, expected) => {
    expect(codexArgv(request, "codex", options)).toEqual([...expected]);
  });

  test("the prompt never goes in argv (it is written to stdin)", () => {
    const argv = codexArgv({ ...base, prompt: "--dangerous" }, "/bin/codex");
    expect(argv).not.toContain("--dangerous");
    expect(argv[0]).toBe("/bin/codex");
    expect(codexEngineSpec().stdin).toEqual({ kind: "prompt" });
  });
});

describe("codex resume lines", () => {
  test("format", () => {
    expect(formatCodexResume({ engine: "codex", value: "019b-abc" })).toBe("`codex resume 019b-abc`");
  });

  test.each([
    ["`codex resume abc`", "abc"],
    ["codex resume abc", "abc"],
    ["  `codex resume abc`  ", "abc"],
    ["CODEX Resume abc", "abc"],
    ["done.\n\n`codex resume first`\nmore\n`codex resume second`", "second"],
    ["text\r\ncodex resume crlf\r\n", "crlf"],
    ["`codex resume abc", "abc"],
    ["please run codex resume abc", undefined],
    ["codex resume abc extra", undefined],
    ["codex resume", undefined],
    ["`claude --resume abc`", undefined],
    ["", undefined],
  ])("extract %p → %p", (text, value) => {
    expect(extractCodexResume(text)).toEqual(value === undefined ? undefined : { engine: "codex", value });
  });

  test.each([
    ["`codex resume abc`", true],
    ["codex  resume  abc", true],
    ["codex resume abc def", false],
    ["say codex resume abc", false],
  ])("isResumeLine %p → %p", (line, expected) => {
    expect(isCodexResumeLine(line)).toBe(expected);
  });

  test("round trip", () => {
    const token = { engine: "codex", value: "01a20c3b-ed72-7293-898e-7d923efc05b2" };
    expect(extractCodexResume(`answer\n\n${formatCodexResume(token)}`)).toEqual(token);
  });
});

describe("codexEngineSpec", () => {
  test("env is takopi's, unchanged; install hint; decode and resume wired", () => {
    const spec = codexEngineSpec();
    expect(spec.engine).toBe("codex");
    expect(spec.env({ PATH: "/bin", OPENAI_API_KEY: "k" })).toEqual({ PATH: "/bin", OPENAI_API_KEY: "k" });
    expect(spec.installHint).toBe("npm install -g @openai/codex");
    expect(spec.decode({ type: "turn.started" })).toEqual({ ok: true, value: { type: "turn.started" } });
    expect(spec.formatResume({ engine: "codex", value: "x" })).toBe("`codex resume x`");
  });

  test("the translator is titled with the profile", () => {
    const t = codexEngineSpec({ profile: "work" }).newTranslator(base);
    expect(t.translate({ type: "thread.started", thread_id: "t" })).toMatchObject([
      { type: "started", title: "work" },
    ]);
  });
});

describe("createCodexRunner (real subprocess)", () => {
  const dir = mkdtempSync(join(tmpdir(), "takopi-codex-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const fixture = join(import.meta.dir, "../../../../shared/fixtures/engines/codex/new_thread_command.jsonl");

  /** A fake `codex`: records argv and stdin, replays a fixture, exits with `rc`. */
  function fakeCodex(name: string, rc = 0, stderr = ""): string {
    const path = join(dir, name);
    writeFileSync(
      path,
      [
        "#!/bin/sh",
        `printf '%s\\n' "$@" > "${path}.argv"`,
        `cat > "${path}.stdin"`,
        `cat "${fixture}"`,
        stderr ? `echo "${stderr}" >&2` : "",
        `exit ${rc}`,
      ].join("\n"),
    );
    chmodSync(path, 0o755);
    return path;
  }

  async function collect(iter: AsyncIterable<TakopiEvent>): Promise<TakopiEvent[]> {
    const out: TakopiEvent[] = [];
    for await (const e of iter) out.push(e);
    return out;
  }

  test("prompt on stdin, argv as configured, events translated", async () => {
    const command = fakeCodex("codex-ok");
    const runner = createCodexRunner({ command, profile: "work" });
    const events = await collect(runner.run({ prompt: "do it", cwd: dir, options: { model: "m1" } }));
    expect(outline(events)).toEqual([
      "started 01a20c3b-ed72-7293-898e-7d923efc05b2 work",
      'started turn turn_0 "turn started"',
      `started command item_0 "/bin/bash -lc 'echo hello-from-tool'"`,
      `completed command item_0 "/bin/bash -lc 'echo hello-from-tool'" ok`,
      'completed ok answer="All done." resume=01a20c3b-ed72-7293-898e-7d923efc05b2',
    ]);
    expect(readFileSync(`${command}.stdin`, "utf8")).toBe("do it");
    expect(readFileSync(`${command}.argv`, "utf8").trim().split("\n")).toEqual([
      "-c",
      "notify=[]",
      "--profile",
      "work",
      "--model",
      "m1",
      ...TAIL,
      "-",
    ]);
    expect(runner.formatResume({ engine: "codex", value: "x" })).toBe("`codex resume x`");
  });

  test("a missing CLI is reported with the install hint", async () => {
    const runner = createCodexRunner({ command: join(dir, "no-such-codex") });
    const events = await collect(runner.run(base));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "completed", ok: false });
    expect(events[0]?.type === "completed" && events[0].error).toContain("npm install -g @openai/codex");
  });
});
