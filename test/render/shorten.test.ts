import { expect, test } from "bun:test";
import { collapseWhitespace, shorten } from "../../src/render/shorten";

// Expected values are what Python's textwrap.shorten(text, width, placeholder="…") returns.
test.each([
  ["fits as is", "hello world", 300, "hello world"],
  ["whitespace collapsed even when short", "  a\n\tb   c  ", 300, "a b c"],
  ["non-breaking space counts as whitespace", "a\u00a0\u00a0b", 300, "a b"],
  ["exact width", "abc def", 7, "abc def"],
  ["cut at a word boundary", "hello world again", 12, "hello world…"],
  ["placeholder must fit", "hello world", 10, "hello…"],
  ["single long word becomes just the placeholder", "x".repeat(400), 300, "…"],
  ["long word after a short one", `aaa ${"b".repeat(400)}`, 300, "aaa…"],
  ["cut after a hyphen", "well-known-thing here", 12, "well-known-…"],
  ["no cut inside a dashed flag", "--flag value", 8, "--flag…"],
  ["numbers are not split at hyphens", "1-2-3-4 x", 6, "…"],
  ["code points, not UTF-16 units", "😀😀 😀😀 😀", 6, "😀😀 😀😀…"],
  ["zero width", "abc", 0, ""],
  ["empty", "", 300, ""],
])("%s", (_name, text, width, expected) => {
  expect(shorten(text, width)).toBe(expected);
});

test("default width is 300", () => {
  const words = Array.from({ length: 100 }, (_, i) => `w${i}`).join(" ");
  const out = shorten(words);
  expect(out.endsWith("…")).toBe(true);
  expect(out.length).toBeLessThanOrEqual(300);
  expect(out).toBe(`${words.slice(0, out.length - 1)}…`);
  expect(shorten("short")).toBe("short");
});

test("collapseWhitespace leaves clean text untouched", () => {
  const clean = "already clean";
  expect(collapseWhitespace(clean)).toBe(clean);
  expect(collapseWhitespace(" x ")).toBe("x");
});
