import { describe, expect, test } from "bun:test";
import { DirectiveError, parseDirectives } from "../../src/core/directives";

const vocab = {
  engines: new Set(["codex", "claude", "opencode", "pi"]),
  projects: new Set(["takopi", "web"]),
  botUsername: "takopi_bot",
};

describe("parseDirectives", () => {
  test.each([
    ["plain prompt", "fix the bug", { prompt: "fix the bug" }],
    ["engine", "/claude fix it", { engine: "claude", prompt: "fix it" }],
    ["engine with bot suffix", "/Claude@takopi_bot fix", { engine: "claude", prompt: "fix" }],
    ["project and branch", "/web @feat/x do it", { project: "web", branch: "feat/x", prompt: "do it" }],
    [
      "any order",
      "@main /codex /takopi go",
      { engine: "codex", project: "takopi", branch: "main", prompt: "go" },
    ],
    ["stops at unknown command", "/codex /unknown go", { engine: "codex", prompt: "/unknown go" }],
    ["lone slash stops", "/ codex", { prompt: "/ codex" }],
    ["only first non-empty line", "\n\nhello\n/codex later", { prompt: "hello\n/codex later" }],
    ["line dropped when consumed", "/pi\nsecond line", { engine: "pi", prompt: "second line" }],
    ["bot mention is not a branch", "@takopi_bot hi", { prompt: "hi" }],
    ["mention case-insensitive", "@TakoPi_Bot /claude hi", { engine: "claude", prompt: "hi" }],
    ["empty", "   ", { prompt: "" }],
  ])("%s", (_name, input, expected) => {
    expect(parseDirectives(input, vocab)).toEqual(expected);
  });

  test.each([
    ["/codex /claude x", "multiple engine directives"],
    ["/web /takopi x", "multiple project directives"],
    ["@a @b x", "multiple @branch directives"],
  ])("%s is an error", (input, message) => {
    expect(() => parseDirectives(input, vocab)).toThrow(new DirectiveError(message));
  });
});
