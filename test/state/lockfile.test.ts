import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acquireLock, isLockStale, LockError, lockPathFor, tokenFingerprint } from "../../src/state/lockfile";

const HOLDER = join(import.meta.dir, "fixtures", "hold-lock.ts");
const TOKEN = "123456789:AAHsecretsecretsecret_x-y";

let dir: string;
let config: string;
let lockPath: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "takopi-lock-"));
  config = join(dir, "takopi.toml");
  lockPath = join(dir, "takopi.lock");
});
const children: Bun.Subprocess[] = [];
afterEach(() => {
  // A failed assertion must not leave a lock holder running.
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

/** Starts a process that holds the lock; resolves once it printed `locked`. */
async function startHolder(token: string, ...flags: string[]) {
  const proc = Bun.spawn([process.execPath, HOLDER, config, token, ...flags], {
    stdout: "pipe",
    stderr: "inherit",
  });
  children.push(proc);
  const reader = proc.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (!out.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    out += value;
  }
  return { proc, first: out.trim(), reader };
}

async function deadPid(): Promise<number> {
  const proc = Bun.spawn(["true"]);
  await proc.exited;
  return proc.pid;
}

function expectRunning(fn: () => unknown): LockError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LockError);
    const lockError = error as LockError;
    expect(lockError.reason).toBe("running");
    expect(lockError.message).toBe(`already running\nremove ${lockPath} if stale`);
    expect(lockError.exitCode).toBe(1);
    return lockError;
  }
  throw new Error("expected LockError");
}

describe("paths and fingerprint", () => {
  test.each([
    ["/a/takopi.toml", "/a/takopi.lock"],
    ["/a/bot.two.toml", "/a/bot.two.lock"],
    ["/a.d/config", "/a.d/config.lock"],
    ["/a/.takopirc", "/a/.takopirc.lock"],
  ])("%s → %s", (input, expected) => {
    expect(lockPathFor(input)).toBe(expected);
  });

  test("fingerprint is the first 10 hex chars of sha256(token)", () => {
    expect(tokenFingerprint(TOKEN)).toBe(createHash("sha256").update(TOKEN).digest("hex").slice(0, 10));
    expect(tokenFingerprint(TOKEN)).toMatch(/^[0-9a-f]{10}$/);
  });

  test.each([
    ["unreadable", undefined, true],
    ["invalid JSON", "{nope", true],
    ["not an object", "[1]", true],
    ["bad pid", '{"pid": -3}', true],
    ["same bot, alive", '{"pid": 999999, "token_fingerprint": "abc"}', false],
    ["other bot, alive", '{"pid": 999999, "token_fingerprint": "zzz"}', true],
    ["no fingerprint recorded, alive", '{"pid": 999999, "token_fingerprint": null}', false],
  ])("isLockStale: %s", (_name, text, stale) => {
    expect(isLockStale(text, "abc", () => true)).toBe(stale);
  });
});

describe("acquire and release", () => {
  test("writes {pid, token_fingerprint} (0600) and release removes it", () => {
    const lock = acquireLock({ configPath: config, token: TOKEN });
    expect(lock.path).toBe(lockPath);
    expect(JSON.parse(readFileSync(lockPath, "utf8"))).toEqual({
      pid: process.pid,
      token_fingerprint: tokenFingerprint(TOKEN),
    });
    expect(readFileSync(lockPath, "utf8")).not.toContain("AAHsecret");
    expect(statSync(lockPath).mode & 0o777).toBe(0o600);
    expectRunning(() => acquireLock({ configPath: config, token: TOKEN }));
    lock.release();
    lock.release();
    expect(existsSync(lockPath)).toBe(false);
    acquireLock({ configPath: config, token: TOKEN }).release();
  });

  test("refuses while another live process holds it; SIGTERM releases it (exit 143)", async () => {
    const holder = await startHolder(TOKEN);
    expect(holder.first).toBe("locked");
    const error = expectRunning(() => acquireLock({ configPath: config, token: TOKEN }));
    expect(error.pid).toBe(holder.proc.pid);
    holder.proc.kill("SIGTERM");
    expect(await holder.proc.exited).toBe(143);
    expect(existsSync(lockPath)).toBe(false);
    acquireLock({ configPath: config, token: TOKEN }).release();
  });

  test("SIGINT releases it and exits 130", async () => {
    const holder = await startHolder(TOKEN);
    holder.proc.kill("SIGINT");
    expect(await holder.proc.exited).toBe(130);
    expect(existsSync(lockPath)).toBe(false);
  });

  test("with exitOnSignal false the caller's own shutdown runs, then releases", async () => {
    const holder = await startHolder(TOKEN, "--graceful");
    holder.proc.kill("SIGTERM");
    const { value } = await holder.reader.read();
    expect(value).toBe("graceful\n");
    expect(await holder.proc.exited).toBe(0);
    expect(existsSync(lockPath)).toBe(false);
  });

  test("a normal exit releases it", async () => {
    const holder = await startHolder(TOKEN, "--exit-now");
    expect(await holder.proc.exited).toBe(0);
    expect(existsSync(lockPath)).toBe(false);
  });

  test("a second process is refused with the hint while the first runs", async () => {
    const first = await startHolder(TOKEN);
    const second = await startHolder(TOKEN);
    expect(second.first).toBe(`error: already running\nremove ${lockPath} if stale`);
    expect(await second.proc.exited).toBe(1);
    first.proc.kill("SIGTERM");
    await first.proc.exited;
  });

  test("a lock for a different bot is replaced even if its process is alive", async () => {
    const other = await startHolder("987654321:BBHothertokenothertoken");
    const lock = acquireLock({ configPath: config, token: TOKEN });
    expect(JSON.parse(readFileSync(lockPath, "utf8")).pid).toBe(process.pid);
    lock.release();
    other.proc.kill("SIGKILL");
    await other.proc.exited;
  });

  test.each([
    [
      "stale pid",
      async () => JSON.stringify({ pid: await deadPid(), token_fingerprint: tokenFingerprint(TOKEN) }),
    ],
    ["corrupted file", async () => '{"pid": 12'],
    ["empty file", async () => ""],
    [
      "our own pid (container restart)",
      async () => JSON.stringify({ pid: process.pid, token_fingerprint: null }),
    ],
  ])("replaces a stale lock: %s", async (_name, content) => {
    writeFileSync(lockPath, await content());
    const lock = acquireLock({ configPath: config, token: TOKEN });
    expect(JSON.parse(readFileSync(lockPath, "utf8"))).toEqual({
      pid: process.pid,
      token_fingerprint: tokenFingerprint(TOKEN),
    });
    lock.release();
    expect(existsSync(lockPath)).toBe(false);
  });

  test("release leaves a lock another process has taken over", () => {
    const lock = acquireLock({ configPath: config, token: TOKEN });
    writeFileSync(lockPath, JSON.stringify({ pid: 1, token_fingerprint: "x" }));
    lock.release();
    expect(existsSync(lockPath)).toBe(true);
  });

  test("I/O failure is `lock failed: …`", () => {
    writeFileSync(join(dir, "file"), "");
    try {
      acquireLock({ configPath: join(dir, "file", "takopi.toml") });
      throw new Error("expected LockError");
    } catch (error) {
      expect(error).toBeInstanceOf(LockError);
      expect((error as LockError).reason).toBe("io");
      expect((error as LockError).message).toStartWith("lock failed: ");
    }
  });

  test("creates the config directory if needed", () => {
    const nested = join(dir, "new", "takopi.toml");
    mkdirSync(join(dir, "new"), { recursive: true });
    const lock = acquireLock({ configPath: nested });
    expect(JSON.parse(readFileSync(join(dir, "new", "takopi.lock"), "utf8")).token_fingerprint).toBeNull();
    lock.release();
  });
});
