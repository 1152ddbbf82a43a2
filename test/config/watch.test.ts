import { afterEach, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import type { ConfigError } from "../../src/config/errors";
import type { LoadedConfig } from "../../src/config/load";
import { type ConfigWatcher, transportChanges, watchConfig } from "../../src/config/watch";
import { MINIMAL, tempConfig } from "./support";

let watcher: ConfigWatcher | undefined;
afterEach(() => watcher?.close());

function until<T>(get: () => T | undefined, ms = 3000): Promise<T> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      const value = get();
      if (value !== undefined) resolve(value);
      else if (Date.now() - start > ms) reject(new Error("timed out"));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

test("a changed file is reloaded; a broken one is reported and the old config kept", async () => {
  const path = tempConfig(MINIMAL);
  const loads: LoadedConfig[] = [];
  const errors: ConfigError[] = [];
  watcher = watchConfig(path, (l) => loads.push(l), {
    debounceMs: 20,
    env: {},
    onError: (e) => errors.push(e),
  });
  await Bun.sleep(50);
  writeFileSync(path, `default_engine = "claude"\n${MINIMAL}`);
  const loaded = await until(() => loads[0]);
  expect(loaded.config.default_engine).toBe("claude");

  writeFileSync(path, `default_engine = ""\n${MINIMAL}`);
  const error = await until(() => errors[0]);
  expect(error.message).toBe(
    `Invalid config in ${path}: default_engine: expected a non-empty string, got ""`,
  );
  expect(loads).toHaveLength(1);
});

test("transportChanges lists the keys that need a restart", () => {
  const base = {
    bot_token: "1:x",
    chat_id: 1,
    topics: { enabled: false, scope: "auto" as const },
  };
  expect(
    transportChanges(
      base as never,
      { ...base, chat_id: 2, topics: { enabled: true, scope: "auto" } } as never,
    ),
  ).toEqual(["chat_id", "topics"]);
  expect(transportChanges(base as never, base as never)).toEqual([]);
  expect(transportChanges(undefined, base as never)).toEqual(["transports.telegram"]);
});
