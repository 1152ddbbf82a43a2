import type { z } from "zod";
import { show } from "./fields";

/**
 * A problem with the config the user can fix. The message names the file and,
 * for validation errors, the key path; the CLI prints it as `error: <message>`.
 */
export class ConfigError extends Error {
  override name = "ConfigError";
  /** Exit code the CLI uses (`config` subcommands use 2 for parse/validation errors). */
  readonly exitCode: number;
  constructor(message: string, options: { exitCode?: number } = {}) {
    super(message);
    this.exitCode = options.exitCode ?? 1;
  }
}

/** `transports.telegram.allowed_user_ids[1]`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

const TYPE_WORDS: Record<string, string> = {
  object: "a table",
  record: "a table",
  array: "a list",
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
};

function issueTexts(issue: z.core.$ZodIssue): { path: PropertyKey[]; text: string }[] {
  const path = [...issue.path];
  switch (issue.code) {
    case "unrecognized_keys":
      // One line per key, so the line names the exact key path to fix.
      return issue.keys.map((key) => ({
        path: [...path, key],
        text: "unknown key (check the spelling; see docs/config.md)",
      }));
    case "invalid_type": {
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      const input = issue.input;
      const text =
        input === undefined ? `missing; expected ${expected}` : `expected ${expected}, got ${show(input)}`;
      return [{ path, text }];
    }
    default:
      return [{ path, text: issue.message }];
  }
}

/**
 * One line per issue, `key.path: what was expected`. `origin(path)` may name
 * where a value came from (an environment override), appended in parentheses.
 */
export function formatIssues(
  issues: readonly z.core.$ZodIssue[],
  origin?: (path: readonly PropertyKey[]) => string | undefined,
): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    for (const { path, text } of issueTexts(issue)) {
      const key = formatKeyPath(path);
      const from = origin?.(path);
      const line = `${key ? `${key}: ` : ""}${text}${from ? ` (from ${from})` : ""}`;
      if (!lines.includes(line)) lines.push(line);
    }
  }
  return lines;
}

/** `Invalid config in <file>: <line>` for one issue; an indented list for several. */
export function invalidConfigMessage(displayPath: string, lines: readonly string[]): string {
  if (lines.length === 1) return `Invalid config in ${displayPath}: ${lines[0]}`;
  return `Invalid config in ${displayPath}:\n${lines.map((l) => `  - ${l}`).join("\n")}`;
}
