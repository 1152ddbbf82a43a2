import { describe, expect, test } from "bun:test";
import { flatten, getAt, parseKeyPath, setAt, unsetAt } from "../../src/config/key-path";
import type { RawTable } from "../../src/config/toml-file";
import { formatLiteral, parseLiteral } from "../../src/config/toml-literal";

describe("parseKeyPath", () => {
  test.each([
    ["", "Invalid key path; expected a non-empty value."],
    ["a..b", "Invalid key path 'a..b'; empty segment."],
    ["a.b c", "Invalid key segment 'b c' in 'a.b c'; use only letters, numbers, '_' or '-'."],
  ])("%p is refused", (key, message) => {
    expect(() => parseKeyPath(key)).toThrow(message);
  });
  test("splits on dots", () => {
    expect(parseKeyPath("transports.telegram.chat_id")).toEqual(["transports", "telegram", "chat_id"]);
  });
});

describe("get/set/unset", () => {
  test("set creates tables; a non-table on the way is an error", () => {
    const t: Record<string, never> = {};
    setAt(t, ["a", "b", "c"], 1n, "f.toml");
    expect(getAt(t, ["a", "b", "c"])).toBe(1n);
    expect(() => setAt(t, ["a", "b", "c", "d"], 1n, "f.toml")).toThrow(
      "Invalid `a.b.c` in f.toml; expected a table.",
    );
  });
  test("unset prunes empty parents and reports missing keys", () => {
    const t: RawTable = { a: { b: { c: 1n } }, keep: { x: 1n, y: { z: 1n } } };
    expect(unsetAt(t, ["a", "b", "c"])).toBe(true);
    expect(t).toEqual({ keep: { x: 1n, y: { z: 1n } } } as RawTable);
    expect(unsetAt(t, ["keep", "y", "z"])).toBe(true);
    expect(t).toEqual({ keep: { x: 1n } } as RawTable);
    expect(unsetAt(t, ["nope"])).toBe(false);
    expect(unsetAt(t, ["keep", "x", "deeper"])).toBe(false);
    expect(unsetAt(t, ["keep"])).toBe(true);
    expect(t).toEqual({} as RawTable);
  });
  test("flatten sorts keys at each level", () => {
    expect(flatten({ b: 1n, a: { z: "x", c: [1n] }, "odd key": true })).toEqual([
      ["a.c", [1n]],
      ["a.z", "x"],
      ["b", 1n],
      ['"odd key"', true],
    ]);
  });
});

describe("literals", () => {
  test.each([
    ["123", 123n],
    ["-5", -5n],
    ["1.5", 1.5],
    ["true", true],
    ['"quoted"', "quoted"],
    ['["a", "b"]', ["a", "b"]],
    ["hello", "hello"],
    ["False", "False"],
    ["1\nb = 2", "1\nb = 2"],
    ["", ""],
  ])("parseLiteral(%p)", (text, value) => {
    expect(parseLiteral(text)).toEqual(value);
  });
  test.each([
    [123n, "123"],
    [1, "1.0"],
    [0.5, "0.5"],
    ['say "hi"', '"say \\"hi\\""'],
    [[1n, "x"], '[1, "x"]'],
    [{ a: 1n, "b c": false }, '{ a = 1, "b c" = false }'],
    [{}, "{}"],
  ])("formatLiteral(%p)", (value, text) => {
    expect(formatLiteral(value)).toBe(text);
  });
});
