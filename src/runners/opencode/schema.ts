import { z } from "zod";
import { describeIssues } from "../decode-helpers";
import type { Decoded } from "../engine-spec";

/**
 * Lines of `opencode run --format json`. Every field is optional and unknown
 * fields are stripped. Lines are checked with strict field types first; only a
 * line that fails is decoded again leniently, dropping the fields of the wrong
 * type (zod's `.catch` on every field costs ~3× on the hot path). A `type` we do
 * not know decodes to `{ type: "unknown" }` and is ignored by the translator.
 */

function build(lenient: boolean) {
  const opt = <T extends z.ZodType>(schema: T) =>
    lenient ? schema.optional().catch(undefined) : schema.optional();
  const str = opt(z.string());
  const num = opt(z.number());
  const loose = z.unknown().optional();
  const state = z.object({
    status: str,
    input: loose,
    output: loose,
    title: str,
    error: loose,
    metadata: opt(z.object({ exit: loose, exitCode: loose })),
  });
  const tokens = z.object({
    input: num,
    output: num,
    reasoning: num,
    cache: opt(z.object({ read: num, write: num })),
  });
  return {
    step_start: z.object({ type: z.literal("step_start"), sessionID: str }),
    tool_use: z.object({
      type: z.literal("tool_use"),
      sessionID: str,
      part: opt(z.object({ id: str, callID: str, tool: str, state: opt(state) })),
    }),
    text: z.object({ type: z.literal("text"), sessionID: str, part: opt(z.object({ text: str })) }),
    step_finish: z.object({
      type: z.literal("step_finish"),
      sessionID: str,
      part: opt(z.object({ reason: str, cost: num, tokens: opt(tokens) })),
    }),
    error: z.object({ type: z.literal("error"), sessionID: str, error: loose, message: loose }),
  };
}

const STRICT = build(false);
const LENIENT = build(true);
type Schemas = typeof STRICT;

/** A line whose `type` this version of takopi does not know; carried only so logs can name it. */
export interface OpencodeUnknownEvent {
  readonly type: "unknown";
  readonly rawType: string;
  readonly sessionID?: string;
}

export type OpencodeEvent =
  | { [K in keyof Schemas]: z.infer<Schemas[K]> }[keyof Schemas]
  | OpencodeUnknownEvent;
export type OpencodeToolState = NonNullable<NonNullable<z.infer<Schemas["tool_use"]>["part"]>["state"]>;
export type OpencodeTokens = NonNullable<NonNullable<z.infer<Schemas["step_finish"]>["part"]>["tokens"]>;

function isKnown(type: string): type is keyof Schemas {
  return Object.hasOwn(STRICT, type);
}

/** zod decode of one parsed JSON line. Only a non-object or a missing `type` fails. */
export function decodeOpencodeLine(json: unknown): Decoded {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    return { ok: false, error: "opencode line is not a JSON object" };
  }
  const type = "type" in json ? json.type : undefined;
  if (typeof type !== "string") return { ok: false, error: "opencode line has no `type`" };
  if (!isKnown(type)) {
    const sid = "sessionID" in json ? json.sessionID : undefined;
    const value: OpencodeUnknownEvent = {
      type: "unknown",
      rawType: type,
      ...(typeof sid === "string" && sid ? { sessionID: sid } : {}),
    };
    return { ok: true, value };
  }
  const strict = STRICT[type].safeParse(json);
  if (strict.success) return { ok: true, value: strict.data };
  const lenient = LENIENT[type].safeParse(json);
  if (lenient.success) return { ok: true, value: lenient.data };
  return { ok: false, error: `opencode ${type} line: ${describeIssues(lenient.error)}` };
}
