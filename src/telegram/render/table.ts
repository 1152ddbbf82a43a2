// Tables become a monospace `pre` block with padded columns. A table's meaning lives in
// its columns, and Telegram's proportional font would scatter them; in a `pre` block they
// line up on every client (and wide ones scroll or wrap there rather than garble). The
// price: cells lose inline formatting, since `pre` cannot contain other entities.
// Columns are padded to at most MAX_COLUMN: one long cell then sticks out of its row
// instead of padding every other row (a phone shows ~40 monospace columns anyway).

const MAX_COLUMN = 24;

type Align = "center" | "left" | "right" | null;

// Columns a code point takes in a monospace font: 2 for CJK, Hangul, fullwidth forms and
// emoji; 0 for combining marks, zero-width characters and variation selectors.
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1faff],
  [0x20000, 0x3fffd],
];
const ZERO: readonly (readonly [number, number])[] = [
  [0x0300, 0x036f],
  [0x200b, 0x200f],
  [0x20d0, 0x20ff],
  [0xfe00, 0xfe0f],
];

function within(code: number, ranges: readonly (readonly [number, number])[]): boolean {
  for (const [from, to] of ranges) if (code >= from && code <= to) return true;
  return false;
}

export function displayWidth(s: string): number {
  let width = 0;
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    width += code < 0x300 ? 1 : within(code, ZERO) ? 0 : within(code, WIDE) ? 2 : 1;
  }
  return width;
}

function pad(cell: string, width: number, align: Align): string {
  const gap = width - displayWidth(cell);
  if (gap <= 0) return cell;
  if (align === "right") return " ".repeat(gap) + cell;
  if (align === "center") {
    const left = Math.floor(gap / 2);
    return " ".repeat(left) + cell + " ".repeat(gap - left);
  }
  return cell + " ".repeat(gap);
}

/** Lay out plain-text cells as aligned rows: header, a rule, then the body rows. */
export function layoutTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[],
): string {
  const columns = Math.max(header.length, ...rows.map((r) => r.length));
  const widths: number[] = [];
  for (let c = 0; c < columns; c++) {
    let w = displayWidth(header[c] ?? "");
    for (const row of rows) w = Math.max(w, displayWidth(row[c] ?? ""));
    widths.push(Math.min(w, MAX_COLUMN));
  }
  const line = (cells: readonly string[]): string =>
    widths
      .map((w, c) => pad(cells[c] ?? "", w, align[c] ?? null))
      .join(" | ")
      .trimEnd();
  const out = [line(header), widths.map((w) => "-".repeat(Math.max(w, 1))).join("-+-")];
  for (const row of rows) out.push(line(row));
  return out.join("\n");
}
