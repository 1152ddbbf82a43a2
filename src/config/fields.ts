// Field builders for the config schema. Raw TOML is read with integers as
// `bigint` and floats as `number` (see toml-file.ts), which is what lets an
// integer key refuse `1.0` the way the original's strict ints did. Every
// builder writes its own "expected …, got …" message; errors.ts adds the key path.
import { z } from "zod";

/** What docs/config.md says about one key. */
export interface KeyDoc {
  /** Human-readable type, e.g. `integer`, `"trim" \| "split"`, `string[]`. */
  readonly type: string;
  readonly description: string;
  /** Shown instead of the schema default when the default is not a literal (e.g. "none"). */
  readonly defaultText?: string;
}

/** Registry the docs generator walks; holds one entry per documented key. */
export const keyDocs = z.registry<KeyDoc>();

/** Attaches docs to a key's schema (the outermost wrapper, after `.default()`). */
export function doc<T extends z.ZodType>(
  schema: T,
  type: string,
  description: string,
  defaultText?: string,
): T {
  const entry: KeyDoc =
    defaultText === undefined ? { type, description } : { type, description, defaultText };
  keyDocs.add(schema as z.ZodType, entry);
  return schema;
}

/** A short rendering of a raw value for error messages. */
export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}`;
  if (typeof value === "number")
    return Number.isInteger(value) ? `${value}.0 (a float)` : `${value} (a float)`;
  if (typeof value === "boolean") return `${value} (a boolean)`;
  if (Array.isArray(value)) return "a list";
  if (value instanceof Date) return "a date"; // smol-toml's TomlDate extends Date
  if (typeof value === "object" && value !== null) return "a table";
  return String(value);
}

type Ctx = z.core.$RefinementCtx<unknown>;

function fail(ctx: Ctx, value: unknown, expected: string): never {
  const message =
    value === undefined ? `missing; expected ${expected}` : `expected ${expected}, got ${show(value)}`;
  ctx.addIssue({ code: "custom", message, input: value });
  return z.NEVER as never;
}

const NUMERIC = /^[+-]?\d+$/;

function toInt(value: unknown, coerceString: boolean): number | undefined {
  let n: number | undefined;
  if (typeof value === "bigint") n = Number(value);
  else if (coerceString && typeof value === "string" && NUMERIC.test(value.trim())) n = Number(value.trim());
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}

/**
 * An integer. `coerceString` also accepts numeric strings (`"123"`), as the
 * original did for chat ids; booleans and floats are always refused.
 */
export function integer(options: { coerceString?: boolean; min?: number } = {}) {
  const { coerceString = false, min } = options;
  const expected = coerceString ? "an integer (or a numeric string)" : "an integer";
  return z.unknown().transform((value, ctx): number => {
    const n = toInt(value, coerceString);
    if (n === undefined) return fail(ctx, value, expected);
    if (min !== undefined && n < min) return fail(ctx, value, `an integer ≥ ${min}`);
    return n;
  });
}

/** A number (integer or float) at least `min`. */
export function float(options: { min?: number } = {}) {
  const { min } = options;
  return z.unknown().transform((value, ctx): number => {
    const n = typeof value === "bigint" ? Number(value) : typeof value === "number" ? value : undefined;
    if (n === undefined || Number.isNaN(n)) return fail(ctx, value, "a number");
    if (min !== undefined && !(n >= min)) return fail(ctx, value, `a number ≥ ${min}`);
    return n;
  });
}

// The spellings pydantic's lax bool accepted, so `config set watch_config False` still works.
const TRUE_WORDS = new Set(["true", "t", "yes", "y", "on", "1"]);
const FALSE_WORDS = new Set(["false", "f", "no", "n", "off", "0"]);

/** A boolean. `lax` also accepts yes/no/on/off/1/0 style strings and the integers 0 and 1. */
export function boolean(options: { lax?: boolean } = {}) {
  const lax = options.lax ?? true;
  return z.unknown().transform((value, ctx): boolean => {
    if (typeof value === "boolean") return value;
    if (lax && typeof value === "string") {
      const word = value.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
    }
    if (lax && (value === 0n || value === 1n)) return value === 1n;
    return fail(ctx, value, "true or false");
  });
}

/** A string, with surrounding whitespace removed. */
export function text(options: { nonEmpty?: boolean } = {}) {
  const nonEmpty = options.nonEmpty ?? false;
  return z.unknown().transform((value, ctx): string => {
    if (typeof value !== "string") return fail(ctx, value, nonEmpty ? "a non-empty string" : "a string");
    const trimmed = value.trim();
    if (nonEmpty && trimmed === "") return fail(ctx, value, "a non-empty string");
    return trimmed;
  });
}

/** One of a fixed set of strings (trimmed first). */
export function choice<const T extends readonly [string, ...string[]]>(values: T) {
  const expected = `one of ${values.map((v) => JSON.stringify(v)).join(", ")}`;
  return z.unknown().transform((value, ctx): T[number] => {
    const trimmed = typeof value === "string" ? value.trim() : undefined;
    if (trimmed === undefined || !values.includes(trimmed)) return fail(ctx, value, expected);
    return trimmed as T[number];
  });
}

/** A list whose items are read by `item` (undefined = refused); errors name the bad item. */
function listOf<T>(expected: string, item: (value: unknown) => T | undefined) {
  return z.unknown().transform((value, ctx): T[] => {
    if (!Array.isArray(value)) return fail(ctx, value, expected);
    const out: T[] = [];
    for (const [i, raw] of value.entries()) {
      const parsed = item(raw);
      if (parsed === undefined) {
        ctx.addIssue({
          code: "custom",
          message: `expected ${expected}, item ${i} is ${show(raw)}`,
          input: value,
        });
        return z.NEVER as never;
      }
      out.push(parsed);
    }
    return out;
  });
}

/** A list of strings, each trimmed; `nonEmptyItems` refuses blank entries. */
export function textList(options: { nonEmptyItems?: boolean } = {}) {
  const nonEmptyItems = options.nonEmptyItems ?? false;
  return listOf(nonEmptyItems ? "a list of non-empty strings" : "a list of strings", (item) => {
    const trimmed = typeof item === "string" ? item.trim() : undefined;
    return trimmed === undefined || (nonEmptyItems && trimmed === "") ? undefined : trimmed;
  });
}

/** A list of integers (numeric strings accepted, like chat ids). */
export function intList() {
  return listOf("a list of integers", (item) => toInt(item, true));
}

/** Any TOML table, kept as is (plugin configs, other transports). */
export function table() {
  return z.unknown().transform((value, ctx): Record<string, unknown> => {
    if (!isTable(value)) return fail(ctx, value, "a table");
    return value;
  });
}

/** A TOML table: a plain object (smol-toml gives null-prototype ones), not a list or date. */
export function isTable(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype;
}
