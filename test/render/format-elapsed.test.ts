import { expect, test } from "bun:test";
import { formatElapsed } from "../../src/render/format-elapsed";

test.each([
  [0, "0s"],
  [999, "0s"],
  [1_000, "1s"],
  [59_999, "59s"],
  [60_000, "1m 00s"],
  [61_000, "1m 01s"],
  [3_599_000, "59m 59s"],
  [3_600_000, "1h 00m"],
  [3_660_000, "1h 01m"],
  [3_661_000, "1h 01m"],
  [36_000_000 + 9 * 60_000, "10h 09m"],
  [-5_000, "0s"],
  [Number.NaN, "0s"],
])("%p ms → %p", (ms, expected) => {
  expect(formatElapsed(ms)).toBe(expected);
});
