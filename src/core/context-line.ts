/**
 * The `ctx:` line in takopi's messages names the project (and branch) a
 * thread runs in, so a reply continues there. Its format is a protocol shared
 * with the original takopi (behaviour §5.6): `` `ctx: <Alias> @<branch>` ``.
 */

export interface ContextRef {
  /** The alias as written in the line; match it to config keys case-insensitively. */
  readonly project: string;
  readonly branch?: string;
}

/** `` `ctx: takopi @feat/x` `` or `` `ctx: takopi` ``. */
export function formatContextLine(project: string, branch?: string): string {
  return branch ? `\`ctx: ${project} @${branch}\`` : `\`ctx: ${project}\``;
}

/** One line, with or without backticks; `ctx:` in any case; `@branch` or `@ branch`. */
export function parseContextLine(line: string): ContextRef | undefined {
  let text = line.trim();
  if (text.startsWith("`") && text.endsWith("`") && text.length > 1) text = text.slice(1, -1).trim();
  else if (text.startsWith("`")) text = text.slice(1).trim();
  else if (text.endsWith("`")) text = text.slice(0, -1).trim();
  if (text.slice(0, 4).toLowerCase() !== "ctx:") return undefined;
  const tokens = text.slice(4).trim().split(/\s+/);
  const project = tokens[0];
  if (!project) return undefined;
  const second = tokens[1];
  let branch: string | undefined;
  if (second === "@") branch = tokens[2];
  else if (second?.startsWith("@") && second.length > 1) branch = second.slice(1);
  return branch ? { project, branch } : { project };
}

/** The last `ctx:` line in a message (a final answer may quote older ones above it). */
export function findContextLine(text: string | undefined): ContextRef | undefined {
  if (!text) return undefined;
  let found: ContextRef | undefined;
  for (const line of text.split(/\r\n|[\n\r]/)) {
    if (!line.includes(":")) continue;
    found = parseContextLine(line) ?? found;
  }
  return found;
}
