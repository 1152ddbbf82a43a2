// Loading takopi.toml: read → migrate (rewrite the file if needed) → env
// overrides → validate → typed config. Every failure is a ConfigError whose
// message names the file and the key path.
import { getLogger } from "../logging/logger";
import { type BuiltinEngineId, ENGINE_IDS } from "../model";
import { applyEnvOverrides, type EnvOverride, overrideFor } from "./env-overrides";
import { ConfigError, formatIssues, invalidConfigMessage } from "./errors";
import { type MigrationName, migrateConfig } from "./migrations";
import { displayPath, expandHome, resolveConfigPath } from "./paths";
import { ConfigSchema, type TakopiConfig, type TelegramConfig } from "./schema";
import { cloneRaw, type RawTable, readRawConfig, writeRawConfig } from "./toml-file";

type Env = Readonly<Record<string, string | undefined>>;

export interface LoadOptions {
  /** The `--config` value; undefined = `$TAKOPI_CONFIG`, else `~/.takopi/takopi.toml`. */
  readonly path?: string;
  /** Environment for `TAKOPI_CONFIG` and `TAKOPI__*` overrides; default `process.env`. */
  readonly env?: Env;
}

export interface LoadedConfig {
  readonly config: TakopiConfig;
  /** Absolute path of the file that was read. */
  readonly path: string;
  /** Migrations applied (and written back to the file) during this load. */
  readonly migrations: readonly MigrationName[];
  /**
   * Engine tables that failed validation for an engine other than the default
   * one: the config still loads with that engine's defaults, and the engine is
   * shown as misconfigured. Key = engine id, value = the error lines.
   */
  readonly engineErrors: Readonly<Partial<Record<BuiltinEngineId, string>>>;
}

export interface ValidateOptions {
  /** Overrides applied to `raw`, named in error messages. */
  readonly overrides?: readonly EnvOverride[];
  /** Tolerate a broken engine table for a non-default engine (see LoadedConfig.engineErrors). */
  readonly lenientEngines?: boolean;
}

const log = getLogger("config");

function isEngine(key: PropertyKey | undefined): key is BuiltinEngineId {
  return typeof key === "string" && (ENGINE_IDS as readonly string[]).includes(key);
}

/**
 * Validates a raw table (as read by readRawConfig) against the schema. Throws
 * ConfigError (exit code 2) with one line per problem.
 */
export function validateConfig(
  raw: RawTable,
  path: string,
  options: ValidateOptions = {},
): { config: TakopiConfig; engineErrors: Partial<Record<BuiltinEngineId, string>> } {
  const origin = (p: readonly PropertyKey[]) =>
    options.overrides ? overrideFor(options.overrides, p) : undefined;
  const fail = (issues: Parameters<typeof formatIssues>[0]) =>
    new ConfigError(invalidConfigMessage(displayPath(path), formatIssues(issues, origin)), { exitCode: 2 });

  const first = ConfigSchema.safeParse(raw, { reportInput: true });
  if (first.success) return { config: first.data, engineErrors: {} };
  if (!options.lenientEngines) throw fail(first.error.issues);

  const defaultEngine = typeof raw.default_engine === "string" ? raw.default_engine.trim() : "codex";
  const broken = new Set<BuiltinEngineId>();
  for (const issue of first.error.issues) {
    const head = issue.path[0];
    if (!isEngine(head) || head === defaultEngine) throw fail(first.error.issues);
    broken.add(head);
  }
  const engineErrors: Partial<Record<BuiltinEngineId, string>> = {};
  const trimmed = { ...raw };
  for (const engine of broken) {
    const issues = first.error.issues.filter((i) => i.path[0] === engine);
    engineErrors[engine] = formatIssues(issues, origin).join("; ");
    delete trimmed[engine];
  }
  const second = ConfigSchema.safeParse(trimmed, { reportInput: true });
  if (!second.success) throw fail(second.error.issues);
  return { config: second.data, engineErrors };
}

/**
 * Loads the config in use. Migrations are written back to the file (logged
 * as `config.migrated`); env overrides are applied in memory only.
 */
export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const path = resolveConfigPath(options.path, env);
  const raw = readRawConfig(path);
  const migrations = migrateConfig(raw, path);
  if (migrations.length > 0) {
    try {
      writeRawConfig(path, raw);
      log.info("config.migrated", { path, migrations });
    } catch (error) {
      // A read-only config still loads; the migration is simply redone next time.
      log.warning("config.migrate.write_failed", { path, migrations, error: (error as Error).message });
    }
  }
  const effective = cloneRaw(raw);
  const overrides = applyEnvOverrides(effective, env);
  const { config, engineErrors } = validateConfig(effective, path, { overrides, lenientEngines: true });
  for (const [engine, problem] of Object.entries(engineErrors)) {
    log.warning("config.engine.invalid", { engine, problem });
  }
  return { config, path, migrations, engineErrors };
}

/** `[transports.telegram]`, or `Missing [transports.telegram] in <file>.` */
export function requireTelegram(config: TakopiConfig, path: string): TelegramConfig {
  const telegram = config.transports.telegram;
  if (!telegram) throw new ConfigError(`Missing [transports.telegram] in ${displayPath(path)}.`);
  return telegram;
}

/** The executable for an engine: its `command` key (`~/` expanded), else the engine id (looked up on PATH). */
export function engineCommand(config: TakopiConfig, engine: BuiltinEngineId): string {
  const command = config[engine].command;
  return command ? expandHome(command) : engine;
}
