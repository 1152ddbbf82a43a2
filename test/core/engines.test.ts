import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../src/config/errors";
import { validateConfig } from "../../src/config/load";
import type { RawTable } from "../../src/config/toml-file";
import { buildRouter, buildRunnerEntries } from "../../src/core/engines";

let bin: string;
let elsewhere: string;

function executable(dir: string, name: string): string {
  const path = join(dir, name);
  writeFileSync(path, "#!/bin/sh\nexit 0\n");
  chmodSync(path, 0o755);
  return path;
}

beforeAll(() => {
  bin = mkdtempSync(join(tmpdir(), "takopi-engines-bin-"));
  elsewhere = mkdtempSync(join(tmpdir(), "takopi-engines-other-"));
  executable(bin, "codex");
  executable(bin, "claude");
});
afterAll(() => {
  rmSync(bin, { recursive: true, force: true });
  rmSync(elsewhere, { recursive: true, force: true });
});

function config(raw: RawTable) {
  return validateConfig({ transports: {}, ...raw }, "/cfg/takopi.toml", { lenientEngines: true });
}

describe("buildRunnerEntries", () => {
  test("CLIs on PATH are ok, the rest missing with an install hint", () => {
    const { config: cfg } = config({});
    const entries = buildRunnerEntries(cfg, { env: { PATH: bin } });
    expect(entries.map((e) => [e.engine, e.status])).toEqual([
      ["codex", "ok"],
      ["claude", "ok"],
      ["opencode", "missing_cli"],
      ["pi", "missing_cli"],
    ]);
    expect(entries[2]?.issue).toBe(
      "opencode CLI not found (`opencode`). Install it with `npm install -g opencode-ai@latest`, " +
        "or set `command` under `[opencode]` in takopi.toml.",
    );
    expect(entries.every((e) => e.runner?.engine === e.engine)).toBe(true);
  });

  test("the `command` key locates a CLI outside PATH", () => {
    const pi = executable(elsewhere, "my-pi");
    const { config: cfg } = config({ pi: { command: pi }, opencode: { command: join(elsewhere, "nope") } });
    const entries = buildRunnerEntries(cfg, { env: { PATH: bin } });
    expect(entries.find((e) => e.engine === "pi")?.status).toBe("ok");
    const opencode = entries.find((e) => e.engine === "opencode");
    expect(opencode?.status).toBe("missing_cli");
    expect(opencode?.issue).toContain(`(\`${join(elsewhere, "nope")}\`)`);
  });

  test("a broken table of a non-default engine is bad_config and still usable", () => {
    const { config: cfg, engineErrors } = config({ claude: { model: 5 } });
    expect(Object.keys(engineErrors)).toEqual(["claude"]);
    const router = buildRouter(cfg, { env: { PATH: bin }, engineErrors });
    const claude = router.entry("claude");
    expect(claude?.status).toBe("bad_config");
    expect(claude?.issue).toStartWith("invalid [claude] config, using defaults: ");
    expect(claude?.issue).toContain("model");
    expect(router.availableEngines()).toEqual(["claude", "codex"]);
  });
});

describe("buildRouter", () => {
  test("default engine from config, or the override", () => {
    const { config: cfg } = config({ default_engine: "claude" });
    expect(buildRouter(cfg, { env: { PATH: bin } }).defaultEngine).toBe("claude");
    expect(buildRouter(cfg, { env: { PATH: bin }, defaultEngine: "pi" }).defaultEngine).toBe("pi");
  });

  test.each([
    [
      { default_engine: "gpt" },
      {},
      "unknown default_engine `gpt` in /cfg/takopi.toml; available engines: codex, claude, opencode, pi",
    ],
    [
      {},
      { defaultEngine: "cursor" },
      "unknown engine `cursor`; available engines: codex, claude, opencode, pi",
    ],
  ])("unknown engine %p %p", (raw, opts, message) => {
    const { config: cfg } = config(raw);
    expect(() => buildRouter(cfg, { env: { PATH: bin }, configPath: "/cfg/takopi.toml", ...opts })).toThrow(
      new ConfigError(message),
    );
  });

  test("resume lines of every engine are recognised, installed or not", () => {
    const { config: cfg } = config({});
    const router = buildRouter(cfg, { env: { PATH: bin } });
    expect(router.resolveResume("`pi --session abc`")).toEqual({ engine: "pi", value: "abc" });
    expect(router.lookup("pi")).toEqual({
      error:
        "engine `pi` is unavailable: pi CLI not found (`pi`). Install it with " +
        "`npm install -g @mariozechner/pi-coding-agent`, or set `command` under `[pi]` in takopi.toml.",
    });
  });
});
