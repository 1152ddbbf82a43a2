import { z } from "zod";
import { describeIssues, PlainObject } from "../decode-helpers";
import type { Decoded } from "../engine-spec";

/**
 * `codex exec --json` lines. Unknown fields are stripped; an unknown event or
 * item `type` decodes to an `unknown` variant the translator ignores, because
 * codex adds new ones often (decisions 17). A known type missing a field the
 * translation needs fails to decode and the line is dropped (behaviour §4.0).
 */

// ── items ────────────────────────────────────────────────────────────────────

const AgentMessageItem = z.object({
  id: z.string(),
  type: z.literal("agent_message"),
  text: z.string(),
  /** `commentary` | `final_answer`; usually absent on current CLIs. */
  phase: z.string().nullish(),
});

const ReasoningItem = z.object({ id: z.string(), type: z.literal("reasoning"), text: z.string() });

const CommandItem = z.object({
  id: z.string(),
  type: z.literal("command_execution"),
  command: z.string(),
  exit_code: z.number().nullish(),
  /** in_progress | completed | failed | declined */
  status: z.string(),
});

const FileChange = z.object({ path: z.string(), kind: z.string() });

const FileChangeItem = z.object({
  id: z.string(),
  type: z.literal("file_change"),
  changes: z.array(FileChange),
  status: z.string(),
});

const McpError = z.object({ message: z.string().nullish() }).loose();

const McpToolCallItem = z.object({
  id: z.string(),
  type: z.literal("mcp_tool_call"),
  server: z.string().nullish(),
  tool: z.string().nullish(),
  arguments: z.unknown().optional(),
  result: z.unknown().optional(),
  error: McpError.nullish(),
  status: z.string(),
});

const WebSearchItem = z.object({ id: z.string(), type: z.literal("web_search"), query: z.string() });

const TodoListItem = z.object({
  id: z.string(),
  type: z.literal("todo_list"),
  items: z.array(z.object({ text: z.string(), completed: z.boolean() })),
});

const ErrorItem = z.object({ id: z.string(), type: z.literal("error"), message: z.string() });

const KnownItem = z.discriminatedUnion("type", [
  AgentMessageItem,
  ReasoningItem,
  CommandItem,
  FileChangeItem,
  McpToolCallItem,
  WebSearchItem,
  TodoListItem,
  ErrorItem,
]);

const KNOWN_ITEM_TYPES: ReadonlySet<string> = new Set(KnownItem.options.map((o) => o.shape.type.value));

/** Any item type we do not translate (e.g. `collab_tool_call`): accepted and ignored. */
const UnknownItem = z
  .object({ type: z.string().refine((t) => !KNOWN_ITEM_TYPES.has(t)) })
  .transform((item) => ({ type: "unknown" as const, item_type: item.type }));

const Item = z.union([KnownItem, UnknownItem]);

// ── events ───────────────────────────────────────────────────────────────────

const ThreadStarted = z.object({ type: z.literal("thread.started"), thread_id: z.string().min(1) });
const TurnStarted = z.object({ type: z.literal("turn.started") });
/** Usage is kept whole (a running total for the thread, decisions 15). */
const TurnCompleted = z.object({
  type: z.literal("turn.completed"),
  usage: PlainObject.nullish(),
});
const TurnFailed = z.object({ type: z.literal("turn.failed"), error: z.object({ message: z.string() }) });
const StreamError = z.object({ type: z.literal("error"), message: z.string() });
const ItemEvent = z.object({
  type: z.enum(["item.started", "item.updated", "item.completed"]),
  item: Item,
});

const KnownEvent = z.discriminatedUnion("type", [
  ThreadStarted,
  TurnStarted,
  TurnCompleted,
  TurnFailed,
  StreamError,
  ItemEvent,
]);

export type CodexItem = z.infer<typeof Item>;
export type CodexEvent =
  | z.infer<typeof KnownEvent>
  | { readonly type: "unknown"; readonly event_type: string };

const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set([
  "thread.started",
  "turn.started",
  "turn.completed",
  "turn.failed",
  "error",
  "item.started",
  "item.updated",
  "item.completed",
]);

/** One parsed JSON value → a `CodexEvent`, or why it is not one. */
export function decodeCodexLine(json: unknown): Decoded {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    return { ok: false, error: "codex line is not a JSON object" };
  }
  const type = (json as { type?: unknown }).type;
  if (typeof type !== "string") return { ok: false, error: "codex line has no string `type`" };
  if (!KNOWN_EVENT_TYPES.has(type)) {
    const value: CodexEvent = { type: "unknown", event_type: type };
    return { ok: true, value };
  }
  const parsed = KnownEvent.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: `codex ${type}: ${describeIssues(parsed.error)}` };
}
