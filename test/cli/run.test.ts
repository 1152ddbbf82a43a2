// The `takopi` command's setup checks, as a user meets them without a
// terminal (TAKOPI_NO_INTERACTIVE=1, stdin not a TTY): the real CLI process,
// the fake Bot API on 127.0.0.1, temp HOME and config, engine CLIs as plain
// scripts on a PATH we control. Never touches the real ~/.takopi.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";
import { lockPathFor, tokenFingerprint } from "../../src/state/lockfile";
import { FAKE_TOKEN, type FakeTelegram, startFakeTelegram } from "../support/fake-telegram";

const MAIN = resolve(import.meta.dir, "../../src/main.ts");
const CHAT_ID = 1001;
const OTHER_TOKEN = "987654321:AAOtherTokenTheFakeDoesNotKnow_xyz123";

let fake: FakeTelegram;
let dir: string;
let home: string;
let counter = 0;
const procs: Subprocess[] = [];

beforeAll(() => {
  fake = startFakeTelegram();
  fake.createChat();
  dir = mkdtempSync(join(tmpdir(), "takopi-run-"));
  home = join(dir, "home");
  mkdirSync(home);
});
afterEach(() => {
  fake.clearFailures();
  for (const p of procs.splice(0)) p.kill("SIGKILL");
});
afterAll(async () => {
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A directory of executables named like engine CLIs. The bridge only looks them up here. */
function binDir(...engines: string[]): string {
  const bin = join(dir, `bin-${++counter}`);
  mkdirSync(bin);
  for (const engine of engines) {
    writeFileSync(join(bin, engine), "#!/bin/sh\nexit 0\n");
    chmodSync(join(bin, engine), 0o755);
  }
  return bin;
}

/** A config in its own directory, so each test has its own lock file. */
function writeConfig(text: string): string {
  const cfgDir = join(dir, `cfg-${++counter}`);
  mkdirSync(cfgDir);
  const path = join(cfgDir, "takopi.toml");
  writeFileSync(path, text);
  return path;
}

function telegramConfig(opts: { token?: string; extra?: string; top?: string } = {}): string {
  return writeConfig(
    [
      opts.top ?? "",
      "[transports.telegram]",
      `bot_token = "${opts.token ?? FAKE_TOKEN}"`,
      `chat_id = ${CHAT_ID}`,
      `api_root = "${fake.apiRoot}"`,
      opts.extra ?? "",
      "",
    ].join("\n"),
  );
}

function cleanEnv(bin: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith("TAKOPI")) env[k] = v;
  }
  return { ...env, HOME: home, PATH: `${bin}:/usr/bin:/bin`, TAKOPI_NO_INTERACTIVE: "1", ...extra };
}

function spawn(args: string[], env: Record<string, string>) {
  const proc = Bun.spawn([process.execPath, MAIN, ...args], {
    cwd: dir,
    env,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  procs.push(proc);
  return proc;
}

async function takopi(args: string[], env: Record<string, string>) {
  const proc = spawn(args, env);
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { stdout, stderr, code };
}

/** Reads stderr until `pattern` shows up (or the stream ends); returns what was read. */
async function readUntil(stream: ReadableStream<Uint8Array>, pattern: RegExp): Promise<string> {
  let text = "";
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  try {
    while (!pattern.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    reader.releaseLock();
  }
  return text;
}

describe("takopi: setup checks (non-interactive)", () => {
  test("missing config: `error: missing takopi config at …` with how to create it, exit 1", async () => {
    const r = await takopi([], cleanEnv(binDir("codex")));
    expect(r.stderr).toBe(
      [
        "error: missing takopi config at ~/.takopi/takopi.toml",
        "create it with your bot token and chat id, for example:",
        '  takopi config set transports.telegram.bot_token "123456:ABC…"',
        "  takopi config set transports.telegram.chat_id 123456789",
        "",
      ].join("\n"),
    );
    expect(r.stdout).toBe("");
    expect(r.code).toBe(1);
    expect(existsSync(join(home, ".takopi"))).toBe(false);
  });

  test("--config names a missing file: the error names that file", async () => {
    const path = join(dir, "nowhere", "bot.toml");
    const r = await takopi(["--config", path], cleanEnv(binDir("codex")));
    expect(r.stderr).toStartWith(`error: missing takopi config at ${path}\n`);
    expect(r.code).toBe(1);
  });

  test("no [transports.telegram]: error naming the file, exit 1, no lock file", async () => {
    const config = writeConfig("[transports]\n");
    const r = await takopi(["--config", config], cleanEnv(binDir("codex")));
    expect(r.stderr).toBe(`error: Missing [transports.telegram] in ${config}.\n`);
    expect(r.code).toBe(1);
    expect(existsSync(lockPathFor(config))).toBe(false);
  });

  test("no [transports] table at all: invalid config naming file and key, no lock file", async () => {
    const config = writeConfig('default_engine = "codex"\n');
    const r = await takopi(["--config", config], cleanEnv(binDir("codex")));
    expect(r.stderr).toBe(`error: Invalid config in ${config}: transports: missing; expected a table\n`);
    expect(r.code).toBe(1);
    expect(existsSync(lockPathFor(config))).toBe(false);
  });

  test("invalid config value: the error names file and key, no stack trace", async () => {
    const config = telegramConfig({ extra: 'message_overflow = "wrap"' });
    const r = await takopi(["--config", config], cleanEnv(binDir("codex")));
    expect(r.stderr).toMatch(
      new RegExp(
        `^error: Invalid config in ${config}: transports\\.telegram\\.message_overflow: .*"wrap"\\n$`,
      ),
    );
    expect(r.stderr).not.toContain("    at ");
    expect(r.code).toBe(1);
    expect(existsSync(lockPathFor(config))).toBe(false);
  });

  test("default engine CLI missing: `error: install codex` and the install command, exit 1, no lock", async () => {
    const config = telegramConfig();
    const r = await takopi(["--config", config], cleanEnv(binDir("claude")));
    expect(r.stderr).toBe("error: install codex\n   $ npm install -g @openai/codex\n");
    expect(r.code).toBe(1);
    expect(existsSync(lockPathFor(config))).toBe(false);
    expect(fake.callsTo("getMe")).toHaveLength(0);
  });

  test("default_engine from the config is the one checked", async () => {
    const config = telegramConfig({ top: 'default_engine = "pi"' });
    const r = await takopi(["--config", config], cleanEnv(binDir("codex")));
    expect(r.stderr).toBe("error: install pi\n   $ npm install -g @mariozechner/pi-coding-agent\n");
    expect(r.code).toBe(1);
  });

  test("`takopi claude` overrides the default engine: with only claude on PATH it starts", async () => {
    const config = telegramConfig();
    const proc = spawn(["--config", config, "claude"], cleanEnv(binDir("claude")));
    const err = await readUntil(proc.stderr, /takopi is running/);
    expect(err).toContain("takopi is running as @takopi_test_bot");
    expect(existsSync(lockPathFor(config))).toBe(true);
    const banner = await fake.waitForMessage(CHAT_ID, (m) => m.text.includes("takopi is ready"));
    expect(banner.text).toContain("default: claude");
    expect(banner.text).toContain("not installed: codex, opencode, pi");
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    expect(existsSync(lockPathFor(config))).toBe(false);
  });

  test("`takopi codex` with only claude on PATH: the override is what gets checked", async () => {
    const config = telegramConfig({ top: 'default_engine = "claude"' });
    const r = await takopi(["--config", config, "codex"], cleanEnv(binDir("claude")));
    expect(r.stderr).toBe("error: install codex\n   $ npm install -g @openai/codex\n");
    expect(r.code).toBe(1);
  });

  test("unknown engine argument: clear error listing the engines", async () => {
    const config = telegramConfig();
    const r = await takopi(["--config", config, "gpt"], cleanEnv(binDir("codex")));
    expect(r.stderr).toBe("error: unknown engine `gpt`; available engines: codex, claude, opencode, pi\n");
    expect(r.code).toBe(1);
    expect(existsSync(lockPathFor(config))).toBe(false);
  });

  test("--onboard: clear error saying the wizard is not available, usage exit code", async () => {
    const r = await takopi(["--onboard"], cleanEnv(binDir("codex")));
    expect(r.stderr).toStartWith("error: the setup wizard is not available in this version;");
    expect(r.stderr).toContain("run `takopi --help` for usage.");
    expect(r.code).toBe(2);
  });

  test("unknown option and a second engine are usage errors", async () => {
    const a = await takopi(["--frobnicate"], cleanEnv(binDir("codex")));
    expect(a.stderr).toStartWith("error: unknown option: --frobnicate\n");
    expect(a.code).toBe(2);
    const b = await takopi(["codex", "claude"], cleanEnv(binDir("codex")));
    expect(b.stderr).toStartWith("error: unexpected argument: claude\n");
    expect(b.code).toBe(2);
  });

  test("a token Telegram rejects: clear error, exit 1, lock released, token never shown", async () => {
    const config = telegramConfig({ token: OTHER_TOKEN });
    const r = await takopi(["--config", config], cleanEnv(binDir("codex")));
    expect(r.stderr).toContain(
      "error: the bot token was rejected by Telegram (401 Unauthorized); check transports.telegram.bot_token",
    );
    expect(r.code).toBe(1);
    expect(existsSync(lockPathFor(config))).toBe(false);
    const all = r.stdout + r.stderr;
    expect(all).not.toContain(OTHER_TOKEN);
    expect(all).not.toContain(OTHER_TOKEN.split(":")[1]!);
  });

  test("another takopi holds the lock: `error: already running` with the stale hint, lock kept", async () => {
    const config = telegramConfig();
    const lock = lockPathFor(config);
    // A live pid (this test runner) with the same bot's fingerprint: not stale.
    const body = `${JSON.stringify({ pid: process.pid, token_fingerprint: tokenFingerprint(FAKE_TOKEN) })}\n`;
    writeFileSync(lock, body);
    const r = await takopi(["--config", config], cleanEnv(binDir("codex")));
    expect(r.stderr).toBe(`error: already running\nremove ${lock} if stale\n`);
    expect(r.code).toBe(1);
    expect(await Bun.file(lock).text()).toBe(body);
  });

  test("TAKOPI_CONFIG is used when --config is absent", async () => {
    const config = writeConfig("[transports]\n");
    const r = await takopi([], cleanEnv(binDir("codex"), { TAKOPI_CONFIG: config }));
    expect(r.stderr).toBe(`error: Missing [transports.telegram] in ${config}.\n`);
    expect(r.code).toBe(1);
  });
});
