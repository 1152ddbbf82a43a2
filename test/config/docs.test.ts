import { expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { documentedKeys, renderConfigDocs } from "../../src/config/docs";
import { tempDir } from "./support";

test("docs/config.md is generated from the current schema", () => {
  const committed = readFileSync(join(import.meta.dir, "..", "..", "docs", "config.md"), "utf8");
  expect(committed).toBe(renderConfigDocs());
});

test("every key of behaviour §2 and decisions 1-4 is documented", () => {
  const keys = documentedKeys();
  for (const key of [
    "watch_config",
    "default_engine",
    "default_project",
    "transport",
    "transports.telegram.bot_token",
    "transports.telegram.chat_id",
    "transports.telegram.api_root",
    "transports.telegram.media_group_debounce_s",
    "transports.telegram.topics.scope",
    "transports.telegram.files.deny_globs",
    "projects.<alias>.chat_id",
    "plugins.enabled",
    "codex.command",
    "codex.extra_args",
    "claude.use_api_billing",
    "opencode.model",
    "pi.provider",
  ]) {
    expect(keys).toContain(key);
  }
  expect(keys).toHaveLength(new Set(keys).size);
});

test("gen-config-docs --check fails on a stale file", () => {
  const script = join(import.meta.dir, "..", "..", "scripts", "gen-config-docs.ts");
  const ok = Bun.spawnSync([process.execPath, script, "--check"], { stdout: "pipe", stderr: "pipe" });
  expect(ok.exitCode).toBe(0);
  const stale = join(tempDir(), "config.md");
  writeFileSync(stale, renderConfigDocs().replace("watch_config", "watch_konfig"));
  const check = Bun.spawnSync([process.execPath, script, "--check", "--target", stale], {
    stdout: "pipe",
    stderr: "pipe",
  });
  expect(check.exitCode).toBe(1);
  expect(check.stderr.toString()).toContain("docs/config.md is out of date");
  const write = Bun.spawnSync([process.execPath, script, "--target", stale], {
    stdout: "pipe",
    stderr: "pipe",
  });
  expect(write.exitCode).toBe(0);
  expect(readFileSync(stale, "utf8")).toBe(renderConfigDocs());
});
