import { describe, expect, test } from "bun:test";
import { ConfigError } from "../../src/config/errors";
import { engineCommand, loadConfig, requireTelegram } from "../../src/config/load";
import { MINIMAL, read, tempConfig } from "./support";

const noEnv = { HOME: "/nonexistent-home" };

function loadError(path: string, env: Record<string, string> = noEnv): ConfigError {
  try {
    loadConfig({ path, env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  test("returns the typed config and the absolute path", () => {
    const path = tempConfig(MINIMAL);
    const loaded = loadConfig({ path, env: noEnv });
    expect(loaded.path).toBe(path);
    expect(loaded.config.transports.telegram?.chat_id).toBe(123);
    expect(loaded.migrations).toEqual([]);
    expect(loaded.engineErrors).toEqual({});
  });

  test("TAKOPI_CONFIG is used when no path is given", () => {
    const path = tempConfig(MINIMAL);
    expect(loadConfig({ env: { ...noEnv, TAKOPI_CONFIG: path } }).path).toBe(path);
  });

  test("a legacy file is migrated and rewritten", () => {
    const path = tempConfig(
      'bot_token = "1:x"\nchat_id = 77\n\n[transports.telegram.topics]\nmode = "multi_project_chat"\n',
    );
    const loaded = loadConfig({ path, env: noEnv });
    expect(loaded.migrations).toEqual(["legacy-telegram", "topics-scope"]);
    expect(loaded.config.transports.telegram).toMatchObject({
      bot_token: "1:x",
      chat_id: 77,
      topics: { scope: "main" },
    });
    const text = read(path);
    expect(text).not.toContain("mode");
    expect(text).toContain('transport = "telegram"');
    expect(text).toContain('[transports.telegram]\nbot_token = "1:x"\nchat_id = 77');
    expect(loadConfig({ path, env: noEnv }).migrations).toEqual([]);
  });

  test("TAKOPI__* environment overrides win over the file, deeply", () => {
    const path = tempConfig(`default_engine = "codex"\n${MINIMAL}`);
    const { config } = loadConfig({
      path,
      env: {
        ...noEnv,
        TAKOPI__DEFAULT_ENGINE: "claude",
        TAKOPI__TRANSPORTS__TELEGRAM__CHAT_ID: "456",
        TAKOPI__TRANSPORTS__TELEGRAM__TOPICS__ENABLED: "true",
        TAKOPI__CODEX__EXTRA_ARGS: '["-c", "a=1"]',
        TAKOPI__WATCH_CONFIG: "",
      },
    });
    expect(config.default_engine).toBe("claude");
    expect(config.transports.telegram).toMatchObject({
      bot_token: "123:abc",
      chat_id: 456,
      topics: { enabled: true },
    });
    expect(config.codex.extra_args).toEqual(["-c", "a=1"]);
    expect(config.watch_config).toBe(false);
    expect(read(path)).toContain("chat_id = 123");
  });

  test("an invalid override is named in the error", () => {
    const path = tempConfig(MINIMAL);
    expect(loadError(path, { ...noEnv, TAKOPI__TRANSPORTS__TELEGRAM__CHAT_ID: "abc" }).message).toBe(
      `Invalid config in ${path}: transports.telegram.chat_id: expected an integer (or a numeric string), got "abc" (from TAKOPI__TRANSPORTS__TELEGRAM__CHAT_ID)`,
    );
  });

  test("several problems give one line each", () => {
    const path = tempConfig(`watch_config = "maybe"\n${MINIMAL}session_mode = "x"\n`);
    const message = loadError(path).message;
    expect(message.split("\n")).toEqual([
      `Invalid config in ${path}:`,
      '  - watch_config: expected true or false, got "maybe"',
      '  - transports.telegram.session_mode: expected one of "stateless", "chat", got "x"',
    ]);
  });

  test("a broken table of a non-default engine is tolerated and reported", () => {
    const path = tempConfig(`${MINIMAL}[pi]\nextra_args = "x"\n`);
    const loaded = loadConfig({ path, env: noEnv });
    expect(loaded.engineErrors).toEqual({ pi: 'pi.extra_args: expected a list of strings, got "x"' });
    expect(loaded.config.pi.extra_args).toEqual([]);
  });

  test("a broken table of the default engine is fatal", () => {
    const path = tempConfig(`default_engine = "pi"\n${MINIMAL}[pi]\nextra_args = "x"\n`);
    expect(loadError(path).message).toContain("pi.extra_args: expected a list of strings");
  });

  test("missing file and malformed TOML name the file", () => {
    const dir = tempConfig(MINIMAL).replace(/takopi\.toml$/, "");
    expect(loadError(`${dir}missing.toml`).message).toBe(`Missing config file ${dir}missing.toml.`);
    const bad = tempConfig("[transports\n");
    expect(loadError(bad).message).toStartWith(`Malformed TOML in ${bad}: `);
  });
});

test("requireTelegram and engineCommand", () => {
  const path = tempConfig('[transports]\n[claude]\ncommand = "/opt/claude"\n');
  const { config } = loadConfig({ path, env: noEnv });
  expect(() => requireTelegram(config, path)).toThrow(`Missing [transports.telegram] in ${path}.`);
  expect(engineCommand(config, "claude")).toBe("/opt/claude");
  expect(engineCommand(config, "codex")).toBe("codex");
});

test("env overrides reach tables whose names are not lowercase", () => {
  const path = tempConfig(`${MINIMAL}[projects.Web]\npath = "/w"\n`);
  const { config } = loadConfig({ path, env: { ...noEnv, TAKOPI__PROJECTS__WEB__CHAT_ID: "5" } });
  expect(config.projects).toEqual({ Web: { path: "/w", worktrees_dir: ".worktrees", chat_id: 5 } });
});
