// `TAKOPI__SECTION__KEY=value` environment overrides, applied over the file's
// values: `TAKOPI__TRANSPORTS__TELEGRAM__CHAT_ID=123` sets transports.telegram.chat_id.
import { isTable } from "./fields";
import type { RawTable } from "./toml-file";
import { parseLiteral } from "./toml-literal";

const PREFIX = "TAKOPI__";

/** Env names are case-insensitive: `TAKOPI__PROJECTS__WEB__…` reaches `[projects.Web]`. */
function existingKey(table: Record<string, unknown>, lower: string): string {
  if (Object.hasOwn(table, lower)) return lower;
  return Object.keys(table).find((k) => k.toLowerCase() === lower) ?? lower;
}

/** One override: the env var's name and the key path it sets. */
export interface EnvOverride {
  readonly variable: string;
  readonly path: readonly string[];
}

/**
 * Applies the overrides to `raw` in place (deep: sibling keys from the file
 * stay). Values are TOML literals with a plain-string fallback; empty values
 * are ignored. Returns what was applied, to name the variable in error messages.
 */
export function applyEnvOverrides(
  raw: RawTable,
  env: Readonly<Record<string, string | undefined>>,
): EnvOverride[] {
  const applied: EnvOverride[] = [];
  const names = Object.keys(env)
    .filter((name) => name.startsWith(PREFIX))
    .sort();
  for (const variable of names) {
    const value = env[variable];
    if (value === undefined || value === "") continue;
    const path = variable.slice(PREFIX.length).toLowerCase().split("__");
    if (path.some((segment) => segment === "")) continue;
    let node: Record<string, unknown> = raw;
    for (const segment of path.slice(0, -1)) {
      const key = existingKey(node, segment);
      const next = node[key];
      if (isTable(next)) node = next;
      else {
        const created: Record<string, unknown> = {};
        node[key] = created;
        node = created;
      }
    }
    node[existingKey(node, path[path.length - 1]!)] = parseLiteral(value);
    applied.push({ variable, path });
  }
  return applied;
}

/** The variable that set `issuePath` (or a table above it), if any. */
export function overrideFor(
  overrides: readonly EnvOverride[],
  issuePath: readonly PropertyKey[],
): string | undefined {
  for (const { variable, path } of overrides) {
    if (
      path.length <= issuePath.length &&
      path.every((segment, i) => segment === String(issuePath[i]).toLowerCase())
    )
      return variable;
  }
  return undefined;
}
