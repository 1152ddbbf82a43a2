// TOML literals as the `config` command and env overrides read and print them.
import { parse, stringify, type TomlValue } from "smol-toml";
import { isTable } from "./fields";

const PROBE = "__takopi_value__";

/**
 * `123` → 123n, `true` → true, `'["a"]'` → ["a"], `1.5` → 1.5; anything that is
 * not a single TOML value (e.g. `hello`, `False`) is taken as the raw string.
 */
export function parseLiteral(text: string): TomlValue {
  try {
    const table = parse(`${PROBE} = ${text}`, { integersAsBigInt: true });
    const keys = Object.keys(table);
    const value = table[PROBE];
    if (keys.length === 1 && value !== undefined) return value;
  } catch {
    // Not a TOML value: fall through to the plain string.
  }
  return text;
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** A key as TOML writes it: bare when possible, quoted otherwise. */
export function formatKey(key: string): string {
  return BARE_KEY.test(key) ? key : JSON.stringify(key);
}

/** One value as a single-line TOML literal: `"text"`, `123`, `1.5`, `[1, 2]`, `{ a = 1 }`. */
export function formatLiteral(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatLiteral).join(", ")}]`;
  if (isTable(value)) {
    const entries = Object.entries(value).map(([k, v]) => `${formatKey(k)} = ${formatLiteral(v)}`);
    return entries.length ? `{ ${entries.join(", ")} }` : "{}";
  }
  // Scalars (strings, numbers, dates) go through smol-toml for exact escaping and float form.
  const line = stringify({ v: value }, { numbersAsFloat: true }).trim();
  return line.slice("v = ".length);
}
