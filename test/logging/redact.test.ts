import { describe, expect, test } from "bun:test";
import { redact } from "../../src/logging/redact";
import { isSerializedError, redactValue } from "../../src/logging/redact-value";

const TOKEN = "123456789:AAHsecretsecretsecret_x-y";

describe("redact", () => {
  test.each([
    [`https://api.telegram.org/bot${TOKEN}/getMe`, "https://api.telegram.org/bot[REDACTED]/getMe"],
    [`token is ${TOKEN}.`, "token is [REDACTED_TOKEN]."],
    ["time 12:30 and ratio 3:4", "time 12:30 and ratio 3:4"],
    ["short 12345:abc stays", "short 12345:abc stays"],
    ["no colon here", "no colon here"],
  ])("%s", (input, expected) => {
    expect(redact(input)).toBe(expected);
  });
});

describe("redactValue", () => {
  test("walks nested objects, arrays, maps, sets and keys", () => {
    const out = redactValue({
      [`key ${TOKEN}`]: 1,
      list: [TOKEN, { inner: `bot${TOKEN}` }],
      map: new Map([["k", TOKEN]]),
      set: new Set([TOKEN]),
      bytes: new TextEncoder().encode(`raw ${TOKEN}`),
      url: new URL(`https://api.telegram.org/bot${TOKEN}/sendMessage`),
      when: new Date(0),
      n: 3,
      missing: null,
    });
    const text = JSON.stringify(out);
    expect(text).not.toContain("AAHsecret");
    expect(out).toEqual({
      "key [REDACTED_TOKEN]": 1,
      list: ["[REDACTED_TOKEN]", { inner: "bot[REDACTED]" }],
      map: { k: "[REDACTED_TOKEN]" },
      set: ["[REDACTED_TOKEN]"],
      bytes: "raw [REDACTED_TOKEN]",
      url: "https://api.telegram.org/bot[REDACTED]/sendMessage",
      when: "1970-01-01T00:00:00.000Z",
      n: 3,
      missing: null,
    });
  });

  test("errors keep type, message, stack, own fields and cause, all redacted", () => {
    const cause = new TypeError(`inner ${TOKEN}`);
    const error = Object.assign(new Error(`request to bot${TOKEN} failed`, { cause }), { error_code: 401 });
    const out = redactValue(error);
    expect(isSerializedError(out)).toBe(true);
    expect(JSON.stringify(out)).not.toContain("AAHsecret");
    expect(out).toMatchObject({
      type: "Error",
      message: "request to bot[REDACTED] failed",
      error_code: 401,
      cause: { type: "TypeError", message: "inner [REDACTED_TOKEN]" },
    });
    expect((out as { stack: string }).stack).toContain("bot[REDACTED]");
  });

  test("cycles and very deep values are cut, never written raw", () => {
    const loop: Record<string, unknown> = { secret: TOKEN };
    loop.self = loop;
    const text = JSON.stringify(redactValue(loop));
    expect(text).not.toContain("AAHsecret");
    expect(text).toContain("[…]");
  });
});
