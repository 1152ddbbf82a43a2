// The same progress parts, laid out for a terminal (`takopi exec`): one line
// per header, action, ctx and resume line. Pure: callers do the writing.
import type { RenderedParts } from "../transport";
import { HARD_BREAK } from "./presenter";

const ESC = "\x1b[";

/** A part's lines: progress bodies and footers are joined by markdown hard breaks. */
export function partLines(part: string): string[] {
  return part === "" ? [] : part.split(HARD_BREAK);
}

/** Header, action lines, then ctx/resume lines; empty parts leave no blank lines. */
export function terminalLines(parts: RenderedParts): string[] {
  return [...partLines(parts.header), ...partLines(parts.body), ...partLines(parts.footer)];
}

/**
 * Cuts a line to fit `columns` (ending in `…`), so a redraw can count rows by
 * lines; a wrapped line would leave stale rows behind.
 */
export function fitLine(line: string, columns: number): string {
  if (columns <= 1) return line;
  const chars = Array.from(line);
  return chars.length < columns ? line : `${chars.slice(0, columns - 2).join("")}…`;
}

/** Moves up over the `previousRows` drawn last time, clears them and draws `lines` instead. */
export function redrawBlock(previousRows: number, lines: readonly string[]): string {
  const up = previousRows > 0 ? `${ESC}${previousRows}F` : "";
  const body = lines.length > 0 ? `${lines.join("\n")}\n` : "";
  return `${up}${ESC}J${body}`;
}
