import { describe, expect, test } from "bun:test";
import { mkdirSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Prompter, runInit } from "../../src/cli/commands/init";
import { mainWorktreeRoot, resolveDefaultBase } from "../../src/config/git";
import { captureIo, MINIMAL, read, tempConfig, tempDir } from "../config/support";

const GIT_ENV = {
  PATH: process.env.PATH ?? "",
  HOME: "/nonexistent",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@example.test",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@example.test",
};

function git(cwd: string, ...args: string[]): string {
  const result = Bun.spawnSync(["git", ...args], { cwd, env: GIT_ENV, stdout: "pipe", stderr: "pipe" });
  if (result.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr.toString()}`);
  return result.stdout.toString().trim();
}

/** A repo `<tmp>/<name>` on branch `trunk` with one commit, plus a linked worktree on `feature`. */
function repoWithWorktree(name = "myrepo"): { root: string; worktree: string } {
  const base = realpathSync(tempDir("takopi-git-"));
  const root = join(base, name);
  mkdirSync(root);
  git(root, "init", "-q", "-b", "trunk");
  git(root, "commit", "-q", "--allow-empty", "-m", "first");
  const worktree = join(base, "wt-feature");
  git(root, "worktree", "add", "-q", "-b", "feature", worktree);
  return { root, worktree };
}

const never: Prompter = {
  text: () => Promise.reject(new Error("no prompt expected")),
  confirm: () => Promise.reject(new Error("no prompt expected")),
};

async function init(
  args: string[],
  path: string,
  cwd: string,
  options: { interactive?: boolean; prompter?: Prompter } = {},
) {
  const io = captureIo();
  const code = await runInit(
    args,
    { configPath: path, debug: false },
    {
      io,
      cwd,
      env: { HOME: "/nonexistent" },
      interactive: options.interactive ?? false,
      prompter: options.prompter ?? never,
    },
  );
  return { code, out: io.stdout(), err: io.stderr() };
}

describe("git helpers", () => {
  test("a linked worktree resolves to the main worktree root", () => {
    const { root, worktree } = repoWithWorktree();
    expect(mainWorktreeRoot(worktree)).toBe(root);
    expect(mainWorktreeRoot(join(root))).toBe(root);
    const plain = realpathSync(tempDir());
    expect(mainWorktreeRoot(plain)).toBe(plain);
  });

  test("default base: origin HEAD, else current branch, else master/main", () => {
    const { root } = repoWithWorktree();
    expect(resolveDefaultBase(root)).toBe("trunk");
    const clone = join(realpathSync(tempDir("takopi-git-")), "clone");
    git(root, "clone", "-q", root, clone);
    git(clone, "checkout", "-q", "-b", "topic");
    expect(resolveDefaultBase(clone)).toBe("trunk");
    git(root, "checkout", "-q", "--detach");
    git(root, "branch", "-q", "-m", "trunk", "main");
    expect(resolveDefaultBase(root)).toBe("main");
    expect(resolveDefaultBase(realpathSync(tempDir()))).toBeUndefined();
  });
});

describe("takopi init", () => {
  test("from a linked worktree: registers the main worktree with its base branch", async () => {
    const { root, worktree } = repoWithWorktree("myrepo");
    const path = join(tempDir(), "takopi.toml");
    expect(await init([], path, worktree)).toEqual({
      code: 0,
      out: `saved project 'myrepo' to ${path}\n`,
      err: "",
    });
    expect(read(path)).toBe(
      `[projects.myrepo]\npath = "${root}"\nworktrees_dir = ".worktrees"\ndefault_engine = "codex"\nworktree_base = "trunk"\n`,
    );
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  test("explicit alias, --default, the global default engine; other tables kept", async () => {
    const { root } = repoWithWorktree();
    const path = tempConfig(`default_engine = "claude"\n${MINIMAL}\n[custom]\nx = 1\n`);
    expect((await init(["Web", "--default"], path, root)).code).toBe(0);
    const text = read(path);
    expect(text).toContain('default_project = "Web"');
    expect(text).toContain(
      `[projects.Web]\npath = "${root}"\nworktrees_dir = ".worktrees"\ndefault_engine = "claude"`,
    );
    expect(text).toContain("[custom]\nx = 1");
    expect(text).toContain('bot_token = "123:abc"');
  });

  test("outside git: the current directory, no worktree_base; a .git suffix is dropped from the alias", async () => {
    const dir = join(realpathSync(tempDir()), "thing.git");
    mkdirSync(dir);
    const path = join(tempDir(), "takopi.toml");
    expect((await init([], path, dir)).out).toBe(`saved project 'thing' to ${path}\n`);
    expect(read(path)).toBe(
      `[projects.thing]\npath = "${dir}"\nworktrees_dir = ".worktrees"\ndefault_engine = "codex"\n`,
    );
  });

  test("aliases that are engine ids or reserved commands are refused", async () => {
    const { root } = repoWithWorktree();
    const path = join(tempDir(), "takopi.toml");
    const codex = await init(["Codex"], path, root);
    expect(codex.code).toBe(1);
    expect(codex.err).toBe(
      "error: Invalid project alias 'Codex': alias 'Codex' is an engine id; pick another name.\n",
    );
    expect((await init(["new"], path, root)).err).toContain("is a reserved chat command");
  });

  test("an existing alias: refused without a terminal, overwritten after confirmation", async () => {
    const { root } = repoWithWorktree();
    const path = tempConfig('[projects.App]\npath = "/old"\n');
    const refused = await init(["app"], path, root);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("project 'App' already exists");
    const no: Prompter = { ...never, confirm: () => Promise.resolve(false) };
    expect((await init(["app"], path, root, { interactive: true, prompter: no })).code).toBe(1);
    expect(read(path)).toBe('[projects.App]\npath = "/old"\n');
    const asked: string[] = [];
    const yes: Prompter = {
      ...never,
      confirm: (message) => {
        asked.push(message);
        return Promise.resolve(true);
      },
    };
    expect((await init(["app"], path, root, { interactive: true, prompter: yes })).code).toBe(0);
    expect(asked).toEqual(["project 'App' already exists, overwrite?"]);
    expect(read(path)).toStartWith(`[projects.app]\npath = "${root}"`);
    expect(read(path)).not.toContain("/old");
  });

  test("interactive: the alias is asked for, with the directory name offered", async () => {
    const { root } = repoWithWorktree("offered");
    const path = join(tempDir(), "takopi.toml");
    const seen: [string, string][] = [];
    const prompter: Prompter = {
      ...never,
      text: (message, initial) => {
        seen.push([message, initial]);
        return Promise.resolve(" site ");
      },
    };
    expect((await init([], path, root, { interactive: true, prompter })).out).toBe(
      `saved project 'site' to ${path}\n`,
    );
    expect(seen).toEqual([["project alias", "offered"]]);
    const blank: Prompter = { ...never, text: () => Promise.resolve("") };
    expect(await init([], path, root, { interactive: true, prompter: blank })).toEqual({
      code: 1,
      out: "",
      err: "error: project alias cannot be empty\n",
    });
  });

  test("a legacy config is migrated while saving", async () => {
    const { root } = repoWithWorktree();
    const path = tempConfig('bot_token = "1:x"\nchat_id = 5\n');
    expect((await init(["p"], path, root)).code).toBe(0);
    const text = read(path);
    expect(text).toContain('[transports.telegram]\nbot_token = "1:x"\nchat_id = 5');
    expect(text).toStartWith('transport = "telegram"\n\n[transports.telegram]');
  });

  test("the real CLI: `takopi --config X init NAME` in a repo", () => {
    const { root, worktree } = repoWithWorktree();
    const path = join(tempDir(), "takopi.toml");
    const result = Bun.spawnSync(
      [
        process.execPath,
        join(import.meta.dir, "..", "..", "src", "main.ts"),
        "--config",
        path,
        "init",
        "cli",
      ],
      { cwd: worktree, env: { ...GIT_ENV, TAKOPI_NO_INTERACTIVE: "1" }, stdout: "pipe", stderr: "pipe" },
    );
    expect(result.stderr.toString()).toBe("");
    expect(result.exitCode).toBe(0);
    expect(read(path)).toContain(`[projects.cli]\npath = "${root}"`);
  });
});
