// The shape of takopi.toml: the single source of truth for every key, its
// default, its validation and its documentation (scripts/gen-config-docs.ts).
import { z } from "zod";
import { ENGINE_IDS } from "../model";
import { boolean, doc, integer, table, text, textList } from "./fields";
import { ClaudeSchema, CodexSchema, OpencodeSchema, PiSchema } from "./schema-engines";
import { TelegramSchema } from "./schema-telegram";

/** Chat commands takopi owns; a project alias cannot take one of these names. */
export const RESERVED_CHAT_COMMANDS = [
  "cancel",
  "file",
  "new",
  "agent",
  "model",
  "reasoning",
  "trigger",
  "topic",
  "ctx",
] as const;
/** CLI subcommands takopi owns; engine and plugin ids cannot take one of these names. */
export const RESERVED_CLI_COMMANDS = ["config", "doctor", "init", "plugins"] as const;

/** Why `alias` cannot name a project, or undefined when it can. */
export function projectAliasProblem(alias: string): string | undefined {
  const lower = alias.trim().toLowerCase();
  if (lower === "") return "a project alias cannot be empty";
  if ((ENGINE_IDS as readonly string[]).includes(lower))
    return `alias '${alias}' is an engine id; pick another name`;
  if ((RESERVED_CHAT_COMMANDS as readonly string[]).includes(lower)) {
    return `alias '${alias}' is a reserved chat command (${RESERVED_CHAT_COMMANDS.join(", ")}); pick another name`;
  }
  return undefined;
}

export const ProjectSchema = z.strictObject({
  path: doc(
    text({ nonEmpty: true }),
    "string (required)",
    "The repository root. `~` is expanded; a relative path is relative to the config file's directory.",
  ),
  worktrees_dir: doc(
    text({ nonEmpty: true }).default(".worktrees"),
    "string",
    "Where `@branch` worktrees are created: relative to the project path unless absolute (`~` expanded).",
  ),
  default_engine: doc(
    text({ nonEmpty: true }).optional(),
    "string",
    "Engine for new threads in this project (overrides the global `default_engine`).",
    "none",
  ),
  worktree_base: doc(
    text({ nonEmpty: true }).optional(),
    "string",
    "Base ref for new `@branch` worktrees; unset = origin's HEAD, else the current branch, else master/main.",
    "none",
  ),
  chat_id: doc(
    integer({ coerceString: true }).optional(),
    "integer",
    "A Telegram chat bound to this project: messages there run in this project. Must differ from `transports.telegram.chat_id` and from other projects.",
    "none",
  ),
});

const ProjectsSchema = z
  .record(
    z.string(),
    doc(
      ProjectSchema,
      "table",
      "One table per project; the alias is how chats name it (`/alias`). Aliases are case-insensitive and must not be an engine id or a reserved chat command (cancel, file, new, agent, model, reasoning, trigger, topic, ctx).",
    ),
  )
  .superRefine((projects, ctx) => {
    const seen = new Map<string, string>();
    for (const alias of Object.keys(projects)) {
      const problem = projectAliasProblem(alias);
      if (problem) ctx.addIssue({ code: "custom", message: problem, path: [alias] });
      const lower = alias.trim().toLowerCase();
      const other = seen.get(lower);
      if (other !== undefined) {
        ctx.addIssue({
          code: "custom",
          message: `duplicate project alias: '${other}' and '${alias}' differ only in case`,
          path: [alias],
        });
      }
      seen.set(lower, alias);
    }
  });

const PluginsSchema = z
  .object({
    enabled: doc(
      textList({ nonEmptyItems: true }).default([]),
      "string[]",
      "Plugin distribution names to load; empty = every installed plugin. Other `[plugins.<id>]` tables are passed to that plugin as its config.",
    ),
  })
  .catchall(doc(table(), "table", "Configuration passed to the plugin `<id>`."));

const TransportsSchema = z
  .object({
    telegram: doc(
      TelegramSchema.optional(),
      "table",
      'The Telegram bot; required when `transport = "telegram"`.',
    ),
  })
  .catchall(doc(table(), "table", "Settings of another transport `<id>`, passed to it as is."));

const LEGACY_TOP_LEVEL = ["bot_token", "chat_id"] as const;

export const ConfigSchema = z
  .object({
    watch_config: doc(
      boolean().default(false),
      "boolean",
      "Reload the config when the file changes (engines, projects, plugins; `[transports.telegram]` needs a restart).",
    ),
    default_engine: doc(
      text({ nonEmpty: true }).default("codex"),
      "string",
      "Engine for new threads: `codex`, `claude`, `opencode` or `pi`.",
    ),
    default_project: doc(
      text({ nonEmpty: true }).optional(),
      "string",
      "Project used when a message names none; must match a `[projects.<alias>]` alias (any case).",
      "none",
    ),
    transport: doc(
      text({ nonEmpty: true }).default("telegram"),
      "string",
      "Transport to run; only `telegram` exists.",
    ),
    transports: doc(
      TransportsSchema,
      "table (required)",
      "Transport settings, one table per transport. Required, even when empty.",
    ),
    projects: doc(ProjectsSchema.prefault({}), "table", "Projects (repositories) chats can run in."),
    plugins: doc(PluginsSchema.prefault({}), "table", "Plugin selection and per-plugin settings."),
    codex: doc(CodexSchema.prefault({}), "table", "The `codex` engine (OpenAI Codex CLI)."),
    claude: doc(ClaudeSchema.prefault({}), "table", "The `claude` engine (Claude Code)."),
    opencode: doc(OpencodeSchema.prefault({}), "table", "The `opencode` engine."),
    pi: doc(PiSchema.prefault({}), "table", "The `pi` engine (pi coding agent)."),
  })
  // Unknown top-level tables are kept: they may belong to a newer takopi or a plugin engine.
  .catchall(z.unknown())
  .superRefine((config, ctx) => {
    for (const key of LEGACY_TOP_LEVEL) {
      if (config[key] !== undefined) {
        ctx.addIssue({
          code: "custom",
          message: 'move bot_token/chat_id under [transports.telegram] and set transport = "telegram"',
          path: [key],
        });
      }
    }
    const aliases = Object.keys(config.projects);
    if (config.default_project !== undefined) {
      const wanted = config.default_project.toLowerCase();
      if (!aliases.some((a) => a.toLowerCase() === wanted)) {
        const known = aliases.length
          ? `known aliases: ${aliases.join(", ")}`
          : "no [projects.<alias>] is defined";
        ctx.addIssue({
          code: "custom",
          message: `'${config.default_project}' matches no project alias (${known})`,
          path: ["default_project"],
        });
      }
    }
    const mainChat = config.transports.telegram?.chat_id;
    const owners = new Map<number, string>();
    for (const [alias, project] of Object.entries(config.projects)) {
      if (project.chat_id === undefined) continue;
      const path = ["projects", alias, "chat_id"];
      if (project.chat_id === mainChat) {
        ctx.addIssue({ code: "custom", message: "must not equal transports.telegram.chat_id", path });
      }
      const owner = owners.get(project.chat_id);
      if (owner !== undefined) {
        ctx.addIssue({
          code: "custom",
          message: `chat ${project.chat_id} is already bound to project '${owner}'`,
          path,
        });
      } else owners.set(project.chat_id, alias);
    }
  });

export type TakopiConfig = z.infer<typeof ConfigSchema>;
export type ProjectConfig = z.infer<typeof ProjectSchema>;
export type PluginsConfig = z.infer<typeof PluginsSchema>;
export type TransportsConfig = z.infer<typeof TransportsSchema>;

export type {
  ClaudeConfig,
  CodexConfig,
  OpencodeConfig,
  PiConfig,
} from "./schema-engines";
export {
  ClaudeSchema,
  CodexSchema,
  DEFAULT_CLAUDE_ALLOWED_TOOLS,
  DEFAULT_CODEX_EXTRA_ARGS,
  findManagedCodexFlag,
  OpencodeSchema,
  PiSchema,
} from "./schema-engines";
export type { TelegramConfig, TelegramFilesConfig, TelegramTopicsConfig } from "./schema-telegram";
export {
  DEFAULT_API_ROOT,
  DEFAULT_DENY_GLOBS,
  TelegramFilesSchema,
  TelegramSchema,
  TelegramTopicsSchema,
} from "./schema-telegram";
