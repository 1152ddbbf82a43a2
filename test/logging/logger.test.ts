import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeLogging, configureLogging, type Env } from "../../src/logging/configure";
import { getLogger } from "../../src/logging/logger";

const TOKEN = "123456789:AAHsecretsecretsecret_x-y";

/** Configures logging into a buffer; returns the captured console lines. */
function capture(
  env: Env,
  debug = false,
): { lines: string[]; settings: ReturnType<typeof configureLogging> } {
  const lines: string[] = [];
  const settings = configureLogging({
    env,
    debug,
    write: (line) => lines.push(line),
    isTTY: false,
    cwd: tmpdir(),
  });
  return { lines, settings };
}

function logSecrets(name = "test"): void {
  getLogger(name).warning(`telegram.call bot${TOKEN}`, {
    message: `sent with ${TOKEN}`,
    nested: { list: [{ url: `https://api.telegram.org/bot${TOKEN}/getUpdates` }] },
    error: new Error(`boom ${TOKEN}`),
  });
}

afterEach(() => {
  closeLogging();
  configureLogging({ env: {}, write: () => {}, isTTY: false });
});

describe("console sink", () => {
  test("one human line per record, tokens redacted everywhere", () => {
    const { lines } = capture({});
    logSecrets();
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? "";
    expect(line).not.toContain("AAHsecret");
    expect(line).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z warning {2}test telegram\.call bot\[REDACTED\] /,
    );
    expect(line).toContain('message="sent with [REDACTED_TOKEN]"');
    expect(line).toContain('nested={"list":[{"url":"https://api.telegram.org/bot[REDACTED]/getUpdates"}]}');
    expect(line).toContain('error="Error: boom [REDACTED_TOKEN]"');
    expect(line.endsWith("\n")).toBe(true);
    expect(line).not.toContain("\x1b[");
  });

  test("TAKOPI_LOG_COLOR forces colour on or off; unset follows the terminal", () => {
    expect(capture({ TAKOPI_LOG_COLOR: "yes" }).settings.color).toBe(true);
    logSecrets();
    expect(capture({ TAKOPI_LOG_COLOR: "ON" }).settings.color).toBe(true);
    expect(capture({ TAKOPI_LOG_COLOR: "0" }).settings.color).toBe(false);
    expect(capture({ TAKOPI_LOG_COLOR: "maybe" }).settings.color).toBe(false);
    const tty = configureLogging({ env: {}, write: () => {}, isTTY: true });
    expect(tty.color).toBe(true);
    expect(configureLogging({ env: { NO_COLOR: "1" }, write: () => {}, isTTY: true }).color).toBe(false);
    const { lines } = capture({ TAKOPI_LOG_COLOR: "1" });
    logSecrets();
    expect(lines[0]).toContain("\x1b[33mwarning");
    expect(lines[0]).not.toContain("AAHsecret");
  });
});

describe("json format", () => {
  test("TAKOPI_LOG_FORMAT=json writes one redacted JSON object per line", () => {
    const { lines } = capture({ TAKOPI_LOG_FORMAT: "json" });
    logSecrets("bridge");
    getLogger("bridge").info("chat.message", { event: "clash", chat_id: 5 });
    expect(lines).toHaveLength(2);
    expect(lines.join("")).not.toContain("AAHsecret");
    const first = JSON.parse(lines[0] ?? "");
    expect(first).toMatchObject({
      level: "warning",
      logger: "bridge",
      event: "telegram.call bot[REDACTED]",
      message: "sent with [REDACTED_TOKEN]",
      error: { type: "Error", message: "boom [REDACTED_TOKEN]" },
    });
    expect(Object.keys(first).slice(0, 4)).toEqual(["timestamp", "level", "logger", "event"]);
    expect(JSON.parse(lines[1] ?? "")).toMatchObject({ event: "chat.message", _event: "clash", chat_id: 5 });
  });
});

describe("file sink", () => {
  test("TAKOPI_LOG_FILE appends redacted JSON lines alongside the console", () => {
    const dir = mkdtempSync(join(tmpdir(), "takopi-log-"));
    try {
      const file = join(dir, "takopi.log");
      const { lines, settings } = capture({ TAKOPI_LOG_FILE: file });
      expect(settings.file).toBe(file);
      logSecrets();
      configureLogging({ env: { TAKOPI_LOG_FILE: file }, write: () => {}, isTTY: false });
      getLogger("again").info("second.run");
      closeLogging();
      const written = readFileSync(file, "utf8").trimEnd().split("\n");
      expect(written).toHaveLength(2);
      expect(readFileSync(file, "utf8")).not.toContain("AAHsecret");
      expect(JSON.parse(written[0] ?? "")).toMatchObject({ event: "telegram.call bot[REDACTED]" });
      expect(JSON.parse(written[1] ?? "")).toMatchObject({ logger: "again", event: "second.run" });
      expect(lines).toHaveLength(1);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("--debug forces debug level and defaults the file to ./debug.log", () => {
    const dir = mkdtempSync(join(tmpdir(), "takopi-log-"));
    try {
      const settings = configureLogging({
        debug: true,
        env: { TAKOPI_LOG_LEVEL: "error" },
        write: () => {},
        isTTY: false,
        cwd: dir,
      });
      expect(settings.level).toBe("debug");
      expect(settings.file).toBe(join(dir, "debug.log"));
      getLogger("dbg").debug("very.detailed", { token: TOKEN });
      closeLogging();
      const text = readFileSync(join(dir, "debug.log"), "utf8");
      expect(text).toContain('"event":"very.detailed"');
      expect(text).not.toContain("AAHsecret");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("an unwritable log file is reported and skipped, logging goes on", () => {
    const { lines, settings } = capture({ TAKOPI_LOG_FILE: "/nonexistent-dir/x/takopi.log" });
    expect(settings.file).toBeUndefined();
    expect(lines[0]).toContain("logging.file_unavailable");
    getLogger("x").info("still.works");
    expect(lines[1]).toContain("still.works");
  });
});

describe("levels", () => {
  test.each([
    ["debug", ["debug", "info", "warning", "error", "critical"]],
    ["info", ["info", "warning", "error", "critical"]],
    ["WARNING", ["warning", "error", "critical"]],
    ["error", ["error", "critical"]],
    ["critical", ["critical"]],
    ["nonsense", ["info", "warning", "error", "critical"]],
  ])("TAKOPI_LOG_LEVEL=%s", (level, expected) => {
    const { lines } = capture({ TAKOPI_LOG_LEVEL: level, TAKOPI_LOG_FORMAT: "json" });
    const log = getLogger("lv");
    log.debug("e");
    log.info("e");
    log.warning("e");
    log.error("e");
    log.critical("e");
    expect(lines.map((l) => JSON.parse(l).level)).toEqual(expected);
  });

  test("a disabled level builds nothing: field getters are never read", () => {
    capture({ TAKOPI_LOG_LEVEL: "warning" });
    let reads = 0;
    const fields = {
      get costly() {
        reads++;
        return "x";
      },
    };
    const log = getLogger("cheap");
    for (let i = 0; i < 1000; i++) log.debug("runner.line", fields);
    for (let i = 0; i < 1000; i++) log.info("runner.line", fields);
    expect(reads).toBe(0);
    expect(log.isEnabled("info")).toBe(false);
    expect(log.isEnabled("error")).toBe(true);
  });

  test("TAKOPI_TRACE_PIPELINE lifts pipeline debug events to info", () => {
    const plain = capture({ TAKOPI_LOG_FORMAT: "json" });
    const log = getLogger("pipe");
    for (const event of ["subprocess.spawn", "jsonl.line", "runner.start", "telegram.edit"]) log.debug(event);
    expect(plain.lines).toHaveLength(0);

    const traced = capture({ TAKOPI_LOG_FORMAT: "json", TAKOPI_TRACE_PIPELINE: "1" });
    for (const event of ["subprocess.spawn", "jsonl.line", "runner.start", "telegram.edit"]) log.debug(event);
    expect(traced.lines.map((l) => [JSON.parse(l).event, JSON.parse(l).level])).toEqual([
      ["subprocess.spawn", "info"],
      ["jsonl.line", "info"],
      ["runner.start", "info"],
    ]);

    const debugTraced = capture({ TAKOPI_LOG_FORMAT: "json", TAKOPI_TRACE_PIPELINE: "true" }, true);
    log.debug("runner.start");
    log.debug("telegram.edit");
    expect(debugTraced.lines.map((l) => JSON.parse(l).level)).toEqual(["info", "debug"]);
    closeLogging();
  });

  test("child loggers add bound fields; call fields win", () => {
    const { lines } = capture({ TAKOPI_LOG_FORMAT: "json" });
    const run = getLogger("bridge").child({ chat_id: 1, engine: "codex" });
    run.info("run.start", { engine: "claude", token: TOKEN });
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({
      chat_id: 1,
      engine: "claude",
      token: "[REDACTED_TOKEN]",
    });
  });
});
