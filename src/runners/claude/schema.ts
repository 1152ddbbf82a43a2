import { z } from "zod";
import { describeIssues, PlainObject } from "../decode-helpers";
import type { Decoded } from "../engine-spec";

/**
 * `claude -p --output-format stream-json --verbose` lines. Unknown fields are
 * stripped; unknown line and content-block types decode to `unknown` variants
 * the translator ignores (decisions 17). Key order does not matter: current
 * CLIs write `result` lines whose first key is not `type` (decisions 16).
 */

// ── content blocks ───────────────────────────────────────────────────────────

const TextBlock = z.object({ type: z.literal("text"), text: z.string() });
const ThinkingBlock = z.object({ type: z.literal("thinking"), thinking: z.string() });
const ToolUseBlock = z.object({
  type: z.literal("tool_use"),
  id: z.string().min(1),
  name: z.string(),
  input: z.unknown().optional(),
});
const ToolResultBlock = z.object({
  type: z.literal("tool_result"),
  tool_use_id: z.string().min(1),
  content: z.unknown().optional(),
  is_error: z.boolean().nullish(),
});

const KnownBlock = z.discriminatedUnion("type", [TextBlock, ThinkingBlock, ToolUseBlock, ToolResultBlock]);
const KNOWN_BLOCK_TYPES: ReadonlySet<string> = new Set(KnownBlock.options.map((o) => o.shape.type.value));

/** e.g. `redacted_thinking`, `image`, `server_tool_use`: accepted and ignored. */
const UnknownBlock = z
  .object({ type: z.string().refine((t) => !KNOWN_BLOCK_TYPES.has(t)) })
  .transform((block) => ({ type: "unknown" as const, block_type: block.type }));

const Block = z.union([KnownBlock, UnknownBlock]);
export type ClaudeBlock = z.infer<typeof Block>;

// ── lines ────────────────────────────────────────────────────────────────────

/** `system/init`: the session starts (always the first line of a new or resumed run). */
const SystemInit = z.object({
  type: z.literal("system"),
  subtype: z.literal("init"),
  session_id: z.string().nullish(),
  model: z.string().nullish(),
  cwd: z.string().nullish(),
  tools: z.unknown().optional(),
  permissionMode: z.unknown().optional(),
  output_style: z.unknown().optional(),
  apiKeySource: z.unknown().optional(),
  mcp_servers: z.unknown().optional(),
});

/** `system/api_retry`: an API call failed and will be retried. */
const SystemRetry = z.object({
  type: z.literal("system"),
  subtype: z.literal("api_retry"),
  attempt: z.number().nullish(),
  max_retries: z.number().nullish(),
  retry_delay_ms: z.number().nullish(),
  error_status: z.number().nullish(),
  error: z.unknown().optional(),
});

/** `system/permission_denied`: a tool call was refused by the permission rules. */
const SystemDenied = z.object({
  type: z.literal("system"),
  subtype: z.literal("permission_denied"),
  tool_name: z.string().nullish(),
  tool_use_id: z.string().nullish(),
  message: z.string().nullish(),
});

const Assistant = z.object({
  type: z.literal("assistant"),
  message: z.object({ id: z.string().nullish(), content: z.array(Block) }),
  parent_tool_use_id: z.string().nullish(),
});

const User = z.object({
  type: z.literal("user"),
  /** A plain string is the user's own prompt echoed back; only block arrays carry tool results. */
  message: z.object({ content: z.union([z.string(), z.array(Block)]) }),
});

const Denial = z.object({
  tool_name: z.string().nullish(),
  tool_use_id: z.string().nullish(),
  tool_input: z.unknown().optional(),
});

const Result = z.object({
  type: z.literal("result"),
  subtype: z.string().nullish(),
  is_error: z.boolean().nullish(),
  result: z.string().nullish(),
  session_id: z.string().nullish(),
  errors: z.array(z.unknown()).nullish(),
  permission_denials: z.array(Denial).nullish(),
  total_cost_usd: z.number().nullish(),
  duration_ms: z.number().nullish(),
  duration_api_ms: z.number().nullish(),
  num_turns: z.number().nullish(),
  usage: PlainObject.nullish(),
});

/**
 * Schemas by `type`, or `system/<subtype>` for system lines. Dispatching by hand
 * lets the many system subtypes we ignore (thinking_tokens, hooks, status…) skip
 * validation entirely; this runs once per line.
 */
const SCHEMAS = new Map<string, z.ZodType>([
  ["system/init", SystemInit],
  ["system/api_retry", SystemRetry],
  ["system/permission_denied", SystemDenied],
  ["assistant", Assistant],
  ["user", User],
  ["result", Result],
]);

export type ClaudeDenial = z.infer<typeof Denial>;
export type ClaudeInit = z.infer<typeof SystemInit>;
export type ClaudeRetry = z.infer<typeof SystemRetry>;
export type ClaudeResult = z.infer<typeof Result>;
export type ClaudeEvent =
  | ClaudeInit
  | ClaudeRetry
  | z.infer<typeof SystemDenied>
  | z.infer<typeof Assistant>
  | z.infer<typeof User>
  | ClaudeResult
  | { readonly type: "unknown"; readonly event_type: string };

/** One parsed JSON value → a `ClaudeEvent` (e.g. `stream_event`, `control_request` → `unknown`), or why not. */
export function decodeClaudeLine(json: unknown): Decoded {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    return { ok: false, error: "claude line is not a JSON object" };
  }
  const type = (json as { type?: unknown }).type;
  if (typeof type !== "string") return { ok: false, error: "claude line has no string `type`" };
  let key = type;
  if (type === "system") {
    const subtype = (json as { subtype?: unknown }).subtype;
    if (typeof subtype !== "string")
      return { ok: false, error: "claude system line has no string `subtype`" };
    key = `system/${subtype}`;
  }
  const schema = SCHEMAS.get(key);
  if (schema === undefined) {
    const value: ClaudeEvent = { type: "unknown", event_type: key };
    return { ok: true, value };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: `claude ${key}: ${describeIssues(parsed.error)}` };
}
