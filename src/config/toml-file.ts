// Raw TOML read/write for takopi.toml. Integers are read as bigint and floats
// as number, and written back the same way (`numbersAsFloat`), so a value keeps
// its TOML type through a read-modify-write and unknown tables survive untouched.
import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { parse, stringify, TomlError, type TomlTable } from "smol-toml";
import { ConfigError } from "./errors";
import { isTable } from "./fields";
import { displayPath } from "./paths";

export type RawTable = TomlTable;

/** Config file mode: it holds the bot token. */
export const CONFIG_FILE_MODE = 0o600;

/** smol-toml's message minus its code frame: `invalid value (line 1, column 5)`. */
function tomlProblem(error: unknown): string {
  if (error instanceof TomlError) {
    const first = error.message.split("\n")[0]?.replace(/^Invalid TOML document:\s*/, "") ?? "invalid TOML";
    return `${first} (line ${error.line}, column ${error.column})`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Parses TOML text; `Malformed TOML in <path>: …` (exit code 2) on a syntax error. */
export function parseConfigText(text: string, path: string): RawTable {
  try {
    return parse(text, { integersAsBigInt: true });
  } catch (error) {
    throw new ConfigError(`Malformed TOML in ${displayPath(path)}: ${tomlProblem(error)}`, { exitCode: 2 });
  }
}

/** Whether a regular file exists at `path` (a directory there is an error, not "missing"). */
export function configExists(path: string): boolean {
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new ConfigError(`Config path ${displayPath(path)} exists but is not a file.`);
    return true;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    return false;
  }
}

/** Reads and parses the config file; a missing file, a directory or bad TOML is a ConfigError. */
export function readRawConfig(path: string): RawTable {
  if (!configExists(path)) throw new ConfigError(`Missing config file ${displayPath(path)}.`);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`Cannot read config file ${displayPath(path)}: ${reason}`);
  }
  return parseConfigText(text, path);
}

/** Like readRawConfig, but a missing file reads as an empty table. */
export function readRawConfigOrEmpty(path: string): RawTable {
  return configExists(path) ? readRawConfig(path) : {};
}

/** Serialises a raw table (bigint → integer, number → float). */
export function formatConfigText(table: RawTable): string {
  return stringify(table, { numbersAsFloat: true });
}

/**
 * Writes the config atomically: a temp file in the same directory, fsync,
 * rename over the target. Parent directories are created; the file is 0600.
 * A symlinked config is written through to its target.
 */
export function writeRawConfig(path: string, table: RawTable): void {
  let target = path;
  try {
    target = realpathSync(path);
  } catch {
    // Not there yet: write at `path` itself.
  }
  const dir = dirname(target);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  const text = formatConfigText(table);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, "wx", CONFIG_FILE_MODE);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    chmodSync(tmp, CONFIG_FILE_MODE); // the umask may have narrowed or the fs widened it
    renameSync(tmp, target);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // Already gone.
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`Cannot write config file ${displayPath(path)}: ${reason}`);
  }
}

/** A deep copy of a raw table (tables and lists copied, dates and scalars shared). */
export function cloneRaw<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => cloneRaw(v)) as T;
  if (isTable(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = cloneRaw(v);
    return out as T;
  }
  return value;
}
