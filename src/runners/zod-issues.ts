import type { z } from "zod";

/**
 * `path: message` of the first issue, enough for a debug log line. For a union
 * (known item or unknown item) the first branch's issue is the useful one.
 */
export function describeIssues(error: z.ZodError): string {
  return describeIssue(error.issues[0], []);
}

function describeIssue(issue: z.core.$ZodIssue | undefined, prefix: PropertyKey[]): string {
  if (!issue) return "invalid";
  const path = [...prefix, ...issue.path];
  if (issue.code === "invalid_union") {
    const inner = issue.errors[0]?.[0];
    if (inner) return describeIssue(inner, path);
  }
  const where = path.map(String).join(".");
  return where ? `${where}: ${issue.message}` : issue.message;
}
