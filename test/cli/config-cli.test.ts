// The real CLI in a subprocess: wiring, global flags, and that no stack trace reaches the user.
import { expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MINIMAL, read, tempConfig, tempDir } from "../config/support";

const MAIN = join(import.meta.dir, "..", "..", "src", "main.ts");

function takopi(args: string[], env: Record<string, string> = {}) {
  const home = env.HOME ?? tempDir("takopi-home-");
  const result = Bun.spawnSync([process.execPath, MAIN, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: home, TAKOPI_NO_INTERACTIVE: "1", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  return { code: result.exitCode, out: result.stdout.toString(), err: result.stderr.toString() };
}

test("config path: default under HOME, abbreviated; TAKOPI_CONFIG and --config move it", () => {
  const home = tempDir("takopi-home-");
  expect(takopi(["config", "path"], { HOME: home })).toEqual({
    code: 0,
    out: "~/.takopi/takopi.toml\n",
    err: "",
  });
  expect(takopi(["config", "path"], { HOME: home, TAKOPI_CONFIG: "/etc/bot.toml" }).out).toBe(
    "/etc/bot.toml\n",
  );
  expect(
    takopi(["--config", "/x/y.toml", "config", "path"], { HOME: home, TAKOPI_CONFIG: "/etc/bot.toml" }).out,
  ).toBe("/x/y.toml\n");
});

test("set then get through the real CLI with --config", () => {
  const path = tempConfig(MINIMAL);
  expect(takopi(["--config", path, "config", "set", "transports.telegram.chat_id", "456"])).toEqual({
    code: 0,
    out: "updated transports.telegram.chat_id = 456\n",
    err: "",
  });
  expect(takopi(["--config", path, "config", "get", "transports.telegram.chat_id"]).out).toBe("456\n");
});

test("an invalid value: exit 2, file and key named with ~/, no stack trace", () => {
  const home = tempDir("takopi-home-");
  mkdirSync(join(home, ".takopi"));
  const path = join(home, ".takopi", "takopi.toml");
  writeFileSync(path, MINIMAL);
  const result = takopi(["config", "set", "transports.telegram.chat_id", "abc"], { HOME: home });
  expect(result).toEqual({
    code: 2,
    out: "",
    err: 'error: Invalid config in ~/.takopi/takopi.toml: transports.telegram.chat_id: expected an integer (or a numeric string), got "abc"\n',
  });
  expect(read(path)).toBe(MINIMAL);
});

test("the default command reports config problems plainly", () => {
  const missing = join(tempDir(), "none.toml");
  const absent = takopi(["--config", missing]);
  expect(absent.code).toBe(1);
  expect(absent.err).toStartWith(`error: missing takopi config at ${missing}\n`);

  const bad = tempConfig("[transports.telegram]\nchat_id = [1]\n");
  const result = takopi(["--config", bad]);
  expect(result.code).toBe(1);
  expect(result.err).toBe(
    `error: Invalid config in ${bad}:\n  - transports.telegram.bot_token: missing; expected a non-empty string\n  - transports.telegram.chat_id: expected an integer (or a numeric string), got a list\n`,
  );
  expect(result.err).not.toContain("    at ");

  const malformed = tempConfig("[transports\n");
  expect(takopi(["--config", malformed]).err).toStartWith(`error: Malformed TOML in ${malformed}: `);

  const noTelegram = tempConfig("[transports]\n");
  expect(takopi(["--config", noTelegram]).err).toBe(
    `error: Missing [transports.telegram] in ${noTelegram}.\n`,
  );
});

test("the default command names an environment override that broke the config", () => {
  const path = tempConfig(MINIMAL);
  const result = takopi(["--config", path], { TAKOPI__TRANSPORTS__TELEGRAM__CHAT_ID: "x" });
  expect(result.code).toBe(1);
  expect(result.err).toContain("(from TAKOPI__TRANSPORTS__TELEGRAM__CHAT_ID)");
});
