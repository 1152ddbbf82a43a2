import { z } from "zod";
import { describeIssues, PlainObject } from "../decode-helpers";
import type { Decoded } from "../engine-spec";

/**
 * Lines of `pi --print --mode json`. Only the events takopi reads are decoded;
 * the chatty ones (`message_update` carries the whole partial message on every
 * token) are recognised by `type` alone and never walked. Unknown fields are
 * stripped, a field of the wrong type is dropped (checked strictly first, then
 * leniently only for a line that failed: zod's `.catch` on every field is slow),
 * and an unknown `type` decodes to `{ type: "other" }`, which the translator ignores.
 */

function build(lenient: boolean) {
  const opt = <T extends z.ZodType>(schema: T) =>
    lenient ? schema.optional().catch(undefined) : schema.optional();
  const str = opt(z.string());
  const num = opt(z.number());
  const bool = opt(z.boolean());
  return {
    message: z.object({
      role: str,
      content: opt(z.array(z.unknown())),
      stopReason: str,
      errorMessage: str,
      usage: opt(PlainObject),
    }),
    events: {
      session: z.object({ type: z.literal("session"), id: str, cwd: str }),
      agent_start: z.object({ type: z.literal("agent_start") }),
      agent_end: z.object({ type: z.literal("agent_end"), messages: z.array(z.unknown()) }),
      message_end: z.object({ type: z.literal("message_end"), message: z.unknown() }),
      tool_execution_start: z.object({
        type: z.literal("tool_execution_start"),
        toolCallId: z.string(),
        toolName: str,
        args: z.unknown().optional(),
      }),
      tool_execution_end: z.object({
        type: z.literal("tool_execution_end"),
        toolCallId: z.string(),
        toolName: str,
        result: z.unknown().optional(),
        isError: bool,
      }),
      auto_retry_start: z.object({
        type: z.literal("auto_retry_start"),
        attempt: num,
        maxAttempts: num,
        delayMs: num,
        errorMessage: str,
      }),
      auto_retry_end: z.object({
        type: z.literal("auto_retry_end"),
        success: bool,
        attempt: num,
        finalError: str,
      }),
      auto_compaction_start: z.object({ type: z.literal("auto_compaction_start"), reason: str }),
      auto_compaction_end: z.object({
        type: z.literal("auto_compaction_end"),
        aborted: bool,
        willRetry: bool,
      }),
    },
  };
}

const STRICT = build(false);
const LENIENT = build(true);
type Events = typeof STRICT.events;

export type PiMessage = z.infer<typeof STRICT.message>;

/** Any other line: known-but-unused (`message_update`, `turn_end`, …) or new in a later pi. */
export interface PiOtherEvent {
  readonly type: "other";
  readonly rawType: string;
}

export type PiEvent = { [K in keyof Events]: z.infer<Events[K]> }[keyof Events] | PiOtherEvent;

function isDecoded(type: string): type is keyof Events {
  return Object.hasOwn(STRICT.events, type);
}

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
  if (!isDecoded(type)) return { ok: true, value: other(type) };
  const strict = STRICT.events[type].safeParse(json);
  if (strict.success) return { ok: true, value: strict.data };
  const lenient = LENIENT.events[type].safeParse(json);
  if (lenient.success) return { ok: true, value: lenient.data };
  return { ok: false, error: `pi ${type} line: ${describeIssues(lenient.error)}` };
}

/** Lenient read of one message inside `message_end` / `agent_end`; `undefined` if it is not an object. */
export function decodePiMessage(value: unknown): PiMessage | undefined {
  const strict = STRICT.message.safeParse(value);
  if (strict.success) return strict.data;
  const lenient = LENIENT.message.safeParse(value);
  return lenient.success ? lenient.data : undefined;
}

/** Text blocks of a message joined and trimmed, as the answer shows them; `undefined` when there are none. */
export function messageText(content: readonly unknown[] | undefined): string | undefined {
  if (!content) return undefined;
  let text = "";
  for (const block of content) {
    if (block === null || typeof block !== "object") continue;
    if ("type" in block && block.type === "text" && "text" in block && typeof block.text === "string") {
      text += block.text;
    }
  }
  const trimmed = text.trim();
  return trimmed === "" ? undefined : trimmed;
}
