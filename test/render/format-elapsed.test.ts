import { expect, test } from "bun:test";
import { formatElapsed } from "../../src/render/format-elapsed";

test.each([
  [0, "0s"],
  [0.999, "0s"],
  [1, "1s"],
  [1.5, "1s"],
  [59.999, "59s"],
  [60, "1m 00s"],
  [61, "1m 01s"],
  [3_599, "59m 59s"],
  [3_600, "1h 00m"],
  [3_660, "1h 01m"],
  [3_661, "1h 01m"],
  [36_000 + 9 * 60, "10h 09m"],
  [-5, "0s"],
  [Number.NaN, "0s"],
])("%p s → %p", (ms, expected) => {
  expect(formatElapsed(ms)).toBe(expected);
});
