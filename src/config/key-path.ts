// Dotted key paths (`transports.telegram.chat_id`) over raw TOML tables.
import { ConfigError } from "./errors";
import { isTable } from "./fields";
import type { RawTable } from "./toml-file";
import { formatKey } from "./toml-literal";

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** Splits and checks a key path given on the command line (errors exit 2). */
export function parseKeyPath(key: string): string[] {
  const trimmed = key.trim();
  if (trimmed === "") throw new ConfigError("Invalid key path; expected a non-empty value.", { exitCode: 2 });
  const segments = trimmed.split(".");
  for (const segment of segments) {
    if (segment === "")
      throw new ConfigError(`Invalid key path '${trimmed}'; empty segment.`, { exitCode: 2 });
    if (!SEGMENT.test(segment)) {
      throw new ConfigError(
        `Invalid key segment '${segment}' in '${trimmed}'; use only letters, numbers, '_' or '-'.`,
        { exitCode: 2 },
      );
    }
  }
  return segments;
}

/** The value at `segments`, or undefined when any part is missing. */
export function getAt(table: unknown, segments: readonly string[]): unknown {
  let node: unknown = table;
  for (const segment of segments) {
    if (!isTable(node) || !Object.hasOwn(node, segment)) return undefined;
    node = node[segment];
  }
  return node;
}

/**
 * Sets the value at `segments`, creating missing tables on the way. A non-table
 * in the way is an error naming that prefix: `Invalid \`a.b\` in <file>; expected a table.`
 */
export function setAt(table: RawTable, segments: readonly string[], value: unknown, fileName: string): void {
  let node: Record<string, unknown> = table;
  for (const [i, segment] of segments.slice(0, -1).entries()) {
    const next = node[segment];
    if (next === undefined) {
      const created: Record<string, unknown> = {};
      node[segment] = created;
      node = created;
    } else if (isTable(next)) {
      node = next;
    } else {
      const prefix = segments.slice(0, i + 1).join(".");
      throw new ConfigError(`Invalid \`${prefix}\` in ${fileName}; expected a table.`, { exitCode: 2 });
    }
  }
  node[segments[segments.length - 1]!] = value;
}

/** Removes a leaf or a whole table, then prunes parents left empty. False when nothing was there. */
export function unsetAt(table: RawTable, segments: readonly string[]): boolean {
  const parents: Record<string, unknown>[] = [];
  let node: unknown = table;
  for (const segment of segments.slice(0, -1)) {
    if (!isTable(node)) return false;
    parents.push(node);
    node = node[segment];
  }
  const last = segments[segments.length - 1]!;
  if (!isTable(node) || !Object.hasOwn(node, last)) return false;
  delete node[last];
  // Walk back up: drop each table that is now empty.
  let child = node;
  for (let i = parents.length - 1; i >= 0; i--) {
    if (Object.keys(child).length > 0) break;
    delete parents[i]![segments[i]!];
    child = parents[i]!;
  }
  return true;
}

/** Every leaf as `[dotted.key, value]`, keys sorted at each level; lists count as leaves. */
export function flatten(table: RawTable): [string, unknown][] {
  const out: [string, unknown][] = [];
  const walk = (node: Record<string, unknown>, prefix: string) => {
    for (const key of Object.keys(node).sort()) {
      const value = node[key];
      const path = prefix ? `${prefix}.${formatKey(key)}` : formatKey(key);
      if (isTable(value)) walk(value, path);
      else out.push([path, value]);
    }
  };
  walk(table, "");
  return out;
}
