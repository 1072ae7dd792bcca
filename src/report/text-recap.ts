/**
 * The end of the text report: what needs attention (reason, what was done, next step), the
 * warnings, and the recap line ("2 joined, 1 unchanged, 1 rolled back (master unreachable
 * from pune-3), 1 failed").
 */
import { FAILING, summarize, type BodyCommand, type NodeResult, type Report } from "../fleet/report.js";
import { labelOf } from "./symbols.js";
import { pad, visibleWidth, wrapText } from "./table.js";
import { safeLine } from "../util/safe-text.js";
import { pointer, statusCell, type TextCtx } from "./text-nodes.js";

/** The order statuses are counted in, per command (the README's lists of statuses). */
const ORDER: Record<BodyCommand, string[]> = {
  "join-slave": ["joined", "unchanged", "planned", "skipped", "rolled_back", "failed"],
  allow: ["updated", "unchanged", "planned", "failed"],
  verify: ["in_sync", "pending", "out_of_sync", "not_joined", "unreachable"],
  undo: ["restored", "unchanged", "planned", "conflict", "skipped", "failed"],
  restart: ["restarted", "planned", "skipped", "failed"],
  detach: ["detached", "updated", "unchanged", "planned", "skipped", "failed"],
};

/** "2 joined, 1 unchanged, 1 rolled back (why), 1 failed" for one command's nodes. */
export function countsLine(command: BodyCommand, nodes: readonly NodeResult[], c: TextCtx): string {
  if (nodes.length === 0) return "no nodes";
  const counts = summarize(nodes);
  const order = [...ORDER[command], ...Object.keys(counts).filter((k) => !ORDER[command].includes(k))];
  const parts: string[] = [];
  for (const st of order) {
    const n = counts[st];
    if (!n) continue;
    let part = `${n} ${labelOf(st)}`;
    if (st === "rolled_back") {
      const why = nodes.filter((x) => x.status === st).map((x) => safeLine(x.rollback?.reason ?? x.error?.message ?? ""));
      const shown = [...new Set(why.filter(Boolean))];
      if (shown.length) part += ` (${shown.slice(0, 3).join("; ")}${shown.length > 3 ? `; ${c.g.ellipsis}` : ""})`;
    }
    parts.push(part);
  }
  return parts.join(", ");
}

/** What to do next when the node carries no hint of its own. */
function defaultNext(n: NodeResult): string | undefined {
  const name = safeLine(n.name);
  if (n.error?.code === "INTERRUPTED") return interruptedNext(n, name);
  switch (n.status) {
    case "not_joined":
      return `run \`safesquid-fleet join-slave ${name}\``;
    case "pending":
      return `the master's latest change has not reached it yet: run \`safesquid-fleet verify ${name} --wait 5m\``;
    case "out_of_sync":
      return `if the master denies its sync, run \`safesquid-fleet allow\` (or set sourceIp); then \`safesquid-fleet verify ${name} --wait 5m\``;
    case "unreachable":
      return `check that SafeSquid runs on ${safeLine(n.address)} and that this machine can reach it`;
    case "rolled_back":
      return `it runs with its previous values; fix the reason above, then run \`safesquid-fleet join-slave ${name}\``;
    case "conflict":
      return "look at the node: it changed since the run; `safesquid-fleet undo --force` puts the run's before-values back anyway";
    case "failed":
      return "run again with --verbose to see each admin call";
    default:
      return undefined;
  }
}

/** A node the run was interrupted on: where to look, and how to finish (no half-done node without a note). */
function interruptedNext(n: NodeResult, name: string): string {
  const [look, finish] = n.role === "master" ? ["safesquid-fleet allow --dry-run", "safesquid-fleet allow"] : [`safesquid-fleet verify ${name}`, `safesquid-fleet join-slave ${name}`];
  if (!n.steps?.length) return `interrupted before a change was confirmed on it: run \`${look}\` to see where it stands`;
  return `interrupted mid-change (previous values in the run record): run \`${look}\` to see where it stands, then \`${finish}\``;
}

/** Sections not in sync, grouped: "dnsbl, general pending (the master changed 20s ago)". */
function sectionReasons(n: NodeResult): string[] {
  const groups = new Map<string, string[]>();
  for (const s of n.sections ?? []) {
    if (s.status !== "out_of_sync" && s.status !== "pending") continue;
    // The refusal's reason is the node's own line; its sections only point at it.
    const detail = n.syncRefused ? s.detail?.replace(/the master refuses the slave's sync: .*$/s, "the master refuses its sync") : s.detail;
    const key = `${labelOf(s.status)}${detail ? `\u0000${safeLine(detail)}` : ""}`;
    groups.set(key, [...(groups.get(key) ?? []), safeLine(s.name)]);
  }
  return [...groups].map(([key, names]) => {
    const [label, detail] = key.split("\u0000");
    return `${names.join(", ")} ${label}${detail ? ` (${detail})` : ""}`;
  });
}

/** A node's warnings, each split into what is wrong and, where it says one, the command that fixes it. */
function ownWarnings(n: NodeResult): { what: string; next?: string }[] {
  const all = [...new Set([...(n.warnings ?? []), ...(n.join?.warnings ?? [])])];
  return all.map((w) => {
    const m = /^(.+?): (run `[^`]+`.*)$/s.exec(w);
    return m ? { what: safeLine(m[1]!), next: safeLine(m[2]!) } : { what: safeLine(w) };
  });
}

function reasons(n: NodeResult, c: TextCtx): string[] {
  const out: string[] = [];
  // A node's own warnings are its reasons here, said once (they leave the Warnings block).
  const warned = ownWarnings(n);
  if (n.status === "not_joined" && !warned.length) out.push(n.current ? `it points at ${pointer(n.current)}, not at this master` : "its startup parameters do not name this master");
  if (n.error) out.push(safeLine(n.error.message));
  if (n.rollback) out.push(`${safeLine(n.rollback.reason)}; ${n.rollback.restored ? "previous values in effect again" : "previous values could NOT be restored"}`);
  if (n.join && n.join.status !== "joined" && n.join.status !== "unchanged") {
    const why = n.join.rollback?.reason ?? n.join.error?.message;
    out.push(`join-slave: ${labelOf(n.join.status)}${why ? ` (${safeLine(why)})` : ""}`);
  }
  if (n.sync?.outcome === "failed" && !n.syncRefused) out.push(`last sync failed${n.sync.reason ? `: ${safeLine(n.sync.reason)}` : ""}`);
  out.push(...warned.map((w) => w.what));
  out.push(...sectionReasons(n));
  return out.length ? out : [c.s.dim("no further detail")];
}

/** Is this node something the user must act on? */
export function needsAttention(n: NodeResult): boolean {
  return FAILING.has(n.status) || (n.join !== undefined && FAILING.has(n.join.status));
}

/** "Needs attention": per failing node the reason, the steps done, and the next step. */
export function attentionBlock(items: readonly { node: NodeResult; phase?: string }[], c: TextCtx): string[] {
  if (items.length === 0) return [];
  const names = items.map(({ node, phase }) => safeLine(node.name) + (phase ? ` (${phase})` : ""));
  const w = Math.max(...names.map(visibleWidth));
  const indent = " ".repeat(w + 4);
  const out = [c.s.bold("Needs attention")];
  items.forEach(({ node: n }, i) => {
    const [first, ...more] = reasons(n, c);
    const room = c.width - indent.length;
    const head = `${statusCell(n.status, c)}: `;
    const [line1, ...rest] = wrapText(first!, room - visibleWidth(head)).split("\n");
    out.push(`  ${pad(c.s.bold(names[i]!), w)}  ${head}${line1}`);
    for (const r of [...rest, ...more.flatMap((m) => wrapText(m, room).split("\n"))]) out.push(indent + r);
    // Wrapped to the width like the reasons: a terminal would otherwise break them mid-word.
    const labelled = (label: string, text: string): string[] => {
      const [line1, ...more] = wrapText(label + text, room).split("\n");
      return [indent + c.s.dim(label) + line1!.slice(label.length), ...more.map((l) => indent + l)];
    };
    if (n.steps?.length) out.push(...labelled("done: ", n.steps.map(safeLine).join(", ")));
    const hint = n.error?.hint ?? n.join?.error?.hint;
    const fixes = [...new Set(ownWarnings(n).flatMap((w) => (w.next ? [w.next] : [])))];
    const next = hint ? [safeLine(hint)] : fixes.length ? fixes : [defaultNext(n)].filter((x): x is string => x !== undefined);
    for (const line of next) out.push(...labelled("next: ", line));
  });
  return out;
}

/** The "Warnings" block's sentences, each naming its node (duplicates dropped). */
export function warningLines(nodes: readonly NodeResult[]): string[] {
  const seen = new Set<string>();
  for (const n of nodes) {
    for (const w of [...(n.warnings ?? []), ...(n.join?.warnings ?? [])]) seen.add(`${safeLine(n.name)}: ${safeLine(w)}`);
  }
  return [...seen];
}

/** "Warnings": one line per sentence, each naming its node (duplicates, and the lines in `said`, dropped). */
export function warningsBlock(nodes: readonly NodeResult[], c: TextCtx, said: ReadonlySet<string> = new Set()): string[] {
  const lines: string[] = [];
  for (const line of warningLines(nodes)) {
    if (said.has(line)) continue;
    const [first, ...more] = wrapText(line, c.width - 4).split("\n");
    lines.push(`  ${c.s.tone("warn", c.g.warning)} ${first}`, ...more.map((l) => `    ${l}`));
  }
  return lines.length ? [c.s.bold("Warnings"), ...lines] : [];
}

/** What a slave the master refuses needs (join-slave's result, or verify's own finding). */
function refusedOf(n: NodeResult): Report["SyncRefused"] | undefined {
  return n.syncRefused ?? n.join?.syncRefused;
}

/**
 * What the recap adds to the counts when something needs doing although no node failed:
 * "2 need allow", "1 needs a deny row changed", "(3 warnings)", and the one command to run
 * ("next: safesquid-fleet allow -i lab.yaml", with the run's inventory, as the report has it).
 */
export function attentionRecap(nodes: readonly NodeResult[]): { parts: string[]; warnings: number; next: string[] } {
  const refused = nodes.map(refusedOf).filter((r): r is Report["SyncRefused"] => r !== undefined);
  const allow = refused.filter((r) => r.fix === "allow");
  const deny = refused.length - allow.length;
  const parts: string[] = [];
  if (allow.length) parts.push(`${allow.length} ${allow.length === 1 ? "needs" : "need"} allow`);
  if (deny) parts.push(`${deny} ${deny === 1 ? "needs" : "need"} a deny row changed on the master`);
  const next: string[] = [];
  const commands = [...new Set(allow.map((r) => r.command).filter((x): x is string => x !== undefined))];
  if (commands.length) next.push(`run \`${safeLine(commands[0]!)}\``);
  if (deny) next.push("narrow or remove the deny row on the master that matches them (allow cannot override it)");
  return { parts, warnings: warningLines(nodes).length, next };
}
