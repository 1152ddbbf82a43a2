/** An open fenced code block, as far as line-level scanning can tell. */
export interface Fence {
  /** Indentation before the fence marker, reused for the closing marker. */
  readonly indent: string;
  /** The marker run itself, e.g. "```" or "~~~~". */
  readonly marker: string;
  /** The opening line without its newline: "```python title" (reopened verbatim in split mode). */
  readonly line: string;
}

// Indentation is not limited to three spaces: fences inside list items sit deeper.
const OPEN = /^([ \t]*)(`{3,}|~{3,})(.*)$/;
const CLOSE = /^[ \t]*(`{3,}|~{3,})[ \t]*$/;

/** The fence state after `line` (without its newline), given the state before it. */
export function nextFence(open: Fence | undefined, line: string): Fence | undefined {
  if (open) {
    const m = CLOSE.exec(line);
    const marker = m?.[1];
    return marker && marker[0] === open.marker[0] && marker.length >= open.marker.length ? undefined : open;
  }
  const m = OPEN.exec(line);
  if (!m) return undefined;
  const [, indent = "", marker = "", info = ""] = m;
  // A backtick fence's info string may not contain backticks (CommonMark), else it is inline code.
  if (marker[0] === "`" && info.includes("`")) return undefined;
  return { indent, marker, line };
}
