import { z } from "zod";
import type { Decoded } from "../engine-spec";

/**
 * Lines of `opencode run --format json`. Every field is optional and a field of
 * the wrong type is dropped rather than failing the line: opencode changes its
 * event shapes between releases, and a run must survive that. A `type` we do
 * not know decodes to `{ type: "unknown" }` and is ignored by the translator.
 */

const str = z.string().optional().catch(undefined);
const num = z.number().optional().catch(undefined);
const loose = z.unknown().optional();

export const OpencodeToolState = z.object({
  status: str,
  input: loose,
  output: loose,
  title: str,
  error: loose,
  metadata: z.object({ exit: loose, exitCode: loose }).optional().catch(undefined),
});
export type OpencodeToolState = z.infer<typeof OpencodeToolState>;

export const OpencodeTokens = z.object({
  input: num,
  output: num,
  reasoning: num,
  cache: z.object({ read: num, write: num }).optional().catch(undefined),
});
export type OpencodeTokens = z.infer<typeof OpencodeTokens>;

const StepStart = z.object({
  type: z.literal("step_start"),
  sessionID: str,
});

const ToolUse = z.object({
  type: z.literal("tool_use"),
  sessionID: str,
  part: z
    .object({
      id: str,
      callID: str,
      tool: str,
      state: OpencodeToolState.optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
});

const Text = z.object({
  type: z.literal("text"),
  sessionID: str,
  part: z.object({ text: str }).optional().catch(undefined),
});

const StepFinish = z.object({
  type: z.literal("step_finish"),
  sessionID: str,
  part: z
    .object({
      reason: str,
      cost: num,
      tokens: OpencodeTokens.optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
});

const ErrorLine = z.object({
  type: z.literal("error"),
  sessionID: str,
  error: loose,
  message: loose,
});

export const OpencodeEvent = z.discriminatedUnion("type", [StepStart, ToolUse, Text, StepFinish, ErrorLine]);

/** A line whose `type` this version of takopi does not know; carried only so logs can name it. */
export interface OpencodeUnknownEvent {
  readonly type: "unknown";
  readonly rawType: string;
  readonly sessionID?: string;
}

export type OpencodeEvent = z.infer<typeof OpencodeEvent> | OpencodeUnknownEvent;

const KNOWN = new Set(["step_start", "tool_use", "text", "step_finish", "error"]);

/** zod decode of one parsed JSON line. Only a non-object or a missing `type` fails. */
export function decodeOpencodeLine(json: unknown): Decoded {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    return { ok: false, error: "opencode line is not a JSON object" };
  }
  const type = "type" in json ? json.type : undefined;
  if (typeof type !== "string") return { ok: false, error: "opencode line has no `type`" };
  if (!KNOWN.has(type)) {
    const sid = "sessionID" in json ? json.sessionID : undefined;
    const value: OpencodeUnknownEvent = {
      type: "unknown",
      rawType: type,
      ...(typeof sid === "string" && sid ? { sessionID: sid } : {}),
    };
    return { ok: true, value };
  }
  const parsed = OpencodeEvent.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: `opencode ${type} line: ${z.prettifyError(parsed.error)}` };
}
