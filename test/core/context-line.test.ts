import { describe, expect, test } from "bun:test";
import { findContextLine, formatContextLine, parseContextLine } from "../../src/core/context-line";

describe("formatContextLine", () => {
  test.each([
    ["takopi", undefined, "`ctx: takopi`"],
    ["Takopi", "feat/x", "`ctx: Takopi @feat/x`"],
    ["web", "", "`ctx: web`"],
  ])("%s @%s", (project, branch, expected) => {
    expect(formatContextLine(project, branch)).toBe(expected);
  });
});

describe("parseContextLine", () => {
  test.each([
    ["`ctx: takopi`", { project: "takopi" }],
    ["`ctx: Takopi @feat/x`", { project: "Takopi", branch: "feat/x" }],
    ["ctx: takopi @main", { project: "takopi", branch: "main" }],
    ["CTX: takopi @ main", { project: "takopi", branch: "main" }],
    ["  `ctx:   web   @dev  `  ", { project: "web", branch: "dev" }],
    ["`ctx: web", { project: "web" }],
    ["ctx: web`", { project: "web" }],
    ["ctx: web @", { project: "web" }],
    ["ctx: web extra", { project: "web" }],
    ["ctx:", undefined],
    ["`ctx: `", undefined],
    ["context: web", undefined],
    ["see ctx: web", undefined],
  ])("%p", (line, expected) => {
    expect(parseContextLine(line)).toEqual(expected);
  });

  test("format and parse round-trip", () => {
    expect(parseContextLine(formatContextLine("Web", "feat/a-b"))).toEqual({
      project: "Web",
      branch: "feat/a-b",
    });
  });
});

describe("findContextLine", () => {
  test.each([
    [
      "done · codex · 3s\n\nanswer\n\n`ctx: web @main`  \n`codex resume x`",
      { project: "web", branch: "main" },
    ],
    ["`ctx: old`\ntext\n`ctx: new @b`", { project: "new", branch: "b" }],
    ["no context here", undefined],
    [undefined, undefined],
  ])("%p", (text, expected) => {
    expect(findContextLine(text)).toEqual(expected);
  });
});
