// `[projects.<alias>]` tables → absolute paths and lookups the bridge uses
// (behaviour §2.5). Aliases are matched case-insensitively; the written case
// is kept for display.
import { dirname, isAbsolute, resolve } from "node:path";
import { ENGINE_IDS } from "../model";
import { ConfigError } from "./errors";
import { displayPath, expandHome } from "./paths";
import type { TakopiConfig } from "./schema";

type Env = Readonly<Record<string, string | undefined>>;

export interface ResolvedProject {
  /** The alias as written in the file (display form). */
  readonly alias: string;
  /** Lowercased alias: the lookup key. */
  readonly key: string;
  /** Absolute repository root. */
  readonly path: string;
  /** Absolute directory for `@branch` worktrees. */
  readonly worktreesDir: string;
  /** Canonical (lowercase) engine id, when the project sets one. */
  readonly defaultEngine?: string;
  readonly worktreeBase?: string;
  readonly chatId?: number;
}

export interface ProjectsIndex {
  readonly projects: readonly ResolvedProject[];
  readonly byChatId: ReadonlyMap<number, ResolvedProject>;
  readonly defaultProject?: ResolvedProject;
  /** Case-insensitive lookup by alias. */
  find(alias: string): ResolvedProject | undefined;
}

/**
 * Resolves every project against the config file's directory. `engines` are
 * the engine ids a project's `default_engine` may name (default: the built-ins).
 */
export function resolveProjects(
  config: TakopiConfig,
  configPath: string,
  options: { engines?: readonly string[]; env?: Env } = {},
): ProjectsIndex {
  const engines = options.engines ?? ENGINE_IDS;
  const env = options.env ?? process.env;
  const base = dirname(configPath);
  const byKey = new Map<string, ResolvedProject>();
  const byChatId = new Map<number, ResolvedProject>();
  for (const [alias, project] of Object.entries(config.projects)) {
    const path = resolve(base, expandHome(project.path, env));
    const worktrees = expandHome(project.worktrees_dir, env);
    let defaultEngine: string | undefined;
    if (project.default_engine !== undefined) {
      defaultEngine = project.default_engine.toLowerCase();
      if (!engines.includes(defaultEngine)) {
        throw new ConfigError(
          `Unknown \`projects.${alias}.default_engine\` '${project.default_engine}' in ${displayPath(configPath)}. Available: ${engines.join(", ")}.`,
        );
      }
    }
    const resolved: ResolvedProject = {
      alias,
      key: alias.toLowerCase(),
      path,
      worktreesDir: isAbsolute(worktrees) ? worktrees : resolve(path, worktrees),
      ...(defaultEngine !== undefined ? { defaultEngine } : {}),
      ...(project.worktree_base !== undefined ? { worktreeBase: project.worktree_base } : {}),
      ...(project.chat_id !== undefined ? { chatId: project.chat_id } : {}),
    };
    byKey.set(resolved.key, resolved);
    if (resolved.chatId !== undefined) byChatId.set(resolved.chatId, resolved);
  }
  const find = (alias: string) => byKey.get(alias.trim().toLowerCase());
  const defaultProject = config.default_project !== undefined ? find(config.default_project) : undefined;
  return {
    projects: [...byKey.values()],
    byChatId,
    ...(defaultProject ? { defaultProject } : {}),
    find,
  };
}
