import { expect, test } from "bun:test";
import { fitLine, partLines, redrawBlock, terminalLines } from "../../src/render/terminal";

test("terminalLines: header, action lines, footer lines", () => {
  expect(
    terminalLines({
      header: "working · codex · 3s · step 2",
      body: "✓ `ls`  \n▸ `pwd`",
      footer: "`ctx: web`  \n`codex resume x`",
    }),
  ).toEqual(["working · codex · 3s · step 2", "✓ `ls`", "▸ `pwd`", "`ctx: web`", "`codex resume x`"]);
  expect(terminalLines({ header: "starting · codex · 0s", body: "", footer: "" })).toEqual([
    "starting · codex · 0s",
  ]);
  expect(partLines("")).toEqual([]);
});

test.each([
  ["short", 80, "short"],
  ["exactly ten", 12, "exactly ten"],
  ["exactly ten", 11, "exactly t…"],
  ["✓ ünïcode", 6, "✓ ün…"],
  ["anything", 0, "anything"],
])("fitLine(%p, %p)", (line, columns, expected) => {
  expect(fitLine(line, columns)).toBe(expected);
});

test.each([
  [0, ["a", "b"], "\x1b[Ja\nb\n"],
  [2, ["a", "b", "c"], "\x1b[2F\x1b[Ja\nb\nc\n"],
  [3, [], "\x1b[3F\x1b[J"],
])("redrawBlock(%p, %p)", (rows, lines, expected) => {
  expect(redrawBlock(rows, lines)).toBe(expected);
});
