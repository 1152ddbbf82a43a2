import { describe, expect, test } from "bun:test";
import { relativizeCommand, relativizePath, toolAction } from "../../src/runners/tool-actions";

const cwd = "/repo";

describe("relativizePath", () => {
  test.each([
    ["/repo", "/repo", "."],
    ["/repo/", "/repo", "."],
    ["/repo/src/a.ts", "/repo", "src/a.ts"],
    ["/repo/src/a.ts", "/repo/", "src/a.ts"],
    ["/repo2/src/a.ts", "/repo", "/repo2/src/a.ts"],
    ["/repository", "/repo", "/repository"],
    ["src/a.ts", "/repo", "src/a.ts"],
    ["/other/a.ts", "/repo", "/other/a.ts"],
    ["/repo/a.ts", undefined, "/repo/a.ts"],
  ] as const)("%p under %p → %p", (path, dir, expected) => {
    expect(relativizePath(path, dir)).toBe(expected);
  });
});

describe("relativizeCommand", () => {
  test.each([
    ["cat /repo/a.ts /repo/b.ts", "/repo", "cat a.ts b.ts"],
    ["ls /repo2/x", "/repo", "ls /repo2/x"],
    ["cd /repo && ls", "/repo", "cd /repo && ls"],
    ["ls /repo/x", "/repo/", "ls x"],
    ["ls", undefined, "ls"],
  ] as const)("%p in %p → %p", (command, dir, expected) => {
    expect(relativizeCommand(command, dir)).toBe(expected);
  });
});

describe("toolAction", () => {
  test.each([
    // commands
    ["Bash", { command: "ls -la /repo/src" }, "command", "ls -la src"],
    ["bash", { command: "echo hi" }, "command", "echo hi"],
    ["shell", {}, "command", "shell"],
    ["KillShell", { shell_id: "1" }, "command", "KillShell"],
    // file changes
    ["Edit", { file_path: "/repo/src/a.ts" }, "file_change", "src/a.ts"],
    ["Write", { path: "/repo/notes.md" }, "file_change", "notes.md"],
    ["MultiEdit", { file_path: "/elsewhere/x.ts" }, "file_change", "/elsewhere/x.ts"],
    ["NotebookEdit", {}, "file_change", "NotebookEdit"],
    // read-only tools
    ["Read", { file_path: "/repo/README.md" }, "tool", "read: `README.md`"],
    ["read", { path: "/repo" }, "tool", "read: `.`"],
    ["Read", {}, "tool", "Read"],
    ["Glob", { pattern: "**/*.ts" }, "tool", "glob: `**/*.ts`"],
    ["Glob", {}, "tool", "Glob"],
    ["Grep", { pattern: "TODO" }, "tool", "grep: TODO"],
    ["grep", {}, "tool", "grep"],
    ["find", { pattern: "*.md" }, "tool", "find: *.md"],
    ["ls", { path: "/repo/src" }, "tool", "ls: `src`"],
    ["LS", {}, "tool", "LS"],
    // web
    ["WebSearch", { query: "bun spawn detached" }, "web_search", "bun spawn detached"],
    ["web_search", {}, "web_search", "search"],
    ["WebFetch", { url: "https://bun.sh" }, "web_search", "https://bun.sh"],
    ["web_fetch", {}, "web_search", "fetch"],
    // notes
    ["TodoWrite", { todos: [] }, "note", "update todos"],
    ["TodoRead", {}, "note", "read todos"],
    ["AskUserQuestion", { questions: [] }, "note", "ask user"],
    // subagents
    ["Task", { description: "find bugs", prompt: "long prompt" }, "subagent", "find bugs"],
    ["Agent", { prompt: "do it" }, "subagent", "do it"],
    ["task", {}, "subagent", "task"],
    // anything else
    ["mcp__github__search_issues", { q: "x" }, "tool", "mcp__github__search_issues"],
    ["Something", "not an object", "tool", "Something"],
  ] as const)("%p %j → %p %p", (name, input, kind, title) => {
    const action = toolAction({ name, input, cwd });
    expect(action.kind).toBe(kind);
    expect(action.title).toBe(title);
  });

  test("task maps to tool for opencode", () => {
    expect(toolAction({ name: "task", input: { description: "explore" }, cwd, taskKind: "tool" })).toEqual({
      kind: "tool",
      title: "explore",
      detail: {},
    });
  });

  test("path keys are per engine, in priority order", () => {
    const input = { filePath: "/repo/a.ts", path: "/repo/b.ts" };
    expect(toolAction({ name: "edit", input, cwd, pathKeys: ["file_path", "filePath"] }).title).toBe("a.ts");
    expect(toolAction({ name: "edit", input, cwd, pathKeys: ["path"] }).title).toBe("b.ts");
    expect(toolAction({ name: "edit", input, cwd, pathKeys: ["file_path"] }).title).toBe("edit");
  });

  test("file changes carry the raw path as an update", () => {
    expect(toolAction({ name: "Write", input: { file_path: "/repo/x.ts" }, cwd }).detail).toEqual({
      changes: [{ path: "/repo/x.ts", kind: "update" }],
    });
    expect(toolAction({ name: "Read", input: { file_path: "/repo/x.ts" }, cwd }).detail).toEqual({});
  });

  test("empty strings fall back like missing ones", () => {
    expect(toolAction({ name: "Bash", input: { command: "" }, cwd }).title).toBe("Bash");
    expect(toolAction({ name: "Task", input: { description: "", prompt: "p" } }).title).toBe("p");
  });

  test("without a cwd nothing is relativised", () => {
    expect(toolAction({ name: "Read", input: { file_path: "/repo/a" } }).title).toBe("read: `/repo/a`");
  });
});
