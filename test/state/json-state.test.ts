import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import type { Fields, Level, Logger } from "../../src/logging/logger";
import { JsonStateStore, serializeState } from "../../src/state/json-state";

const Prefs = z.object({
  chats: z.record(
    z.string(),
    z.object({ default_engine: z.string().nullable(), trigger_mode: z.string().optional() }),
  ),
});
type Prefs = z.infer<typeof Prefs>;

interface Logged {
  level: Level;
  event: string;
  fields: Fields | undefined;
}

function recordingLogger(into: Logged[]): Logger {
  const at =
    (level: Level) =>
    (event: string, fields?: Fields): void => {
      into.push({ level, event, fields });
    };
  const logger: Logger = {
    debug: at("debug"),
    info: at("info"),
    warning: at("warning"),
    error: at("error"),
    critical: at("critical"),
    isEnabled: () => true,
    child: () => logger,
  };
  return logger;
}

let dir: string;
let file: string;
let logged: Logged[];

function open(version = 1): JsonStateStore<Prefs> {
  return new JsonStateStore({
    path: file,
    version,
    schema: Prefs,
    empty: () => ({ chats: {} }),
    logger: recordingLogger(logged),
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "takopi-state-"));
  file = join(dir, "telegram_chat_prefs_state.json");
  logged = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("writing", () => {
  test("missing file starts empty; update writes versioned, sorted, indented JSON with a newline", () => {
    const store = open();
    expect(store.read()).toEqual({ chats: {} });
    expect(
      store.update((draft) => {
        draft.chats["42"] = { trigger_mode: "mentions", default_engine: "claude" };
      }),
    ).toBe(true);
    expect(readFileSync(file, "utf8")).toBe(
      `{\n  "chats": {\n    "42": {\n      "default_engine": "claude",\n      "trigger_mode": "mentions"\n    }\n  },\n  "version": 1\n}\n`,
    );
    expect(readdirSync(dir)).toEqual(["telegram_chat_prefs_state.json"]);
    expect(logged).toEqual([]);
  });

  test("null values are written as null; data round-trips through a new store", () => {
    open().replace({ chats: { "-100": { default_engine: null } } });
    expect(open().read()).toEqual({ chats: { "-100": { default_engine: null } } });
  });

  test("serializeState sorts keys at every level", () => {
    expect(serializeState({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 0 } })).toBe(
      `{\n  "a": {\n    "c": 0,\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n`,
    );
  });

  test("the write replaces the file atomically (new inode, no temp left behind)", () => {
    const store = open();
    store.update((d) => {
      d.chats.a = { default_engine: "codex" };
    });
    const before = statSync(file).ino;
    store.update((d) => {
      d.chats.b = { default_engine: "pi" };
    });
    expect(statSync(file).ino).not.toBe(before);
    expect(readdirSync(dir)).toEqual(["telegram_chat_prefs_state.json"]);
  });

  test("a failed write is logged, not thrown, and the state is kept in memory", () => {
    writeFileSync(join(dir, "blocker"), "");
    const store = new JsonStateStore({
      path: join(dir, "blocker", "state.json"),
      version: 1,
      schema: Prefs,
      empty: () => ({ chats: {} }),
      logger: recordingLogger(logged),
    });
    expect(
      store.update((d) => {
        d.chats.x = { default_engine: "codex" };
      }),
    ).toBe(false);
    expect(store.read()).toEqual({ chats: { x: { default_engine: "codex" } } });
    expect(logged.map((l) => [l.level, l.event])).toEqual([["warning", "state.write_failed"]]);
  });
});

describe("reloading", () => {
  test("a change on disk by someone else is picked up by read()", () => {
    const store = open();
    store.update((d) => {
      d.chats.a = { default_engine: "codex" };
    });
    expect(store.read().chats.a?.default_engine).toBe("codex");
    open().update((d) => {
      d.chats.b = { default_engine: "claude" };
    });
    expect(Object.keys(store.read().chats).sort()).toEqual(["a", "b"]);
    writeFileSync(file, serializeState({ version: 1, chats: { c: { default_engine: "opencode" } } }));
    expect(store.read()).toEqual({ chats: { c: { default_engine: "opencode" } } });
  });

  test("update() starts from the latest file, not a stale copy", () => {
    const first = open();
    const second = open();
    first.update((d) => {
      d.chats.a = { default_engine: "codex" };
    });
    second.update((d) => {
      d.chats.b = { default_engine: "pi" };
    });
    expect(Object.keys(open().read().chats).sort()).toEqual(["a", "b"]);
  });

  test("a deleted file means a fresh start", () => {
    const store = open();
    store.update((d) => {
      d.chats.a = { default_engine: "codex" };
    });
    unlinkSync(file);
    expect(store.read()).toEqual({ chats: {} });
  });
});

describe("bad files are moved aside, the store starts empty", () => {
  test.each([
    ["invalid JSON", '{"version": 1, "chats": {', "invalid JSON"],
    ["not an object", "[1, 2]", "not a JSON object"],
    ["wrong version", '{"version": 2, "chats": {}}', "version 2, expected 1"],
    ["missing version", '{"chats": {}}', "version null, expected 1"],
    [
      "wrong shape",
      '{"version": 1, "chats": {"1": {"default_engine": 5}}}',
      "unexpected shape at chats.1.default_engine",
    ],
  ])("%s", (_name, content, reason) => {
    writeFileSync(file, content);
    const store = open();
    expect(store.read()).toEqual({ chats: {} });
    const aside = readdirSync(dir).filter((name) =>
      name.startsWith("telegram_chat_prefs_state.json.corrupt-"),
    );
    expect(aside).toHaveLength(1);
    expect(aside[0]).toMatch(/\.corrupt-\d{8}T\d{9}Z$/);
    expect(readFileSync(join(dir, aside[0] ?? ""), "utf8")).toBe(content);
    expect(logged).toHaveLength(1);
    expect(logged[0]?.level).toBe("warning");
    expect(logged[0]?.event).toBe("state.moved_aside");
    expect(String(logged[0]?.fields?.reason)).toStartWith(reason);
    expect(logged[0]?.fields?.moved_to).toBe(join(dir, aside[0] ?? ""));
    // The next write starts a clean file.
    store.update((d) => {
      d.chats.z = { default_engine: "codex" };
    });
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({
      version: 1,
      chats: { z: { default_engine: "codex" } },
    });
  });

  test("a file corrupted while running is moved aside on the next read", () => {
    const store = open();
    store.update((d) => {
      d.chats.a = { default_engine: "codex" };
    });
    writeFileSync(file, "garbage!");
    expect(store.read()).toEqual({ chats: {} });
    expect(logged.map((l) => l.event)).toEqual(["state.moved_aside"]);
    expect(store.read()).toEqual({ chats: {} });
    expect(logged).toHaveLength(1);
  });
});
