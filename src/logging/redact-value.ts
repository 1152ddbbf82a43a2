import { redact } from "./redact";

/** How an `Error` appears in a log record once it has been made safe to write. */
export interface SerializedError {
  readonly type: string;
  readonly message: string;
  readonly stack?: string;
  readonly [extra: string]: unknown;
}

// Deep enough for Bot API payloads; anything deeper (or cyclic) is cut rather than written unredacted.
const MAX_DEPTH = 8;
const CUT = "[…]";
const utf8 = new TextDecoder();
// Lets the console renderer show an error as `Type: message` without guessing from its shape.
const serializedErrors = new WeakSet<object>();

export function isSerializedError(value: unknown): value is SerializedError {
  return typeof value === "object" && value !== null && serializedErrors.has(value);
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function redactEntries(entries: Iterable<[unknown, unknown]>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) out[redact(String(key))] = redactValue(item, depth + 1);
  return out;
}

function serializeError(error: Error, depth: number): SerializedError {
  const out: Record<string, unknown> = {
    type: redact(error.name || "Error"),
    message: redact(error.message),
  };
  if (error.stack) out.stack = redact(error.stack);
  // Own fields carry the useful detail (`code`, `error_code`, `parameters`…); they may hold a token too.
  for (const [key, item] of Object.entries(error)) {
    if (key !== "stack" && key !== "message") out[redact(key)] = redactValue(item, depth + 1);
  }
  if (error.cause !== undefined) out.cause = redactValue(error.cause, depth + 1);
  serializedErrors.add(out);
  return out as SerializedError;
}

/**
 * Returns a JSON-safe copy of `value` in which every string (keys, nested values,
 * error messages and stacks, decoded bytes) has had bot tokens removed.
 */
export function redactValue(value: unknown, depth = 0): unknown {
  switch (typeof value) {
    case "string":
      return redact(value);
    case "number":
    case "boolean":
    case "undefined":
      return value;
    case "bigint":
      return value.toString();
    case "symbol":
      return redact(value.toString());
    case "function":
      return `[function ${value.name || "anonymous"}]`;
  }
  if (value === null) return null;
  if (depth > MAX_DEPTH) return CUT;
  const obj = value as object;
  if (obj instanceof Error) return serializeError(obj, depth);
  if (Array.isArray(obj)) return obj.map((item) => redactValue(item, depth + 1));
  if (obj instanceof Uint8Array) return redact(utf8.decode(obj));
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? "Invalid Date" : obj.toISOString();
  if (obj instanceof Map) return redactEntries(obj.entries(), depth);
  if (obj instanceof Set) return Array.from(obj, (item) => redactValue(item, depth + 1));
  if (isPlainObject(obj)) return redactEntries(Object.entries(obj), depth);
  // Class instances with their own text form (URL, Request…): that text is what a reader wants,
  // and a Bot API URL is exactly where a token hides.
  if (
    typeof (obj as { toString?: unknown }).toString === "function" &&
    obj.toString !== Object.prototype.toString
  ) {
    return redact(String(obj));
  }
  return redactEntries(Object.entries(obj), depth);
}
