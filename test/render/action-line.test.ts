import { describe, expect, test } from "bun:test";
import type { Action, ActionPhase } from "../../src/model";
import { relativizePath } from "../../src/model/paths";
import type { ActionState } from "../../src/progress/tracker";
import { actionLine, actionTitle, codeSpan } from "../../src/render/action-line";

const CWD = "/home/dev/project";

function state(action: Action, displayPhase: ActionPhase, ok?: boolean): ActionState {
  return { action, phase: displayPhase, displayPhase, ok };
}
const cmd = (title: string, detail?: Action["detail"]): Action => ({
  id: "c",
  kind: "command",
  title,
  ...(detail ? { detail } : {}),
});

describe("actionLine", () => {
  test.each([
    ["running", state(cmd("ls"), "started"), "▸ `ls`"],
    ["updated", state(cmd("ls"), "updated"), "↻ `ls`"],
    ["done", state(cmd("ls"), "completed", true), "✓ `ls`"],
    ["failed", state(cmd("ls"), "completed", false), "✗ `ls`"],
    [
      "failed with exit code",
      state(cmd("pytest -q", { exit_code: 1 }), "completed", false),
      "✗ `pytest -q` (exit 1)",
    ],
    ["ok unknown, exit 0", state(cmd("ls", { exit_code: 0 }), "completed"), "✓ `ls`"],
    ["ok unknown, exit 2", state(cmd("ls", { exit_code: 2 }), "completed"), "✗ `ls` (exit 2)"],
    ["ok unknown, exit null", state(cmd("ls", { exit_code: null }), "completed"), "✓ `ls`"],
    [
      "ok true wins over exit code for the glyph",
      state(cmd("grep x", { exit_code: 1 }), "completed", true),
      "✓ `grep x` (exit 1)",
    ],
    ["no exit suffix while running", state(cmd("ls", { exit_code: 1 }), "started"), "▸ `ls`"],
    ["negative exit code", state(cmd("ls", { exit_code: -9 }), "completed", false), "✗ `ls` (exit -9)"],
  ])("%s", (_name, s, expected) => {
    expect(actionLine(s)).toBe(expected);
  });
});

describe("actionTitle by kind", () => {
  const a = (kind: Action["kind"], title: string, detail?: Action["detail"]): Action => ({
    id: "x",
    kind,
    title,
    ...(detail ? { detail } : {}),
  });
  test.each([
    ["command", a("command", "bash -lc ls"), "`bash -lc ls`"],
    ["command with backticks", a("command", "echo `date`"), "`` echo `date` ``"],
    ["tool", a("tool", "github.search_issues"), "tool: github.search_issues"],
    ["tool with code path", a("tool", "read: `src/a.ts`"), "tool: read: `src/a.ts`"],
    ["web_search", a("web_search", "bun spawn detached"), "searched: bun spawn detached"],
    ["subagent", a("subagent", "explore the repo"), "subagent: explore the repo"],
    ["note", a("note", "Checking the README"), "Checking the README"],
    ["warning", a("warning", "codex exec failed (rc=1)."), "codex exec failed (rc=1)."],
    ["telemetry", a("telemetry", "tokens 12"), "tokens 12"],
    ["multi-line note collapses", a("note", "first line\n\nsecond  line"), "first line second line"],
    [
      "file_change: changes with kinds, relative paths",
      a("file_change", "2 files", {
        changes: [
          { path: `${CWD}/src/a.ts`, kind: "add" },
          { path: "README.md", kind: "update" },
        ],
      }),
      "files: add `src/a.ts`, update `README.md`",
    ],
    [
      "file_change: missing kind is update",
      a("file_change", "x", { changes: [{ path: `${CWD}/x.ts`, kind: "" }] }),
      "files: update `x.ts`",
    ],
    [
      "file_change: more than three",
      a("file_change", "5 files", {
        changes: ["a", "b", "c", "d", "e"].map((p) => ({ path: `${CWD}/${p}`, kind: "delete" })),
      }),
      "files: delete `a`, delete `b`, delete `c`, …(2 more)",
    ],
    [
      "file_change: entries without a path are skipped",
      a("file_change", "x", {
        changes: [
          { path: "", kind: "add" },
          { path: "ok.txt", kind: "add" },
        ],
      }),
      "files: add `ok.txt`",
    ],
    [
      "file_change: fallback absolute title relativised",
      a("file_change", `${CWD}/src/b.ts`),
      "files: `src/b.ts`",
    ],
    ["file_change: fallback with slash", a("file_change", "lib/c.ts"), "files: `lib/c.ts`"],
    ["file_change: fallback plain word", a("file_change", "3 files"), "files: 3 files"],
    ["file_change: fallback already quoted", a("file_change", "`lib/c.ts`"), "files: `lib/c.ts`"],
    [
      "file_change: sibling directory untouched",
      a("file_change", "/home/dev/project2/x"),
      "files: `/home/dev/project2/x`",
    ],
    [
      "file_change: empty changes use the title",
      a("file_change", "notes.md", { changes: [] }),
      "files: notes.md",
    ],
  ])("%s", (_name, action, expected) => {
    expect(actionTitle(action, { cwd: CWD })).toBe(expected);
  });

  test("long titles are shortened to 300 characters", () => {
    const words = Array.from({ length: 80 }, (_, i) => `arg${i}`).join(" ");
    const title = actionTitle(a("command", `run ${words}`));
    expect(title.startsWith("`run arg0 arg1")).toBe(true);
    expect(title.endsWith("…`")).toBe(true);
    expect(title.length).toBeLessThanOrEqual(302);
  });

  test("a custom width applies to every kind", () => {
    expect(actionTitle(a("tool", "alpha beta gamma"), { width: 10 })).toBe("tool: alpha…");
  });
});

test.each([
  ["plain", "ls", "`ls`"],
  ["inner backtick", "a`b", "``a`b``"],
  ["leading backtick", "`x", "`` `x ``"],
  ["double run", "a``b", "```a``b```"],
])("codeSpan %s", (_name, text, expected) => {
  expect(codeSpan(text)).toBe(expected);
});

test.each([
  ["/repo", "/repo", "."],
  ["/repo/", "/repo", "."],
  ["/repo/src/a.ts", "/repo", "src/a.ts"],
  ["/repo/src/a.ts", "/repo/", "src/a.ts"],
  ["/repo2/a.ts", "/repo", "/repo2/a.ts"],
  ["relative/a.ts", "/repo", "relative/a.ts"],
  ["/etc/passwd", "/", "etc/passwd"],
  ["/repo/a", undefined, "/repo/a"],
  ["", "/repo", ""],
])("relativizePath(%p, %p) = %p", (path, base, expected) => {
  expect(relativizePath(path, base)).toBe(expected);
});
