import { describe, expect, test } from "bun:test";
import { EngineUnavailableError, Router, RouterError, type RunnerEntry } from "../../src/core/router";
import type { ResumeToken, TakopiEvent } from "../../src/model";
import { createClaudeRunner } from "../../src/runners/claude/runner";
import { createCodexRunner } from "../../src/runners/codex/runner";
import { createOpencodeRunner } from "../../src/runners/opencode/runner";
import { createPiRunner } from "../../src/runners/pi/runner";
import type { Runner } from "../../src/runners/runner";

/** A runner whose resume line is `` `<engine> resume <id>` ``; it never runs anything. */
function fakeRunner(engine: string): Runner {
  const pattern = `^\\s*\`?${engine}\\s+resume\\s+(\\S+?)\`?\\s*$`;
  return {
    engine,
    // biome-ignore lint/correctness/useYield: never run in these tests
    async *run(): AsyncGenerator<TakopiEvent> {
      throw new Error("not runnable");
    },
    formatResume: (t: ResumeToken) => `\`${t.engine} resume ${t.value}\``,
    extractResume(text: string) {
      let value: string | undefined;
      for (const m of text.matchAll(new RegExp(pattern, "gim"))) value = m[1];
      return value === undefined ? undefined : { engine, value };
    },
    isResumeLine: (line: string) => new RegExp(pattern, "i").test(line),
  };
}

const entry = (engine: string, status: RunnerEntry["status"] = "ok", issue?: string): RunnerEntry => ({
  engine,
  status,
  ...(status === "load_error" ? {} : { runner: fakeRunner(engine) }),
  ...(issue ? { issue } : {}),
});

describe("Router with fake runners", () => {
  const router = new Router(
    [
      entry("zeta"),
      entry("alpha"),
      entry("gone", "missing_cli", "gone CLI not found"),
      entry("broken", "load_error"),
    ],
    "zeta",
  );

  test("entries are sorted by engine id", () => {
    expect(router.engineIds()).toEqual(["alpha", "broken", "gone", "zeta"]);
    expect(router.availableEngines()).toEqual(["alpha", "zeta"]);
    expect(router.unavailableEngines()).toEqual(["broken", "gone"]);
    expect(router.defaultEngine).toBe("zeta");
    expect(router.defaultEntry.engine).toBe("zeta");
  });

  test.each([
    ["prompt line", "fix it\n`zeta resume z1`", undefined, { engine: "zeta", value: "z1" }],
    ["prompt wins over reply", "`zeta resume z1`", "`alpha resume a1`", { engine: "zeta", value: "z1" }],
    ["reply when prompt has none", "go on", "done\n\n`alpha resume a1`", { engine: "alpha", value: "a1" }],
    [
      "first runner in router order wins",
      "`zeta resume z1`\n`alpha resume a1`",
      undefined,
      { engine: "alpha", value: "a1" },
    ],
    [
      "last match of one engine wins",
      "alpha resume a1\nalpha resume a2",
      undefined,
      { engine: "alpha", value: "a2" },
    ],
    ["missing CLI still recognised", "gone resume g1", undefined, { engine: "gone", value: "g1" }],
    ["unknown engine line ignored", "other resume x", undefined, undefined],
    ["nothing at all", "", undefined, undefined],
  ])("resolveResume: %s", (_name, text, reply, expected) => {
    expect(router.resolveResume(text, reply)).toEqual(expected);
  });

  test("isResumeLine is the union of the runners", () => {
    expect(router.isResumeLine("zeta resume 1")).toBe(true);
    expect(router.isResumeLine("  `alpha resume 2`  ")).toBe(true);
    expect(router.isResumeLine("gone resume 3")).toBe(true);
    expect(router.isResumeLine("say zeta resume 1")).toBe(false);
  });

  test.each([
    ["keeps other lines", "`zeta resume z1`\nplease continue", "please continue"],
    ["any engine's line", "alpha resume a\nfix\nzeta resume z", "fix"],
    ["only a resume line → continue", "  `alpha resume a1`  ", "continue"],
    ["empty → continue", "", "continue"],
    ["CRLF", "alpha resume a\r\nhello\r\n", "hello"],
  ])("stripResumeLines: %s", (_name, prompt, expected) => {
    expect(router.stripResumeLines(prompt)).toBe(expected);
  });

  test.each([
    ["zeta", "runner"],
    ["gone", "engine `gone` is unavailable: gone CLI not found"],
    ["broken", "engine `broken` is unavailable: it failed to load"],
    ["nope", "unknown engine `nope`. available engines: `alpha, zeta`"],
  ])("lookup(%s)", (engine, expected) => {
    const found = router.lookup(engine);
    if (expected === "runner") expect("runner" in found && found.runner.engine).toBe(engine);
    else expect(found).toEqual({ error: expected });
  });

  test("runnerFor throws a user-facing error for an unavailable engine", () => {
    expect(router.runnerFor().engine).toBe("zeta");
    expect(() => router.runnerFor("gone")).toThrow(EngineUnavailableError);
    expect(() => router.runnerFor("gone")).toThrow("engine `gone` is unavailable: gone CLI not found");
  });

  test("bad_config engines are usable", () => {
    const r = new Router([entry("a"), entry("b", "bad_config", "b.model: expected a string")], "a");
    expect(r.availableEngines()).toEqual(["a", "b"]);
    expect(r.isAvailable("b")).toBe(true);
    expect(r.isAvailable("zz")).toBe(false);
  });

  test("formatResume uses the token's engine", () => {
    expect(router.formatResume({ engine: "alpha", value: "1" })).toBe("`alpha resume 1`");
    expect(() => router.formatResume({ engine: "broken", value: "1" })).toThrow(EngineUnavailableError);
  });

  test.each([
    ["no engines", [], "codex", "no engines are configured"],
    ["duplicate", [entry("a"), entry("a")], "a", "engine `a` is configured twice"],
    [
      "unknown default",
      [entry("b"), entry("a")],
      "c",
      "unknown default engine `c`. available engines: `a, b`",
    ],
  ])("rejects %s", (_name, entries, def, message) => {
    expect(() => new Router(entries, def)).toThrow(new RouterError(message));
  });
});

describe("Router with the real engines' resume lines", () => {
  const router = new Router(
    [
      { engine: "pi", runner: createPiRunner(), status: "ok" },
      { engine: "opencode", runner: createOpencodeRunner(), status: "ok" },
      { engine: "codex", runner: createCodexRunner(), status: "ok" },
      { engine: "claude", runner: createClaudeRunner(), status: "missing_cli" },
    ],
    "codex",
  );
  const uuid = "0199a213-81c0-7800-8aa1-bbab2a035a53";

  test("router order is claude, codex, opencode, pi", () => {
    expect(router.engineIds()).toEqual(["claude", "codex", "opencode", "pi"]);
  });

  test.each([
    ["codex", `\`codex resume ${uuid}\``, { engine: "codex", value: uuid }],
    ["codex plain", `codex resume ${uuid}`, { engine: "codex", value: uuid }],
    ["codex last line wins", "codex resume one\n\ncodex resume two", { engine: "codex", value: "two" }],
    ["codex without id", "codex resume", undefined],
    ["claude --resume", "`claude --resume 8b2d2f3a`", { engine: "claude", value: "8b2d2f3a" }],
    ["claude -r", "claude -r abc", { engine: "claude", value: "abc" }],
    [
      "opencode",
      "`opencode --session ses_494719016ffe85dkDMj0FPRbHK`",
      { engine: "opencode", value: "ses_494719016ffe85dkDMj0FPRbHK" },
    ],
    ["opencode run -s", "opencode run -s ses_abc", { engine: "opencode", value: "ses_abc" }],
    ["opencode needs ses_", "opencode --session abc", undefined],
    ["pi full id", `\`pi --session ${uuid}\``, { engine: "pi", value: uuid }],
    [
      "pi quoted path",
      '`pi --session "/tmp/my sessions/a.jsonl"`',
      { engine: "pi", value: "/tmp/my sessions/a.jsonl" },
    ],
    [
      "claude before codex in router order",
      `codex resume x\nclaude --resume y`,
      { engine: "claude", value: "y" },
    ],
  ])("%s", (_name, text, expected) => {
    expect(router.extractResume(text)).toEqual(expected);
  });

  test("every engine's line round-trips through formatResume", () => {
    for (const engine of router.engineIds()) {
      const token = { engine, value: engine === "opencode" ? "ses_Abc123" : uuid };
      const line = router.formatResume(token);
      expect(router.isResumeLine(line)).toBe(true);
      expect(router.extractResume(`answer\n\n${line}`)).toEqual(token);
      expect(router.stripResumeLines(`${line}\nnext step`)).toBe("next step");
    }
  });

  test("a missing CLI still claims its resume line, and lookup explains", () => {
    expect(router.resolveResume("claude --resume s1")).toEqual({ engine: "claude", value: "s1" });
    expect("error" in router.lookup("claude")).toBe(true);
  });
});
