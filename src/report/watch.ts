/**
 * The `verify --watch` view: a header, one line per slave (worst first: unreachable, out of
 * sync, not joined, pending, in sync), and a summary line. Every line fits the terminal's
 * width and the whole view its height (the slaves that do not fit are counted), so that the
 * view can be drawn again in place (src/report/live.ts).
 */
import type { NodeResult, VerifyStatus } from "../fleet/report.js";
import type { WatchRound } from "../fleet/watch.js";
import { formatDuration } from "../util/duration.js";
import { glyphOf, glyphsFor, labelOf, styleFor, toneOf, unicodeSupported, type Glyphs } from "./symbols.js";
import { pad, truncate, visibleWidth } from "./table.js";
import { safeLine } from "../util/safe-text.js";
import { countsLine } from "./text-recap.js";
import type { TextCtx } from "./text-nodes.js";

const WORST_FIRST: readonly VerifyStatus[] = ["unreachable", "out_of_sync", "not_joined", "pending", "in_sync"];

export interface WatchViewOptions {
  master: { name: string; address: string };
  intervalMs: number;
  /** The last round, if one is done. */
  round?: WatchRound;
  /** A round is being read now. */
  reading: boolean;
  width: number;
  height: number;
  color: boolean;
  unicode?: boolean;
}

/**
 * Cuts plain text to a printed width, with a mark (`~`, readable in any locale) where it had to
 * cut; between grapheme clusters, as every cut of the text report (table.ts `truncate`).
 */
export function cut(text: string, width: number, ellipsis = "~"): string {
  return truncate(text, width, ellipsis);
}

/** The slaves, worst first (inventory order among equals). */
export function worstFirst(nodes: readonly NodeResult[]): NodeResult[] {
  const rank = (n: NodeResult): number => {
    const i = WORST_FIRST.indexOf(n.status as VerifyStatus);
    return i < 0 ? 0 : i;
  };
  return nodes.map((n, i) => ({ n, i })).sort((a, b) => rank(a.n) - rank(b.n) || a.i - b.i).map((x) => x.n);
}

/** What a slave's line says after its status. */
function detail(n: NodeResult, at: Date, g: Glyphs): string {
  const parts: string[] = [];
  if (n.error) parts.push(n.error.message);
  const behind = (n.sections ?? []).filter((s) => s.status === "out_of_sync" || s.status === "pending").map((s) => s.name);
  if (n.status === "not_joined") parts.push("not syncing with this master");
  else if (behind.length > 3) parts.push(`${behind.length} sections: ${behind.slice(0, 3).join(", ")}, ${g.ellipsis}`);
  else if (behind.length) parts.push(behind.join(", "));
  if (n.sync?.lastSyncedAt) parts.push(`last sync ${formatDuration(Math.max(0, at.getTime() - Date.parse(n.sync.lastSyncedAt)))} ago`);
  else if (n.status !== "unreachable") parts.push("no sync in its log");
  return safeLine(parts.join("  ·  "));
}

function clock(d: Date): string {
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((x) => String(x).padStart(2, "0")).join(":");
}

/** The view's lines, each no wider than `width - 1`, at most `height - 1` of them. */
export function renderWatch(o: WatchViewOptions): string[] {
  const s = styleFor(o.color);
  const g = glyphsFor(o.unicode ?? unicodeSupported());
  const c: TextCtx = { s, g, width: o.width };
  const w = Math.max(20, o.width - 1);
  const sep = ` ${g.sep} `;
  const when = o.reading ? `reading${g.ellipsis}` : o.round ? `updated ${clock(o.round.at)}` : "";
  // What changes first, so that a narrow terminal cuts what does not.
  const head = cut(`verify --watch${when ? sep + when : ""}${sep}every ${formatDuration(o.intervalMs)}${sep}master ${safeLine(o.master.name)} ${safeLine(o.master.address)}`, w);
  const lines = [s.bold(head)];
  const r = o.round;
  if (!r) return [...lines, s.dim(cut(`reading the fleet for the first time${g.ellipsis}`, w))];
  if (r.masterError) {
    lines.push(s.tone("bad", cut(`${g.bad} the master could not be read: ${safeLine(r.masterError.message)}`, w)));
    return [...lines, s.dim(cut("Ctrl-C to stop", w))];
  }
  const nodes = worstFirst(r.nodes);
  const room = Math.max(1, o.height - 1 - 2); // the header and the summary line
  const shown = nodes.length > room ? nodes.slice(0, room - 1) : nodes;
  const nameW = Math.min(Math.max(...shown.map((n) => visibleWidth(safeLine(n.name))), 5), Math.floor(w / 3));
  const statusW = Math.max(...shown.map((n) => visibleWidth(labelOf(n.status))), 7);
  for (const n of shown) {
    const name = pad(cut(safeLine(n.name), nameW), nameW);
    const status = pad(labelOf(n.status), statusW);
    const lead = `${glyphOf(n.status, g)} ${name}  ${status}  `;
    const rest = cut(detail(n, r.at, g), Math.max(0, w - visibleWidth(lead)));
    lines.push(s.tone(toneOf(n.status), `${glyphOf(n.status, g)} `) + `${name}  ` + s.tone(toneOf(n.status), status) + `  ${rest}`.trimEnd());
  }
  if (shown.length < nodes.length) {
    const hidden = nodes.slice(shown.length);
    lines.push(s.dim(cut(`${g.ellipsis} and ${hidden.length} more: ${countsLine("verify", hidden, { ...c, s: styleFor(false) })}`, w)));
  }
  const mark = nodes.every((n) => n.status === "in_sync") ? s.tone("ok", g.ok) : s.tone("bad", g.bad);
  const counts = nodes.length ? countsLine("verify", nodes, { ...c, s: styleFor(false) }) : "no slaves selected";
  lines.push(`${mark} ${cut(`${counts}${sep}Ctrl-C to stop`, w - 2)}`);
  return lines;
}
