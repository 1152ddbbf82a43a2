import { z } from "zod";
import type { Decoded } from "../engine-spec";

/**
 * Lines of `pi --print --mode json`. Only the events takopi reads are decoded;
 * the chatty ones (`message_update` carries the whole partial message on every
 * token) are recognised by `type` alone and never walked. Unknown fields are
 * stripped, a field of the wrong type is dropped, and an unknown `type` decodes
 * to `{ type: "other" }`, which the translator ignores.
 */

const str = z.string().optional().catch(undefined);
const num = z.number().optional().catch(undefined);
const bool = z.boolean().optional().catch(undefined);

/** Content blocks keep only what answers are built from; images and tool arguments are dropped here. */
const ContentBlock = z.object({ type: str, text: str });

export const PiMessage = z.object({
  role: str,
  content: z.array(z.unknown()).optional().catch(undefined),
  stopReason: str,
  errorMessage: str,
  usage: z.record(z.string(), z.unknown()).optional().catch(undefined),
});
export type PiMessage = z.infer<typeof PiMessage>;

const Session = z.object({ type: z.literal("session"), id: str, cwd: str });
const AgentStart = z.object({ type: z.literal("agent_start") });
const AgentEnd = z.object({ type: z.literal("agent_end"), messages: z.array(z.unknown()) });
const MessageEnd = z.object({ type: z.literal("message_end"), message: z.unknown() });
const ToolStart = z.object({
  type: z.literal("tool_execution_start"),
  toolCallId: z.string(),
  toolName: str,
  args: z.unknown().optional(),
});
const ToolEnd = z.object({
  type: z.literal("tool_execution_end"),
  toolCallId: z.string(),
  toolName: str,
  result: z.unknown().optional(),
  isError: bool,
});
const RetryStart = z.object({
  type: z.literal("auto_retry_start"),
  attempt: num,
  maxAttempts: num,
  delayMs: num,
  errorMessage: str,
});
const RetryEnd = z.object({
  type: z.literal("auto_retry_end"),
  success: bool,
  attempt: num,
  finalError: str,
});
const CompactionStart = z.object({ type: z.literal("auto_compaction_start"), reason: str });
const CompactionEnd = z.object({
  type: z.literal("auto_compaction_end"),
  aborted: bool,
  willRetry: bool,
});

export const PiEventSchema = z.discriminatedUnion("type", [
  Session,
  AgentStart,
  AgentEnd,
  MessageEnd,
  ToolStart,
  ToolEnd,
  RetryStart,
  RetryEnd,
  CompactionStart,
  CompactionEnd,
]);

/** Any other line: known-but-unused (`message_update`, `turn_end`, …) or new in a later pi. */
export interface PiOtherEvent {
  readonly type: "other";
  readonly rawType: string;
}

export type PiEvent = z.infer<typeof PiEventSchema> | PiOtherEvent;

const DECODED = new Set([
  "session",
  "agent_start",
  "agent_end",
  "message_end",
  "tool_execution_start",
  "tool_execution_end",
  "auto_retry_start",
  "auto_retry_end",
  "auto_compaction_start",
  "auto_compaction_end",
]);

/** Shared instances: most lines of a run are `message_update`, so skipping them allocates nothing. */
const OTHER = new Map<string, PiOtherEvent>();

function other(rawType: string): PiOtherEvent {
  let event = OTHER.get(rawType);
  if (!event) {
    event = { type: "other", rawType };
    if (OTHER.size < 64) OTHER.set(rawType, event);
  }
  return event;
}

/** zod decode of one parsed JSON line. Fails only for a non-object, a missing `type`, or a tool event without its id. */
export function decodePiLine(json: unknown): Decoded {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    return { ok: false, error: "pi line is not a JSON object" };
  }
  const type = "type" in json ? json.type : undefined;
  if (typeof type !== "string") return { ok: false, error: "pi line has no `type`" };
  if (!DECODED.has(type)) return { ok: true, value: other(type) };
  const parsed = PiEventSchema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: `pi ${type} line: ${z.prettifyError(parsed.error)}` };
}

/** Lenient read of one message inside `message_end` / `agent_end`; `undefined` if it is not an object. */
export function decodePiMessage(value: unknown): PiMessage | undefined {
  const parsed = PiMessage.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** Text blocks of a message joined and trimmed, as the answer shows them; `undefined` when there are none. */
export function messageText(content: readonly unknown[] | undefined): string | undefined {
  if (!content) return undefined;
  let text = "";
  for (const raw of content) {
    const block = ContentBlock.safeParse(raw);
    if (block.success && block.data.type === "text" && block.data.text) text += block.data.text;
  }
  const trimmed = text.trim();
  return trimmed === "" ? undefined : trimmed;
}
