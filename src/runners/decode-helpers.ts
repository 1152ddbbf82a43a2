import { z } from "zod";

/**
 * Any JSON object, passed through as is: usage payloads are kept whole and
 * `z.record` would copy every key on the hot path for nothing.
 */
export const PlainObject = z.custom<Readonly<Record<string, unknown>>>(
  (value) => value !== null && typeof value === "object" && !Array.isArray(value),
  "expected an object",
);

/**
 * `path: message` of the first issue, enough for a debug log line. For a union
 * the branch that got furthest into the value explains it best (ties: the first).
 */
export function describeIssues(error: z.ZodError): string {
  return describeIssue(error.issues[0], []);
}

function describeIssue(issue: z.core.$ZodIssue | undefined, prefix: PropertyKey[]): string {
  if (!issue) return "invalid";
  const path = [...prefix, ...issue.path];
  if (issue.code === "invalid_union") {
    let inner: z.core.$ZodIssue | undefined;
    for (const branch of issue.errors) {
      const first = branch[0];
      if (first && (!inner || first.path.length > inner.path.length)) inner = first;
    }
    if (inner) return describeIssue(inner, path);
  }
  const where = path.map(String).join(".");
  return where ? `${where}: ${issue.message}` : issue.message;
}
