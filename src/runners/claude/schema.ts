import { z } from "zod";
import type { Decoded } from "../engine-spec";
import { describeIssues } from "../zod-issues";

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

/** All `system` subtypes share one shape; the translator reads what its subtype needs. */
const System = z.object({
  type: z.literal("system"),
  subtype: z.string(),
  session_id: z.string().nullish(),
  // init
  model: z.string().nullish(),
  cwd: z.string().nullish(),
  tools: z.unknown().optional(),
  permissionMode: z.unknown().optional(),
  output_style: z.unknown().optional(),
  apiKeySource: z.unknown().optional(),
  mcp_servers: z.unknown().optional(),
  // api_retry
  attempt: z.number().nullish(),
  max_retries: z.number().nullish(),
  retry_delay_ms: z.number().nullish(),
  error_status: z.number().nullish(),
  error: z.unknown().optional(),
  // permission_denied
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
  usage: z.record(z.string(), z.unknown()).nullish(),
});

const KnownLine = z.discriminatedUnion("type", [System, Assistant, User, Result]);
const KNOWN_LINE_TYPES: ReadonlySet<string> = new Set(["system", "assistant", "user", "result"]);

export type ClaudeDenial = z.infer<typeof Denial>;
export type ClaudeSystem = z.infer<typeof System>;
export type ClaudeResult = z.infer<typeof Result>;
export type ClaudeEvent =
  | z.infer<typeof KnownLine>
  | { readonly type: "unknown"; readonly event_type: string };

/** One parsed JSON value → a `ClaudeEvent` (e.g. `stream_event`, `control_request` → `unknown`), or why not. */
export function decodeClaudeLine(json: unknown): Decoded {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    return { ok: false, error: "claude line is not a JSON object" };
  }
  const type = (json as { type?: unknown }).type;
  if (typeof type !== "string") return { ok: false, error: "claude line has no string `type`" };
  if (!KNOWN_LINE_TYPES.has(type)) {
    const value: ClaudeEvent = { type: "unknown", event_type: type };
    return { ok: true, value };
  }
  const parsed = KnownLine.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: `claude ${type}: ${describeIssues(parsed.error)}` };
}
