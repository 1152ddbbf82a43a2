import { expect, test } from "bun:test";
import { startupBanner } from "../../src/telegram/banner";
import { commandMenu } from "../../src/telegram/menu";

test("the menu lists engines, projects with valid ids, then cancel last", () => {
  expect(commandMenu({ engines: ["claude", "codex"], projects: ["Web", "my-app", "web"] })).toEqual([
    { command: "claude", description: "use engine: claude" },
    { command: "codex", description: "use engine: codex" },
    { command: "web", description: "work on: Web" },
    { command: "cancel", description: "cancel run" },
  ]);
});

test("more than 100 commands are cut to 100 with cancel kept last", () => {
  const projects = Array.from({ length: 150 }, (_, i) => `p${i}`);
  const menu = commandMenu({ engines: ["codex"], projects });
  expect(menu).toHaveLength(100);
  expect(menu.at(-1)?.command).toBe("cancel");
  expect(menu[0]?.command).toBe("codex");
});

test("the startup banner says what runs where", () => {
  const text = startupBanner({
    defaultEngine: "codex",
    available: ["claude", "codex"],
    missing: ["pi"],
    misconfigured: ["claude"],
    failed: [],
    projects: ["zeta", "Alpha"],
    sessionMode: "stateless",
    topics: "disabled",
    showResumeLine: true,
    cwd: "/repo",
  });
  expect(text).toBe(
    [
      "🐙 **takopi is ready**",
      "",
      "default: `codex`  ",
      "engines: `claude, codex (not installed: pi; misconfigured: claude)`  ",
      "projects: `Alpha, zeta`  ",
      "mode: `stateless`  ",
      "topics: `disabled`  ",
      "resume lines: `shown`  ",
      "working in: `/repo`",
    ].join("\n"),
  );
});
