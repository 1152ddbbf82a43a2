// `takopi init [alias] [--default]`: registers the current repository as a project.
import { basename } from "node:path";
import { ConfigError } from "../../config/errors";
import { isTable } from "../../config/fields";
import { mainWorktreeRoot, resolveDefaultBase } from "../../config/git";
import { migrateConfig } from "../../config/migrations";
import { displayPath, resolveConfigPath } from "../../config/paths";
import { projectAliasProblem } from "../../config/schema";
import { type RawTable, readRawConfigOrEmpty, writeRawConfig } from "../../config/toml-file";
import { getLogger } from "../../logging/logger";
import { redact } from "../../logging/redact";
import { type Command, type GlobalOptions, UsageError } from "../command";
import { type Io, processIo } from "./config";

const USAGE = `usage: takopi init [ALIAS] [--default]

Registers the current git repository (its main worktree) as project ALIAS
(default: the directory name) in takopi.toml.
  --default   also make it the default project`;

/** Questions `init` may ask; consola in a terminal, scripted in tests. */
export interface Prompter {
  text(message: string, initial: string): Promise<string | undefined>;
  confirm(message: string): Promise<boolean>;
}

export interface InitDeps {
  readonly io: Io;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether prompts may be shown (TTY and `TAKOPI_NO_INTERACTIVE` unset). */
  readonly interactive: boolean;
  readonly prompter: Prompter;
}

/** Prompts are allowed when stdin and stdout are terminals and `TAKOPI_NO_INTERACTIVE` is empty. */
export function isInteractive(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return !env.TAKOPI_NO_INTERACTIVE && Boolean(process.stdin.isTTY) && Boolean(process.stdout.isTTY);
}

const consolaPrompter: Prompter = {
  async text(message, initial) {
    const { consola } = await import("consola");
    const answer = await consola.prompt(message, {
      type: "text",
      default: initial,
      placeholder: initial,
      cancel: "null",
    });
    return answer ?? undefined;
  },
  async confirm(message) {
    const { consola } = await import("consola");
    return (await consola.prompt(message, { type: "confirm", initial: false, cancel: "null" })) === true;
  },
};

function parseArgs(args: readonly string[]): { alias: string | undefined; makeDefault: boolean } {
  let alias: string | undefined;
  let makeDefault = false;
  for (const arg of args) {
    if (arg === "--default") makeDefault = true;
    else if (arg.startsWith("-")) throw new UsageError(`unknown option '${arg}' for init`);
    else if (alias === undefined) alias = arg;
    else throw new UsageError("init takes at most one alias");
  }
  return { alias, makeDefault };
}

async function initProject(args: readonly string[], globals: GlobalOptions, deps: InitDeps): Promise<number> {
  const { alias: given, makeDefault } = parseArgs(args);
  const path = resolveConfigPath(globals.configPath, deps.env);
  const root = mainWorktreeRoot(deps.cwd);
  const suggested = basename(root).replace(/\.git$/, "");

  let alias = given;
  if (alias === undefined) {
    alias = deps.interactive ? await deps.prompter.text("project alias", suggested) : suggested;
    if (alias === undefined) return 1; // prompt cancelled
  }
  alias = alias.trim();
  if (alias === "") throw new ConfigError("project alias cannot be empty");
  const problem = projectAliasProblem(alias);
  if (problem) throw new ConfigError(`Invalid project alias '${alias}': ${problem}.`);

  const raw = readRawConfigOrEmpty(path);
  const applied = migrateConfig(raw, path);
  if (applied.length) getLogger("config").info("config.migrated", { path, migrations: applied });
  if (raw.projects === undefined) raw.projects = {};
  const projects = raw.projects;
  if (!isTable(projects))
    throw new ConfigError(`Invalid \`projects\` in ${displayPath(path)}; expected a table.`);

  const existing = Object.keys(projects).find((key) => key.toLowerCase() === alias.toLowerCase());
  if (existing !== undefined) {
    if (!deps.interactive) {
      throw new ConfigError(
        `project '${existing}' already exists in ${displayPath(path)}; remove it first with \`takopi config unset projects.${existing}\``,
      );
    }
    if (!(await deps.prompter.confirm(`project '${existing}' already exists, overwrite?`))) return 1;
    delete projects[existing];
  }

  const engine =
    typeof raw.default_engine === "string" && raw.default_engine.trim() ? raw.default_engine.trim() : "codex";
  const project: RawTable = { path: root, worktrees_dir: ".worktrees", default_engine: engine };
  const base = resolveDefaultBase(root);
  if (base) project.worktree_base = base;
  projects[alias] = project;
  if (makeDefault) raw.default_project = alias;

  writeRawConfig(path, raw);
  deps.io.out(`saved project '${alias}' to ${displayPath(path, deps.env)}\n`);
  return 0;
}

/** Runs `takopi init`; user-facing errors go to `io.err`. */
export async function runInit(
  args: readonly string[],
  globals: GlobalOptions,
  deps: Partial<InitDeps> = {},
): Promise<number> {
  const env = deps.env ?? process.env;
  const full: InitDeps = {
    io: deps.io ?? processIo,
    cwd: deps.cwd ?? process.cwd(),
    env,
    interactive: deps.interactive ?? isInteractive(env),
    prompter: deps.prompter ?? consolaPrompter,
  };
  try {
    return await initProject(args, globals, full);
  } catch (error) {
    if (error instanceof UsageError) {
      full.io.err(`error: ${redact(error.message)}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      full.io.err(`error: ${redact(error.message)}\n`);
      return error.exitCode;
    }
    throw error;
  }
}

export const init: Command = {
  name: "init",
  summary: "register the current git repository as a project",
  usage: USAGE,
  run: (args, globals) => runInit(args, globals),
};
