/**
 * Plain aligned columns for the text report: no box drawing, no trailing spaces, cells that may
 * already carry colour (their width is measured without escape codes) and may span lines.
 */
import { stripVTControlCharacters } from "node:util";

/** The printed width of a cell line: escape codes are not counted, wide characters count 2. */
export function visibleWidth(s: string): number {
  let w = 0;
  for (const ch of stripVTControlCharacters(s)) w += isWide(ch.codePointAt(0)!) ? 2 : 1;
  return w;
}

// The common East Asian wide and fullwidth ranges (enough to keep columns straight for names
// and comments; an exact table is not worth a dependency here).
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Pads to a printed width. */
export function pad(s: string, width: number): string {
  const w = visibleWidth(s);
  return w >= width ? s : s + " ".repeat(width - w);
}

export interface TableOptions {
  /** Spaces before each line. Default 2. */
  indent?: number;
  /** Spaces between columns. Default 2. */
  gap?: number;
}

/**
 * Lays rows out in aligned columns (the first row is usually the header, already styled).
 * A cell with line breaks spans several lines; the last column is never padded.
 */
export function table(rows: readonly (readonly string[])[], opts: TableOptions = {}): string[] {
  const indent = " ".repeat(opts.indent ?? 2);
  const gap = " ".repeat(opts.gap ?? 2);
  const cols = Math.max(0, ...rows.map((r) => r.length));
  const widths: number[] = new Array<number>(cols).fill(0);
  const split = rows.map((r) => r.map((c) => c.split("\n")));
  for (const r of split) r.forEach((lines, i) => (widths[i] = Math.max(widths[i]!, ...lines.map(visibleWidth))));
  const out: string[] = [];
  for (const r of split) {
    const height = Math.max(1, ...r.map((l) => l.length));
    for (let k = 0; k < height; k++) {
      const cells = r.map((lines, i) => (i === r.length - 1 ? (lines[k] ?? "") : pad(lines[k] ?? "", widths[i]!)));
      out.push((indent + cells.join(gap)).trimEnd());
    }
  }
  return out;
}

/** Joins items with ", " onto lines no wider than `width` (an item is never cut). */
export function wrapList(items: readonly string[], width: number): string {
  const lines: string[] = [];
  let cur = "";
  for (const [i, item] of items.entries()) {
    const piece = item + (i < items.length - 1 ? "," : "");
    if (cur !== "" && visibleWidth(cur) + 1 + visibleWidth(piece) > width) {
      lines.push(cur);
      cur = piece;
    } else cur = cur === "" ? piece : cur + " " + piece;
  }
  if (cur !== "" || lines.length === 0) lines.push(cur);
  return lines.join("\n");
}

/** Word-wraps text onto lines no wider than `width` (a word longer than the width is cut). */
export function wrapText(text: string, width: number): string {
  const w = Math.max(8, width);
  const lines: string[] = [];
  let cur = "";
  for (let word of text.split(/ +/)) {
    while (visibleWidth(word) > w) {
      if (cur !== "") lines.push(cur);
      cur = "";
      lines.push(word.slice(0, w));
      word = word.slice(w);
    }
    if (cur !== "" && visibleWidth(cur) + 1 + visibleWidth(word) > w) {
      lines.push(cur);
      cur = word;
    } else cur = cur === "" ? word : `${cur} ${word}`;
  }
  if (cur !== "" || lines.length === 0) lines.push(cur);
  return lines.join("\n");
}
