// The built-in engines as router entries: one runner per engine from its
// config table, with a status saying whether it can run (behaviour §2.6, §5.5).
import { ConfigError } from "../config/errors";
import { engineCommand } from "../config/load";
import type { TakopiConfig } from "../config/schema";
import { type BuiltinEngineId, ENGINE_IDS } from "../model";
import { CLAUDE_INSTALL_HINT, createClaudeRunner } from "../runners/claude/runner";
import { CODEX_INSTALL_HINT, createCodexRunner } from "../runners/codex/runner";
import { type JsonlRunnerOptions, missingCliMessage } from "../runners/jsonl-runner";
import { createOpencodeRunner, OPENCODE_INSTALL_HINT } from "../runners/opencode/runner";
import { createPiRunner, PI_INSTALL_HINT } from "../runners/pi/runner";
import type { Runner } from "../runners/runner";
import { Router, type RunnerEntry } from "./router";

type Env = Readonly<Record<string, string | undefined>>;

export interface EngineBuildOptions {
  /** Environment for PATH lookups and the engines' own environment; default `process.env`. */
  readonly env?: Env;
  /** Shared per-thread locks (default: the process-wide table). */
  readonly locks?: JsonlRunnerOptions["locks"];
  readonly killGraceMs?: number;
  /** Engine tables that failed validation (`LoadedConfig.engineErrors`): built with defaults, marked `bad_config`. */
  readonly engineErrors?: Readonly<Partial<Record<BuiltinEngineId, string>>>;
  /** Overrides `default_engine` (e.g. `takopi claude`, `takopi exec --engine pi`). */
  readonly defaultEngine?: string;
  /** For error messages about `default_engine`. */
  readonly configPath?: string;
}

type RunnerDeps = Omit<JsonlRunnerOptions, "command">;
type Factory = (config: TakopiConfig, command: string | undefined, deps: RunnerDeps) => Runner;

const cmd = (command: string | undefined) => (command ? { command } : {});

/** Config table → each engine's runner options (snake_case keys → the runners' own names). */
const FACTORIES: Record<BuiltinEngineId, Factory> = {
  codex: ({ codex }, command, deps) =>
    createCodexRunner(
      { ...cmd(command), extraArgs: codex.extra_args, ...(codex.profile ? { profile: codex.profile } : {}) },
      deps,
    ),
  claude: ({ claude }, command, deps) =>
    createClaudeRunner(
      {
        ...cmd(command),
        ...(claude.model ? { model: claude.model } : {}),
        allowedTools: claude.allowed_tools,
        dangerouslySkipPermissions: claude.dangerously_skip_permissions,
        useApiBilling: claude.use_api_billing,
      },
      deps,
    ),
  opencode: ({ opencode }, command, deps) =>
    createOpencodeRunner({ ...cmd(command), ...(opencode.model ? { model: opencode.model } : {}) }, deps),
  pi: ({ pi }, command, deps) =>
    createPiRunner(
      {
        ...cmd(command),
        ...(pi.model ? { model: pi.model } : {}),
        ...(pi.provider ? { provider: pi.provider } : {}),
        extraArgs: pi.extra_args,
      },
      deps,
    ),
};

export const INSTALL_HINTS: Readonly<Record<BuiltinEngineId, string>> = {
  codex: CODEX_INSTALL_HINT,
  claude: CLAUDE_INSTALL_HINT,
  opencode: OPENCODE_INSTALL_HINT,
  pi: PI_INSTALL_HINT,
};

/** One entry per built-in engine: `ok`, `bad_config` (runs with defaults) or `missing_cli`. */
export function buildRunnerEntries(config: TakopiConfig, opts: EngineBuildOptions = {}): RunnerEntry[] {
  const env = opts.env ?? process.env;
  const deps: RunnerDeps = {
    env,
    ...(opts.locks ? { locks: opts.locks } : {}),
    ...(opts.killGraceMs !== undefined ? { killGraceMs: opts.killGraceMs } : {}),
  };
  return ENGINE_IDS.map((engine): RunnerEntry => {
    const configured = config[engine].command ? engineCommand(config, engine) : undefined;
    const runner = FACTORIES[engine](config, configured, deps);
    const executable = configured ?? engine;
    if (!Bun.which(executable, { PATH: env.PATH ?? "" })) {
      const issue = missingCliMessage({ engine, installHint: INSTALL_HINTS[engine] }, configured);
      return { engine, runner, status: "missing_cli", issue };
    }
    const problem = opts.engineErrors?.[engine];
    if (problem) {
      return {
        engine,
        runner,
        status: "bad_config",
        issue: `invalid [${engine}] config, using defaults: ${problem}`,
      };
    }
    return { engine, runner, status: "ok" };
  });
}

/** The router over the built-in engines; the default engine must be one of them. */
export function buildRouter(config: TakopiConfig, opts: EngineBuildOptions = {}): Router {
  const wanted = (opts.defaultEngine ?? config.default_engine).trim().toLowerCase();
  if (!(ENGINE_IDS as readonly string[]).includes(wanted)) {
    const what = opts.defaultEngine ? "engine" : "default_engine";
    const where = !opts.defaultEngine && opts.configPath ? ` in ${opts.configPath}` : "";
    throw new ConfigError(
      `unknown ${what} \`${wanted}\`${where}; available engines: ${ENGINE_IDS.join(", ")}`,
    );
  }
  return new Router(buildRunnerEntries(config, opts), wanted);
}
