import { type Fence, nextFence } from "./fence";
import { safeCut } from "./utf16";

/**
 * One piece of a split body. `prefix + content + suffix` is the chunk's markdown;
 * the contents of all chunks, joined, give back the body exactly.
 */
export interface BodyChunk {
  /** Reopens a code fence left open by the previous chunk ("```python\n"), or "". */
  readonly prefix: string;
  readonly content: string;
  /** Closes a code fence still open at the end of this chunk ("\n```"), or "". */
  readonly suffix: string;
}

/** Longer "fence lines" are not tracked: reopening them could eat a whole chunk. */
const MAX_FENCE_LINE = 200;

/** Below this a reopened fence plus its closing marker could leave no room for content. */
export const MIN_SPLIT_LIMIT = 512;

interface Line {
  readonly text: string;
  /** Fence state after this line. */
  readonly fence: Fence | undefined;
  /** A blank line directly follows a blank line or starts a paragraph break. */
  readonly blank: boolean;
}

function scanLines(body: string): Line[] {
  const lines: Line[] = [];
  let fence: Fence | undefined;
  let start = 0;
  while (start < body.length) {
    const nl = body.indexOf("\n", start);
    const end = nl === -1 ? body.length : nl + 1;
    const text = body.slice(start, end);
    const bare = nl === -1 ? text : text.slice(0, -1);
    const next = bare.length <= MAX_FENCE_LINE ? nextFence(fence, bare) : fence;
    fence = next;
    lines.push({ text, fence, blank: bare.trim().length === 0 });
    start = end;
  }
  return lines;
}

/** Paragraphs: non-blank lines plus the blank lines after them (a `\n{2,}` stays with its block). */
function paragraphs(lines: readonly Line[]): Line[][] {
  const out: Line[][] = [];
  let current: Line[] = [];
  for (const line of lines) {
    if (!line.blank && current.length > 0 && current[current.length - 1]?.blank) {
      out.push(current);
      current = [];
    }
    current.push(line);
  }
  if (current.length > 0) out.push(current);
  return out;
}

function reopenLine(fence: Fence): string {
  return `${fence.line}\n`;
}

function closeLine(fence: Fence | undefined, content: string): string {
  if (!fence) return "";
  return `${content.endsWith("\n") || content.length === 0 ? "" : "\n"}${fence.indent}${fence.marker}`;
}

/** Budget for a closing marker whether or not it needs its own newline. */
function closeCost(fence: Fence | undefined): number {
  return fence ? fence.indent.length + fence.marker.length + 1 : 0;
}

/**
 * Split a markdown body into chunks of at most `limit` UTF-16 units (fence markers
 * included): by paragraphs, then lines, then hard slices of over-long lines (never
 * inside a surrogate pair). A code fence open at a chunk's end is closed there and
 * reopened with its original line at the start of the next chunk.
 */
export function splitBody(body: string, limit: number): BodyChunk[] {
  if (limit < MIN_SPLIT_LIMIT) throw new RangeError(`split limit ${limit} is below ${MIN_SPLIT_LIMIT}`);
  const chunks: BodyChunk[] = [];
  let prefix = "";
  let content = "";
  let fence: Fence | undefined;

  const fits = (piece: string, after: Fence | undefined): boolean =>
    prefix.length + content.length + piece.length + closeCost(after) <= limit;
  const add = (piece: string, after: Fence | undefined): void => {
    content += piece;
    fence = after;
  };
  const flush = (): void => {
    chunks.push({ prefix, content, suffix: closeLine(fence, content) });
    prefix = fence ? reopenLine(fence) : "";
    content = "";
  };
  /** Whether `piece` would fit in a chunk started now. */
  const fitsFresh = (piece: string, after: Fence | undefined): boolean =>
    (fence ? reopenLine(fence).length : 0) + piece.length + closeCost(after) <= limit;
  /**
   * Put `piece` in this chunk, or in a new one if it fits there; false when it is too big
   * for any chunk, so the caller breaks it up (filling this chunk first, wasting nothing).
   */
  const place = (piece: string, after: Fence | undefined): boolean => {
    if (fits(piece, after)) {
      add(piece, after);
      return true;
    }
    if (!fitsFresh(piece, after)) return false;
    flush();
    add(piece, after);
    return true;
  };
  const slice = (line: Line): void => {
    let rest = line.text;
    while (!fits(rest, line.fence)) {
      // While slicing, the fence state is the one before the line.
      const room = limit - prefix.length - content.length - closeCost(fence);
      const cut = safeCut(rest, room);
      if (cut <= 0) {
        // Only reachable with content in the chunk: MIN_SPLIT_LIMIT leaves room otherwise.
        flush();
        continue;
      }
      add(rest.slice(0, cut), fence);
      rest = rest.slice(cut);
      flush();
    }
    add(rest, line.fence);
  };

  for (const block of paragraphs(scanLines(body))) {
    const text = block.map((l) => l.text).join("");
    const after = block[block.length - 1]?.fence;
    if (place(text, after)) continue;
    for (const line of block) {
      if (!place(line.text, line.fence)) slice(line);
    }
  }
  if (content.length > 0 || chunks.length === 0)
    chunks.push({ prefix, content, suffix: closeLine(fence, content) });
  return chunks;
}
