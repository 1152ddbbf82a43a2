// Just enough git for `takopi init`: where the repository lives and which
// branch new worktrees start from (behaviour §5.8 `resolve_default_base`).
import { basename, dirname } from "node:path";

/** stdout of a git command (trimmed), or undefined if git failed or is not installed. */
function git(args: readonly string[], cwd: string): string | undefined {
  try {
    const result = Bun.spawnSync(["git", ...args], { cwd, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    return result.exitCode === 0 ? result.stdout.toString().trim() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The main worktree's root for `cwd` (so `init` inside a linked worktree
 * registers the repository itself). Bare repositories and non-git
 * directories give `cwd` back.
 */
export function mainWorktreeRoot(cwd: string): string {
  const common = git(["rev-parse", "--path-format=absolute", "--git-common-dir"], cwd);
  if (!common) return cwd;
  if (git(["rev-parse", "--is-bare-repository"], cwd) === "true") return cwd;
  if (basename(common) === ".git") return dirname(common);
  // A submodule or a custom GIT_DIR: the common dir is not inside the checkout.
  return git(["rev-parse", "--path-format=absolute", "--show-toplevel"], cwd) || cwd;
}

/** origin's HEAD branch, else the current branch, else `master`, else `main`, else undefined. */
export function resolveDefaultBase(repo: string): string | undefined {
  const originHead = git(["symbolic-ref", "-q", "refs/remotes/origin/HEAD"], repo);
  if (originHead?.startsWith("refs/remotes/origin/")) return originHead.slice("refs/remotes/origin/".length);
  const current = git(["branch", "--show-current"], repo);
  if (current) return current;
  for (const name of ["master", "main"]) {
    if (git(["show-ref", "--verify", "--quiet", `refs/heads/${name}`], repo) !== undefined) return name;
  }
  return undefined;
}
