// `takopi doctor` as a user runs it: the real CLI process against the fake Bot
// API on 127.0.0.1, with engine CLIs (plain scripts) on a PATH we control.
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runDoctor } from "../../src/cli/commands/doctor";
import { FAKE_TOKEN, type FakeTelegram, startFakeTelegram } from "../support/fake-telegram";

const MAIN = resolve(import.meta.dir, "../../src/main.ts");
const CHAT_ID = 1001; // the fake's default private chat
const OTHER_TOKEN = "987654321:AAOtherTokenTheFakeDoesNotKnow_xyz123";

let fake: FakeTelegram;
let dir: string;
let home: string;
let counter = 0;

beforeAll(() => {
  fake = startFakeTelegram();
  fake.createChat();
  dir = mkdtempSync(join(tmpdir(), "takopi-doctor-"));
  home = join(dir, "home");
  mkdirSync(home);
});
afterEach(() => fake.clearFailures());
afterAll(async () => {
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A directory holding executables named like engine CLIs (they are never run). */
function binDir(...engines: string[]): string {
  const bin = join(dir, `bin-${++counter}`);
  mkdirSync(bin);
  for (const engine of engines) {
    writeFileSync(join(bin, engine), "#!/bin/sh\nexit 0\n");
    chmodSync(join(bin, engine), 0o755);
  }
  return bin;
}

interface ConfigOptions {
  readonly token?: string;
  readonly chatId?: number;
  readonly apiRoot?: string;
  readonly defaultEngine?: string;
  readonly extra?: string;
}

function writeConfig(opts: ConfigOptions = {}): string {
  const path = join(dir, `takopi-${++counter}.toml`);
  writeFileSync(
    path,
    [
      `default_engine = "${opts.defaultEngine ?? "codex"}"`,
      "",
      "[transports.telegram]",
      `bot_token = "${opts.token ?? FAKE_TOKEN}"`,
      `chat_id = ${opts.chatId ?? CHAT_ID}`,
      `api_root = "${opts.apiRoot ?? fake.apiRoot}"`,
      "",
      opts.extra ?? "",
    ].join("\n"),
  );
  return path;
}

function cleanEnv(bin: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith("TAKOPI")) env[k] = v;
  }
  return { ...env, HOME: home, PATH: `${bin}:/usr/bin:/bin`, TAKOPI_NO_INTERACTIVE: "1", ...extra };
}

async function doctor(args: string[], env: Record<string, string>) {
  const started = performance.now();
  const proc = Bun.spawn([process.execPath, MAIN, ...args], {
    cwd: dir,
    env,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { stdout, stderr, code, ms: performance.now() - started };
}

const run = (config: string, bin: string) => doctor(["--config", config, "doctor"], cleanEnv(bin));
const lines = (text: string) => text.split("\n").filter((l) => l !== "");
const line = (out: string, label: string) => lines(out).find((l) => l.startsWith(`- ${label}: `));

function expectNoToken(text: string, token: string): void {
  expect(text).not.toContain(token);
  expect(text).not.toContain(token.split(":")[1]!);
}

describe("takopi doctor (real CLI, fake Bot API)", () => {
  test("all ok: one line per check, exit 0", async () => {
    const bin = binDir("codex", "claude", "opencode", "pi");
    const config = writeConfig();
    const r = await run(config, bin);
    expect(r.stderr).toBe("");
    expect(lines(r.stdout)).toEqual([
      "takopi doctor",
      `- config: ok (${config})`,
      "- telegram token: ok (@takopi_test_bot)",
      `- chat_id: ok (private (${CHAT_ID}))`,
      `- codex: ok (${bin}/codex)`,
      `- claude: ok (${bin}/claude)`,
      `- opencode: ok (${bin}/opencode)`,
      `- pi: ok (${bin}/pi)`,
      "- topics: ok (disabled)",
      "- file transfer: ok (disabled)",
      "- voice transcription: ok (disabled)",
    ]);
    expect(r.code).toBe(0);
    expectNoToken(r.stdout, FAKE_TOKEN);
  });

  test("TAKOPI_CONFIG picks the config when --config is absent; the path shows with ~", async () => {
    mkdirSync(join(home, ".cfg"), { recursive: true });
    const config = join(home, ".cfg", "bot.toml");
    writeFileSync(
      config,
      `[transports.telegram]\nbot_token = "${FAKE_TOKEN}"\nchat_id = ${CHAT_ID}\napi_root = "${fake.apiRoot}"\n`,
    );
    const r = await doctor(["doctor"], cleanEnv(binDir("codex"), { TAKOPI_CONFIG: config }));
    expect(line(r.stdout, "config")).toBe("- config: ok (~/.cfg/bot.toml)");
    expect(line(r.stdout, "telegram token")).toBe("- telegram token: ok (@takopi_test_bot)");
    expect(r.code).toBe(0);
  });

  test("a token the Bot API rejects: token error with the reason, chat_id skipped, exit 1, token never shown", async () => {
    const r = await run(writeConfig({ token: OTHER_TOKEN }), binDir("codex"));
    expect(line(r.stdout, "telegram token")).toBe(
      "- telegram token: error (failed to fetch bot info (401 Unauthorized: Telegram rejected transports.telegram.bot_token))",
    );
    expect(line(r.stdout, "chat_id")).toBe("- chat_id: error (skipped: the telegram token check failed)");
    expect(line(r.stdout, "codex")).toStartWith("- codex: ok (");
    expect(r.code).toBe(1);
    expectNoToken(r.stdout + r.stderr, OTHER_TOKEN);
  });

  test("a chat the bot cannot reach: chat_id error naming the id, exit 1", async () => {
    const r = await run(writeConfig({ chatId: 424242 }), binDir("codex"));
    expect(line(r.stdout, "telegram token")).toBe("- telegram token: ok (@takopi_test_bot)");
    expect(line(r.stdout, "chat_id")).toMatch(
      /^- chat_id: error \(unreachable \(424242\): .*chat not found.*\)$/,
    );
    expect(r.code).toBe(1);
  });

  test("the default engine's CLI missing is an error with the install hint; other engines are warnings", async () => {
    const r = await run(writeConfig(), binDir("claude"));
    const bin = lines(r.stdout);
    expect(bin).toContain("- codex: error (not found on PATH; install: npm install -g @openai/codex)");
    expect(bin).toContain(
      "- opencode: warning (not found on PATH; install: npm install -g opencode-ai@latest)",
    );
    expect(bin).toContain(
      "- pi: warning (not found on PATH; install: npm install -g @mariozechner/pi-coding-agent)",
    );
    expect(line(r.stdout, "claude")).toStartWith("- claude: ok (");
    expect(r.code).toBe(1);
  });

  test("the same PATH with claude as the default engine: warnings only, exit 0", async () => {
    const r = await run(writeConfig({ defaultEngine: "claude" }), binDir("claude"));
    expect(line(r.stdout, "codex")).toBe(
      "- codex: warning (not found on PATH; install: npm install -g @openai/codex)",
    );
    expect(r.code).toBe(0);
  });

  test("an engine `command` is resolved; a missing one is named", async () => {
    const bin = binDir("codex");
    const present = join(binDir("my-claude"), "my-claude");
    const config = writeConfig({
      extra: `[claude]\ncommand = "${present}"\n\n[pi]\ncommand = "/nowhere/pi"\n`,
    });
    const r = await run(config, bin);
    expect(line(r.stdout, "claude")).toBe(`- claude: ok (${present})`);
    expect(line(r.stdout, "pi")).toBe(
      "- pi: warning (`/nowhere/pi` not found; install: npm install -g @mariozechner/pi-coding-agent)",
    );
    expect(r.code).toBe(0);
  });

  test("a broken table for a non-default engine: misconfigured warning", async () => {
    const r = await run(writeConfig({ extra: "[pi]\nmodel = 42\n" }), binDir("codex", "pi"));
    expect(line(r.stdout, "pi")).toMatch(/^- pi: warning \(misconfigured: .*pi\.model.*\)$/);
    expect(line(r.stdout, "config")).toStartWith("- config: ok (");
    expect(r.code).toBe(0);
  });

  test("file transfer, topics and voice enabled: warnings saying they are not available yet", async () => {
    const extra = [
      "voice_transcription = true",
      "[transports.telegram.files]",
      "enabled = true",
      "[transports.telegram.topics]",
      "enabled = true",
    ].join("\n");
    const r = await run(writeConfig({ extra }), binDir("codex"));
    expect(line(r.stdout, "topics")).toBe("- topics: warning (enabled, but not available in this version)");
    expect(line(r.stdout, "file transfer")).toBe(
      "- file transfer: warning (enabled, but not available in this version)",
    );
    expect(line(r.stdout, "voice transcription")).toBe(
      "- voice transcription: warning (enabled, but not available in this version)",
    );
    expect(r.code).toBe(0);
  });

  test("network down (closed port): token error within seconds, exit 1", async () => {
    const port = await closedPort();
    const r = await run(writeConfig({ apiRoot: `http://127.0.0.1:${port}` }), binDir("codex"));
    expect(line(r.stdout, "telegram token")).toMatch(
      new RegExp(
        `^- telegram token: error \\(failed to fetch bot info \\(cannot reach http://127\\.0\\.0\\.1:${port}: .+\\)\\)$`,
      ),
    );
    expect(line(r.stdout, "chat_id")).toBe("- chat_id: error (skipped: the telegram token check failed)");
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(5000);
    expectNoToken(r.stdout, FAKE_TOKEN);
  });

  test("a Bot API server error on getMe: its status in the token line, exit 1", async () => {
    fake.fail("getMe", { kind: "server_error", status: 502, body: "html" });
    const r = await run(writeConfig(), binDir("codex"));
    expect(line(r.stdout, "telegram token")).toMatch(
      /^- telegram token: error \(failed to fetch bot info \(.*502.*\)\)$/,
    );
    expect(r.code).toBe(1);
  });

  test("missing config: config error naming the file, exit 1", async () => {
    const r = await run(join(dir, "absent.toml"), binDir("codex"));
    expect(lines(r.stdout)).toEqual([
      "takopi doctor",
      `- config: error (missing takopi config at ${join(dir, "absent.toml")})`,
    ]);
    expect(r.code).toBe(1);
  });

  test("invalid config: the error names file and key", async () => {
    const config = writeConfig({ extra: 'message_overflow = "wrap"\n' });
    const r = await run(config, binDir("codex"));
    expect(line(r.stdout, "config")).toMatch(
      new RegExp(
        `^- config: error \\(Invalid config in ${config}: transports\\.telegram\\.message_overflow: .+\\)$`,
      ),
    );
    expect(lines(r.stdout)).toHaveLength(2);
    expect(r.code).toBe(1);
  });

  test("no [transports.telegram]: config error, the engines are still checked", async () => {
    const config = join(dir, "no-telegram.toml");
    writeFileSync(config, "[transports]\n");
    const r = await run(config, binDir("codex"));
    expect(line(r.stdout, "config")).toBe(`- config: error (Missing [transports.telegram] in ${config}.)`);
    expect(line(r.stdout, "codex")).toStartWith("- codex: ok (");
    expect(line(r.stdout, "telegram token")).toBeUndefined();
    expect(r.code).toBe(1);
  });

  test("an unknown default_engine is a config error", async () => {
    const r = await run(writeConfig({ defaultEngine: "gpt" }), binDir("codex"));
    expect(line(r.stdout, "config")).toMatch(/^- config: error \(unknown default_engine `gpt` in .+\)$/);
    expect(r.code).toBe(1);
  });

  test("extra arguments are a usage error", async () => {
    const r = await run(writeConfig(), binDir("codex"));
    const bad = await doctor(["--config", writeConfig(), "doctor", "now"], cleanEnv(binDir("codex")));
    expect(r.code).toBe(0);
    expect(bad.stderr).toStartWith("error: unexpected argument: now");
    expect(bad.code).toBe(2);
  });
});

describe("help", () => {
  test("`takopi --help` lists doctor and exec; `takopi doctor --help` shows its usage", async () => {
    const help = await doctor(["--help"], cleanEnv(binDir()));
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}doctor +check the config, bot token, chat and engine CLIs$/m);
    expect(help.stdout).toMatch(/^ {2}exec +\S/m);
    const usage = await doctor(["doctor", "--help"], cleanEnv(binDir()));
    expect(usage.stdout).toStartWith("usage: takopi doctor\n");
    expect(usage.code).toBe(0);
  });
});

describe("runDoctor request timeout (in process)", () => {
  test("a Bot API that accepts connections but never answers is reported after the timeout", async () => {
    const { server, port } = await silentServer();
    try {
      const config = writeConfig({ apiRoot: `http://127.0.0.1:${port}` });
      const started = performance.now();
      const checks = await runDoctor({
        configPath: config,
        env: cleanEnv(binDir("codex")),
        timeoutSeconds: 0.5,
      });
      const ms = performance.now() - started;
      expect(checks.find((c) => c.label === "telegram token")).toEqual({
        label: "telegram token",
        status: "error",
        detail: `failed to fetch bot info (no answer from http://127.0.0.1:${port} within 0.5s)`,
      });
      expect(checks.find((c) => c.label === "chat_id")?.detail).toBe(
        "skipped: the telegram token check failed",
      );
      expect(ms).toBeLessThan(3000);
    } finally {
      server.close();
    }
  });
});

/** A port nothing listens on: bind one, note it, close it. */
function closedPort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      const port = typeof address === "object" && address ? address.port : 0;
      s.close(() => done(port));
    });
  });
}

/** Accepts TCP connections and never writes a byte: a hung Bot API. */
function silentServer(): Promise<{ server: Server; port: number }> {
  return new Promise((done) => {
    const server = createServer(() => {});
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      done({ server, port: typeof address === "object" && address ? address.port : 0 });
    });
  });
}
