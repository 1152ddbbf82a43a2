import { expect, test } from "bun:test";
import { migrateConfig } from "../../src/config/migrations";

test("legacy top-level bot_token/chat_id move under [transports.telegram]", () => {
  const raw = { bot_token: "1:x", chat_id: 5n, default_engine: "claude" };
  expect(migrateConfig(raw, "/c.toml")).toEqual(["legacy-telegram"]);
  expect(raw).toEqual({
    default_engine: "claude",
    transport: "telegram",
    transports: { telegram: { bot_token: "1:x", chat_id: 5n } },
  } as never);
});

test("values already under [transports.telegram] win; an explicit transport stays", () => {
  const raw = {
    chat_id: 5n,
    transport: "other",
    transports: { telegram: { bot_token: "1:x", chat_id: 9n } },
  };
  expect(migrateConfig(raw, "/c.toml")).toEqual(["legacy-telegram"]);
  expect(raw).toEqual({
    transport: "other",
    transports: { telegram: { bot_token: "1:x", chat_id: 9n } },
  } as never);
});

test.each([
  ["multi_project_chat", "main"],
  ["per_project_chat", "projects"],
])("topics.mode = %p becomes scope = %p", (mode, scope) => {
  const raw = { transports: { telegram: { topics: { enabled: true, mode } } } };
  expect(migrateConfig(raw, "/c.toml")).toEqual(["topics-scope"]);
  expect(raw.transports.telegram.topics).toEqual({ enabled: true, scope } as never);
});

test("an unknown topics.mode is an error naming the key", () => {
  const raw = { transports: { telegram: { topics: { mode: "weird" } } } };
  expect(() => migrateConfig(raw, "/c.toml")).toThrow(
    "Invalid `transports.telegram.topics.mode` in /c.toml; expected 'multi_project_chat' or 'per_project_chat'.",
  );
});

test("a current config is left alone", () => {
  const raw = { transports: { telegram: { bot_token: "1:x", chat_id: 1n, topics: { scope: "all" } } } };
  const before = structuredClone(raw);
  expect(migrateConfig(raw, "/c.toml")).toEqual([]);
  expect(raw).toEqual(before);
});
