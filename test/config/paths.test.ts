import { expect, test } from "bun:test";
import { displayPath, expandHome, resolveConfigPath, statePath } from "../../src/config/paths";

const env = { HOME: "/home/me" };

test("--config wins over TAKOPI_CONFIG, which wins over the default", () => {
  expect(resolveConfigPath(undefined, env)).toBe("/home/me/.takopi/takopi.toml");
  expect(resolveConfigPath(undefined, { ...env, TAKOPI_CONFIG: "/etc/t.toml" })).toBe("/etc/t.toml");
  expect(resolveConfigPath("/x/y.toml", { ...env, TAKOPI_CONFIG: "/etc/t.toml" })).toBe("/x/y.toml");
  expect(resolveConfigPath("~/bots/a.toml", env)).toBe("/home/me/bots/a.toml");
  expect(resolveConfigPath("rel.toml", env)).toBe(`${process.cwd()}/rel.toml`);
});

test("state and lock files live beside the config", () => {
  expect(statePath("/cfg/bot1.toml", "telegram_chat_sessions_state.json")).toBe(
    "/cfg/telegram_chat_sessions_state.json",
  );
});

test("home abbreviation", () => {
  expect(displayPath("/home/me/.takopi/takopi.toml", env)).toBe("~/.takopi/takopi.toml");
  expect(displayPath("/home/meme/x", env)).toBe("/home/meme/x");
  expect(expandHome("~", env)).toBe("/home/me");
  expect(expandHome("a/~", env)).toBe("a/~");
});
