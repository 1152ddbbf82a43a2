// Rewrites of older config layouts, applied to the raw table before validation.
// The caller writes the file back when anything changed and logs `config.migrated`.
import { ConfigError } from "./errors";
import { isTable } from "./fields";
import { displayPath } from "./paths";
import type { RawTable } from "./toml-file";

export type MigrationName = "legacy-telegram" | "topics-scope";

function tableAt(
  parent: Record<string, unknown>,
  key: string,
  label: string,
  path: string,
): Record<string, unknown> {
  const value = parent[key];
  if (value === undefined) {
    const created: Record<string, unknown> = {};
    parent[key] = created;
    return created;
  }
  if (!isTable(value))
    throw new ConfigError(`Invalid \`${label}\` in ${displayPath(path)}; expected a table.`);
  return value;
}

/** Top-level `bot_token`/`chat_id` move under `[transports.telegram]` (values already there win). */
function legacyTelegram(raw: RawTable, path: string): boolean {
  const legacy = (["bot_token", "chat_id"] as const).filter((k) => raw[k] !== undefined);
  if (legacy.length === 0) return false;
  const transports = tableAt(raw, "transports", "transports", path);
  const telegram = tableAt(transports, "telegram", "transports.telegram", path);
  for (const key of legacy) {
    if (telegram[key] === undefined) telegram[key] = raw[key];
    delete raw[key];
  }
  if (raw.transport === undefined) raw.transport = "telegram";
  return true;
}

const SCOPE_FOR_MODE: Record<string, string> = {
  multi_project_chat: "main",
  per_project_chat: "projects",
};

/** `transports.telegram.topics.mode` (0.1x names) becomes `scope`. */
function topicsScope(raw: RawTable, path: string): boolean {
  const transports = raw.transports;
  if (!isTable(transports) || !isTable(transports.telegram)) return false;
  const topics = transports.telegram.topics;
  if (!isTable(topics) || topics.mode === undefined) return false;
  const mode = typeof topics.mode === "string" ? topics.mode.trim() : undefined;
  const scope = mode === undefined ? undefined : SCOPE_FOR_MODE[mode];
  if (scope === undefined) {
    throw new ConfigError(
      `Invalid \`transports.telegram.topics.mode\` in ${displayPath(path)}; expected 'multi_project_chat' or 'per_project_chat'.`,
    );
  }
  if (topics.scope === undefined) topics.scope = scope;
  delete topics.mode;
  return true;
}

/** Applies every migration in place; returns the names of those that changed something. */
export function migrateConfig(raw: RawTable, path: string): MigrationName[] {
  const applied: MigrationName[] = [];
  if (legacyTelegram(raw, path)) applied.push("legacy-telegram");
  if (topicsScope(raw, path)) applied.push("topics-scope");
  return applied;
}
