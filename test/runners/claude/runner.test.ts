import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TakopiEvent } from "../../../src/model";
import {
  claudeArgv,
  claudeEngineSpec,
  claudeEnv,
  createClaudeRunner,
  extractClaudeResume,
  formatClaudeResume,
  isClaudeResumeLine,
} from "../../../src/runners/claude/runner";
import type { RunRequest } from "../../../src/runners/runner";
import { outline } from "../../support/translator-replay";

const base: RunRequest = { prompt: "hello", cwd: "/repo" };
const resumed: RunRequest = { ...base, resume: { engine: "claude", value: "S1" } };
const HEAD = ["claude", "-p", "--output-format", "stream-json", "--verbose"];

describe("claudeArgv", () => {
  test.each([
    ["defaults", base, {}, [...HEAD, "--", "hello"]],
    ["resume", resumed, {}, [...HEAD, "--resume", "S1", "--", "hello"]],
    ["config model", base, { model: "sonnet" }, [...HEAD, "--model", "sonnet", "--", "hello"]],
    [
      "override beats config model",
      { ...base, options: { model: "opus" } },
      { model: "sonnet" },
      [...HEAD, "--model", "opus", "--", "hello"],
    ],
    [
      "empty override falls back to config",
      { ...base, options: { model: "" } },
      { model: "sonnet" },
      [...HEAD, "--model", "sonnet", "--", "hello"],
    ],
    [
      "reasoning is not an argument",
      { ...base, options: { reasoning: "high" } },
      {},
      [...HEAD, "--", "hello"],
    ],
    [
      "allowed tools",
      base,
      { allowedTools: ["Bash", "Read", "Edit", "Write"] },
      [...HEAD, "--allowedTools", "Bash,Read,Edit,Write", "--", "hello"],
    ],
    ["no allowed tools", base, { allowedTools: [] }, [...HEAD, "--", "hello"]],
    [
      "skip permissions",
      base,
      { dangerouslySkipPermissions: true },
      [...HEAD, "--dangerously-skip-permissions", "--", "hello"],
    ],
    ["skip permissions off", base, { dangerouslySkipPermissions: false }, [...HEAD, "--", "hello"]],
    [
      "everything",
      { ...resumed, prompt: "-v looks like a flag", options: { model: "haiku" } },
      { model: "sonnet", allowedTools: ["Bash"], dangerouslySkipPermissions: true, useApiBilling: true },
      [
        ...HEAD,
        "--resume",
        "S1",
        "--model",
        "haiku",
        "--allowedTools",
        "Bash",
        "--dangerously-skip-permissions",
        "--",
        "-v looks like a flag",
      ],
    ],
  ] as const)("%s", (_name, request, options, expected) => {
    expect(claudeArgv(request, "claude", options)).toEqual([...expected]);
  });

  test("stdin is closed", () => {
    expect(claudeEngineSpec().stdin).toEqual({ kind: "closed" });
  });
});

describe("claudeEnv", () => {
  const env = { PATH: "/bin", ANTHROPIC_API_KEY: "sk-secret", HOME: "/h" };

  test.each([
    [{}, { PATH: "/bin", HOME: "/h" }],
    [{ useApiBilling: false }, { PATH: "/bin", HOME: "/h" }],
    [{ useApiBilling: true }, env],
  ])("%p", (options, expected) => {
    expect(claudeEnv(env, options)).toEqual(expected);
    expect(env.ANTHROPIC_API_KEY).toBe("sk-secret");
  });

  test("the spec uses it", () => {
    expect(claudeEngineSpec().env(env)).not.toHaveProperty("ANTHROPIC_API_KEY");
  });
});

describe("claude resume lines", () => {
  test("format", () => {
    expect(formatClaudeResume({ engine: "claude", value: "abc-123" })).toBe("`claude --resume abc-123`");
  });

  test.each([
    ["`claude --resume abc`", "abc"],
    ["claude --resume abc", "abc"],
    ["`claude -r abc`", "abc"],
    ["  Claude  -R  abc  ", "abc"],
    ["first\n`claude --resume one`\nthen\n`claude -r two`\n", "two"],
    ["x\r\n`claude --resume crlf`\r\n", "crlf"],
    ["claude --resume", undefined],
    ["claude resume abc", undefined],
    ["claude --resume abc def", undefined],
    ["run claude --resume abc", undefined],
    ["`codex resume abc`", undefined],
  ])("extract %p → %p", (text, value) => {
    expect(extractClaudeResume(text)).toEqual(value === undefined ? undefined : { engine: "claude", value });
  });

  test.each([
    ["`claude --resume abc`", true],
    ["claude -r abc", true],
    ["claude --resume", false],
    ["see `claude --resume abc`", false],
  ])("isResumeLine %p → %p", (line, expected) => {
    expect(isClaudeResumeLine(line)).toBe(expected);
  });

  test("round trip", () => {
    const token = { engine: "claude", value: "cbfa7221-7af5-4a69-bde9-060c6843160c" };
    expect(extractClaudeResume(`done\n\n${formatClaudeResume(token)}`)).toEqual(token);
  });
});

describe("createClaudeRunner (real subprocess)", () => {
  const dir = mkdtempSync(join(tmpdir(), "takopi-claude-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const fixtures = join(import.meta.dir, "../../../../shared/fixtures/engines/claude");

  /** A fake `claude`: records argv, stdin and whether the API key leaked, replays a fixture, exits with `rc`. */
  function fakeClaude(name: string, fixture: string, rc = 0, stderr = ""): string {
    const path = join(dir, name);
    writeFileSync(
      path,
      [
        "#!/bin/sh",
        `printf '%s\\n' "$@" > "${path}.argv"`,
        `cat > "${path}.stdin"`,
        `printf '%s' "\${ANTHROPIC_API_KEY-unset}" > "${path}.key"`,
        `cat "${join(fixtures, fixture)}"`,
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

  test("prompt in argv, stdin closed, API key removed, events translated", async () => {
    const command = fakeClaude("claude-ok", "new_session_bash.jsonl");
    const runner = createClaudeRunner(
      { command, allowedTools: ["Bash", "Read"] },
      { env: { PATH: process.env.PATH, ANTHROPIC_API_KEY: "sk-secret" } },
    );
    const events = await collect(runner.run({ prompt: "do it", cwd: dir }));
    expect(outline(events)).toEqual([
      "started cbfa7221-7af5-4a69-bde9-060c6843160c claude-opus-5-5",
      'started command toolu_fake001abdb40140bc9d403259f "echo hello-from-tool"',
      'completed command toolu_fake001abdb40140bc9d403259f "echo hello-from-tool" ok',
      'completed ok answer="All done." resume=cbfa7221-7af5-4a69-bde9-060c6843160c',
    ]);
    expect(readFileSync(`${command}.argv`, "utf8").trim().split("\n")).toEqual([
      ...HEAD.slice(1),
      "--allowedTools",
      "Bash,Read",
      "--",
      "do it",
    ]);
    expect(readFileSync(`${command}.stdin`, "utf8")).toBe("");
    expect(readFileSync(`${command}.key`, "utf8")).toBe("unset");
  });

  test("an unknown session on resume: one failed result, exit 1, the reason shown", async () => {
    const command = fakeClaude("claude-bad-resume", "resume_unknown_session.jsonl", 1);
    const runner = createClaudeRunner(
      { command, useApiBilling: true },
      { env: { PATH: process.env.PATH, ANTHROPIC_API_KEY: "k" } },
    );
    const token = { engine: "claude", value: "00000000-0000-0000-0000-000000000000" };
    const events = await collect(runner.run({ prompt: "again", cwd: dir, resume: token }));
    expect(outline(events)).toEqual([
      `completed fail answer="" error="No conversation found with session ID: ${token.value}" resume=${token.value}`,
    ]);
    expect(readFileSync(`${command}.key`, "utf8")).toBe("k");
  });

  test("a crash before any output reports the exit code and stderr", async () => {
    const path = join(dir, "claude-crash");
    writeFileSync(path, "#!/bin/sh\necho 'Error: unknown option --verbose' >&2\nexit 2\n");
    chmodSync(path, 0o755);
    const events = await collect(createClaudeRunner({ command: path }).run({ ...base, cwd: dir }));
    expect(events.at(-1)).toMatchObject({
      type: "completed",
      ok: false,
      error: "claude failed (rc=2): Error: unknown option --verbose",
    });
  });
});
