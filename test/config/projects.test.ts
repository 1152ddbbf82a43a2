import { expect, test } from "bun:test";
import { parse } from "smol-toml";
import { validateConfig } from "../../src/config/load";
import { resolveProjects } from "../../src/config/projects";

const PATH = "/home/me/.takopi/takopi.toml";
const env = { HOME: "/home/me" };

function config(text: string) {
  return validateConfig({ ...parse(text, { integersAsBigInt: true }), transports: {} }, PATH).config;
}

test("paths: ~ expanded, relative to the config dir; worktrees_dir relative to the project", () => {
  const index = resolveProjects(
    config(
      '[projects.Web]\npath = "~/code/web"\nchat_id = -5\n[projects.api]\npath = "api"\nworktrees_dir = "/wt"\ndefault_engine = "Claude"',
    ),
    PATH,
    { env },
  );
  expect(index.find("WEB")).toEqual({
    alias: "Web",
    key: "web",
    path: "/home/me/code/web",
    worktreesDir: "/home/me/code/web/.worktrees",
    chatId: -5,
  });
  expect(index.find("api")).toEqual({
    alias: "api",
    key: "api",
    path: "/home/me/.takopi/api",
    worktreesDir: "/wt",
    defaultEngine: "claude",
  });
  expect(index.byChatId.get(-5)?.alias).toBe("Web");
  expect(index.defaultProject).toBeUndefined();
  expect(index.find("nope")).toBeUndefined();
});

test("default_project resolves case-insensitively", () => {
  const index = resolveProjects(config('default_project = "WEB"\n[projects.web]\npath = "/w"'), PATH, {
    env,
  });
  expect(index.defaultProject?.alias).toBe("web");
});

test("an unknown project default_engine names the key, the file and the choices", () => {
  expect(() =>
    resolveProjects(config('[projects.web]\npath = "/w"\ndefault_engine = "gpt"'), PATH, { env }),
  ).toThrow(
    "Unknown `projects.web.default_engine` 'gpt' in /home/me/.takopi/takopi.toml. Available: codex, claude, opencode, pi.",
  );
});
