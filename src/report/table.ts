/**
 * Plain aligned columns for the text report: no box drawing, no trailing spaces, cells that may
 * already carry colour (their width is measured without escape codes) and may span lines.
 */
import { stripVTControlCharacters } from "node:util";
import stringWidth from "string-width";

// Printable ASCII only: one column a character, no need to look at grapheme clusters.
const PLAIN_ASCII = /^[\x20-\x7e]*$/;
// Made when first needed: the first Intl object of a process loads ICU's data (~20 ms), and a
// table of plain ASCII needs none.
let graphemes: Intl.Segmenter | undefined;

/**
 * The printed width of a cell line in a terminal: escape codes are not counted; East Asian
 * wide characters and emoji (ZWJ sequences included) count 2; combining marks, zero-width
 * spaces and joiners count 0; Devanagari and other scripts count by grapheme cluster.
 */
export function visibleWidth(s: string): number {
  const plain = stripVTControlCharacters(s);
  return PLAIN_ASCII.test(plain) ? plain.length : stringWidth(plain, { countAnsiEscapeCodes: true });
}

/**
 * Splits plain text (no escape codes) after at most `width` columns, between grapheme clusters:
 * a base letter and its marks, or an emoji sequence, are never cut apart.
 */
export function splitAtWidth(s: string, width: number): [head: string, rest: string] {
  if (PLAIN_ASCII.test(s)) return [s.slice(0, Math.max(0, width)), s.slice(Math.max(0, width))];
  let used = 0;
  for (const { segment, index } of (graphemes ??= new Intl.Segmenter(undefined, { granularity: "grapheme" })).segment(s)) {
    used += stringWidth(segment, { countAnsiEscapeCodes: true });
    if (used > width) return [s.slice(0, index), s.slice(index)];
  }
  return [s, ""];
}

/** Plain text cut to `width` columns, ending with `ellipsis` when it was cut (never mid-cluster). */
export function truncate(s: string, width: number, ellipsis: string): string {
  if (visibleWidth(s) <= width) return s;
  return splitAtWidth(s, width - visibleWidth(ellipsis))[0] + ellipsis;
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
  /** Fit this many columns: cut the `shrink` columns (widest first) with `ellipsis`. */
  width?: number;
  /** Columns that may be cut to fit `width` (plain cells: no colour), none below 8 columns. */
  shrink?: readonly number[];
  ellipsis?: string;
}

const MIN_SHRUNK = 8;

/** Narrows the shrinkable columns, widest first, until the table fits (or none can give more). */
function fitWidths(widths: number[], opts: TableOptions, fixed: number): boolean {
  const shrink = (opts.shrink ?? []).filter((i) => i < widths.length);
  let over = fixed + widths.reduce((a, b) => a + b, 0) - (opts.width ?? Infinity);
  let changed = false;
  while (over > 0) {
    const i = shrink.reduce<number | undefined>((best, k) => (widths[k]! > MIN_SHRUNK && (best === undefined || widths[k]! > widths[best]!) ? k : best), undefined);
    if (i === undefined) break;
    widths[i]!--;
    over--;
    changed = true;
  }
  return changed;
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
  if (opts.width !== undefined && fitWidths(widths, opts, indent.length + gap.length * Math.max(0, cols - 1))) {
    for (const r of split) for (const i of opts.shrink ?? []) if (r[i]) r[i] = r[i]!.map((l) => truncate(l, widths[i]!, opts.ellipsis ?? "…"));
  }
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
      const [head, rest] = splitAtWidth(word, w);
      if (head === "") break; // one cluster wider than the line: it stands alone
      lines.push(head);
      word = rest;
    }
    if (cur !== "" && visibleWidth(cur) + 1 + visibleWidth(word) > w) {
      lines.push(cur);
      cur = word;
    } else cur = cur === "" ? word : `${cur} ${word}`;
  }
  if (cur !== "" || lines.length === 0) lines.push(cur);
  return lines.join("\n");
}
