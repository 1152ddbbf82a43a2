import { type Fence, nextFence } from "./fence";

const ORDERED = /^([ \t]*)(\d{1,9})[.)](?:[ \t]|$)/;
const BULLET = /^([ \t]*)[-*+](?:[ \t]|$)/;
const RULE = /^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const ORDERED_HINT = /^[ \t]*\d{1,9}[.)](?:[ \t]|$)/m;

/**
 * Agents often write sub-bullets flush with their numbered parent:
 *
 *     1. step one
 *     - detail
 *     1. step two
 *
 * Strict CommonMark reads three separate lists there, so both steps would show "1.".
 * We indent such bullets (and their continuation lines) under the numbered item so the
 * numbering runs on: "1." then "2.". Fenced code is left alone.
 */
export function nestBulletsUnderNumbers(md: string): string {
  if (!ORDERED_HINT.test(md)) return md;
  const lines = md.split("\n");
  let fence: Fence | undefined;
  let orderedIndent = -1;
  let shift = "";
  let shifting = false;
  let changed = false;
  // Inside some list: deeper (4+ space) items are nested items, not indented code.
  let inList = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const inFence = fence !== undefined;
    fence = nextFence(fence, line);
    if (line.trim().length === 0) continue;
    const indent = line.length - line.trimStart().length;
    if (shifting && indent > orderedIndent) {
      lines[i] = shift + line;
      changed = true;
      continue;
    }
    if (inFence || fence) {
      // Fence lines at the list's own level end the list; deeper ones belong to the item.
      if (indent <= orderedIndent) orderedIndent = -1;
      shifting = false;
      continue;
    }
    const listLine = indent <= 3 || inList;
    const ordered = listLine ? ORDERED.exec(line) : null;
    if (ordered || (listLine && BULLET.test(line) && !RULE.test(line))) inList = true;
    else if (indent <= 3) inList = false;
    if (ordered) {
      orderedIndent = indent;
      shift = " ".repeat((ordered[2]?.length ?? 1) + 2);
      shifting = false;
      continue;
    }
    if (indent === orderedIndent && BULLET.test(line) && !RULE.test(line)) {
      lines[i] = shift + line;
      shifting = true;
      changed = true;
      continue;
    }
    if (indent <= orderedIndent) orderedIndent = -1;
    shifting = false;
  }
  return changed ? lines.join("\n") : md;
}
