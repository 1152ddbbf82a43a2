// `takopi config path|list|get|set|unset`: read and edit takopi.toml from the shell.
// Exit codes: 0 ok; 1 missing key (silent) or missing file; 2 bad key path, bad
// TOML or a value the schema refuses (the file is then left untouched).
import { ConfigError } from "../../config/errors";
import { isTable } from "../../config/fields";
import { flatten, getAt, parseKeyPath, setAt, unsetAt } from "../../config/key-path";
import { validateConfig } from "../../config/load";
import { migrateConfig } from "../../config/migrations";
import { displayPath, resolveConfigPath } from "../../config/paths";
import {
  configExists,
  type RawTable,
  readRawConfig,
  readRawConfigOrEmpty,
  writeRawConfig,
} from "../../config/toml-file";
import { formatLiteral, parseLiteral } from "../../config/toml-literal";
import { getLogger } from "../../logging/logger";
import { redact } from "../../logging/redact";
import { type Command, type GlobalOptions, UsageError } from "../command";

/** Where a command writes; injectable so tests can capture output in-process. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

const USAGE = `usage: takopi config <command> [--config-path PATH]

commands:
  path                 print the config file path
  list                 print every key as \`key = value\`
  get KEY              print one value (exit 1 if the key is not set)
  set KEY VALUE        set a value (a TOML literal: 123, true, "text", ["a", "b"]; else taken as text)
  unset KEY            remove a key or a whole table`;

interface Parsed {
  readonly sub: string | undefined;
  readonly positional: string[];
  readonly configPath: string | undefined;
}

function parseArgs(args: readonly string[]): Parsed {
  const positional: string[] = [];
  let configPath: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--config-path") {
      configPath = args[++i];
      if (!configPath) throw new UsageError("--config-path needs a path");
    } else if (arg.startsWith("--config-path=")) {
      configPath = arg.slice("--config-path=".length);
      if (!configPath) throw new UsageError("--config-path needs a path");
    } else positional.push(arg);
  }
  const [sub, ...rest] = positional;
  return { sub, positional: rest, configPath };
}

function expectArgs(sub: string, args: readonly string[], names: readonly string[]): void {
  if (args.length !== names.length) {
    const shape = [sub, ...names].join(" ");
    throw new UsageError(`expected \`takopi config ${shape}\``);
  }
}

/**
 * The value the file should hold after validation: `"123"` for an integer key
 * becomes 123, `"False"` for a boolean becomes false, a trimmed string stays
 * trimmed. Values of unknown keys are written as given.
 */
function normalized(validated: unknown, raw: unknown): unknown {
  if (typeof validated === "number") {
    if (typeof raw === "number") return validated;
    return Number.isInteger(validated) ? BigInt(validated) : validated;
  }
  if (typeof validated === "string" || typeof validated === "boolean") return validated;
  if (Array.isArray(validated) && Array.isArray(raw) && validated.length === raw.length) {
    return validated.map((v, i) => normalized(v, raw[i]));
  }
  if (isTable(validated) && isTable(raw)) {
    // Only the keys the user wrote: defaults filled in by the schema stay out of the file.
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) out[key] = normalized(validated[key], value);
    return out;
  }
  return raw;
}

function migrate(raw: RawTable, path: string): void {
  const applied = migrateConfig(raw, path);
  if (applied.length) getLogger("config").info("config.migrated", { path, migrations: applied });
}

function list(path: string, io: Io): number {
  if (!configExists(path)) throw new ConfigError(`missing takopi config at ${displayPath(path)}`);
  for (const [key, value] of flatten(readRawConfig(path))) io.out(`${key} = ${formatLiteral(value)}\n`);
  return 0;
}

function get(path: string, key: string, io: Io): number {
  const segments = parseKeyPath(key);
  if (!configExists(path))
    throw new ConfigError(`missing takopi config at ${displayPath(path)}`, { exitCode: 2 });
  const value = getAt(readRawConfig(path), segments);
  if (value === undefined) return 1;
  if (isTable(value))
    throw new ConfigError(`'${segments.join(".")}' is a table; pick a leaf node.`, { exitCode: 2 });
  io.out(`${formatLiteral(value)}\n`);
  return 0;
}

function set(path: string, key: string, text: string, io: Io): number {
  const segments = parseKeyPath(key);
  const raw = readRawConfigOrEmpty(path);
  migrate(raw, path);
  const value = parseLiteral(text);
  setAt(raw, segments, value, displayPath(path));
  const { config } = validateConfig(raw, path);
  const stored = normalized(getAt(config, segments), value);
  setAt(raw, segments, stored, displayPath(path));
  writeRawConfig(path, raw);
  io.out(`updated ${segments.join(".")} = ${formatLiteral(stored)}\n`);
  return 0;
}

function unset(path: string, key: string, io: Io): number {
  const segments = parseKeyPath(key);
  if (!configExists(path)) return 1;
  const raw = readRawConfig(path);
  migrate(raw, path);
  if (!unsetAt(raw, segments)) return 1;
  validateConfig(raw, path);
  writeRawConfig(path, raw);
  io.out(`removed ${segments.join(".")}\n`);
  return 0;
}

/** Runs `takopi config …`; errors meant for the user are printed to `io.err`, never thrown. */
export async function runConfig(
  args: readonly string[],
  globals: GlobalOptions,
  io: Io = processIo,
): Promise<number> {
  try {
    const { sub, positional, configPath } = parseArgs(args);
    const path = resolveConfigPath(configPath ?? globals.configPath);
    switch (sub) {
      case "path":
        expectArgs(sub, positional, []);
        io.out(`${displayPath(path)}\n`);
        return 0;
      case "list":
        expectArgs(sub, positional, []);
        return list(path, io);
      case "get":
        expectArgs(sub, positional, ["KEY"]);
        return get(path, positional[0]!, io);
      case "set":
        expectArgs(sub, positional, ["KEY", "VALUE"]);
        return set(path, positional[0]!, positional[1]!, io);
      case "unset":
        expectArgs(sub, positional, ["KEY"]);
        return unset(path, positional[0]!, io);
      case undefined:
        io.out(`${USAGE}\n`);
        return 2;
      default:
        throw new UsageError(`unknown config command '${sub}'; expected path, list, get, set or unset`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${redact(error.message)}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.err(`error: ${redact(error.message)}\n`);
      return error.exitCode;
    }
    throw error;
  }
}

export const config: Command = {
  name: "config",
  summary: "show or edit takopi.toml (path, list, get, set, unset)",
  usage: USAGE,
  run: (args, globals) => runConfig(args, globals),
};
