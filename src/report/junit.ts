/**
 * `-o junit` for `verify` and `apply` (docs/output.md "`-o junit`"): one <testsuite> per command (apply:
 * one per phase), one <testcase> per slave and per section (classname = node name, name =
 * the check or the section), <failure> with the reason where the node or section is not as it
 * should be, <skipped> for excluded sections. The shape GitHub test reporters, GitLab's
 * `artifacts:reports:junit` and Jenkins read: a <testsuites> root with totals.
 */
import { bodyCommandOf, FAILING, type BodyCommand, type NodeResult, type RunReport } from "../fleet/report.js";
import { escapeXml } from "../safesquid/xml.js";
import { labelOf } from "./symbols.js";
import { needsAttention } from "./text-recap.js";

// Not allowed in XML 1.0 (C0 but tab/LF/CR, U+FFFE/FFFF, lone surrogates) or not wanted in a CI
// page (DEL, C1, bidi overrides that could disguise a name): removed.
// eslint-disable-next-line no-control-regex
const BAD_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes what XML 1.0 cannot carry. */
export function xmlClean(s: string): string {
  return s.replace(BAD_CHARS, "");
}

/** Escapes element text (line breaks stay, for people reading the file). */
function xmlText(s: string): string {
  return escapeXml(xmlClean(s), { breaks: "keep" });
}

/** Escapes an attribute value (line breaks and tabs as references, so readers keep them). */
function xmlAttr(s: string): string {
  return escapeXml(xmlClean(s)).replace(/\t/g, "&#x09;");
}

interface Case {
  classname: string;
  name: string;
  time: number;
  failure?: { type: string; message: string; body: string };
  skipped?: string;
  out?: string;
}

interface Suite {
  name: string;
  time: number;
  cases: Case[];
}

const CHECK: Record<BodyCommand, string> = {
  "join-slave": "join-slave",
  allow: "allow row",
  verify: "joined and syncing",
  detach: "detach",
  restart: "restart",
  undo: "undo",
};

function reason(n: NodeResult): string {
  const parts: string[] = [];
  if (n.status === "not_joined" && !n.error) parts.push("MASTER_IP / MASTER_PORT do not name this master");
  if (n.error) parts.push(n.error.message);
  if (n.rollback) parts.push(`${n.rollback.reason}; ${n.rollback.restored ? "previous values in effect again" : "previous values could NOT be restored"}`);
  if (n.join && FAILING.has(n.join.status)) parts.push(`join-slave ${labelOf(n.join.status)}${n.join.rollback ? `: ${n.join.rollback.reason}` : n.join.error ? `: ${n.join.error.message}` : ""}`);
  if (n.sync?.outcome === "failed") parts.push(`last sync failed${n.sync.reason ? `: ${n.sync.reason}` : ""}`);
  for (const st of ["out_of_sync", "pending"] as const) {
    const names = (n.sections ?? []).filter((s) => s.status === st).map((s) => s.name);
    if (names.length) parts.push(`${labelOf(st)}: ${names.join(", ")}`);
  }
  return `${n.name} ${labelOf(n.status)}${parts.length ? ": " + parts.join("; ") : ""}`;
}

function nodeCases(command: BodyCommand, n: NodeResult): Case[] {
  const c: Case = { classname: n.name, name: CHECK[command], time: n.durationMs / 1000 };
  if (needsAttention(n)) {
    const hint = n.error?.hint ?? n.join?.error?.hint;
    const body = [reason(n), n.steps?.length ? `done: ${n.steps.join(", ")}` : "", hint ? `next: ${hint}` : ""].filter(Boolean).join("\n");
    c.failure = { type: n.status, message: reason(n), body };
  } else if (n.status === "skipped") c.skipped = "skipped";
  const warnings = [...(n.warnings ?? []), ...(n.join?.warnings ?? [])];
  if (warnings.length) c.out = warnings.map((w) => `warning: ${w}`).join("\n");
  const cases = [c];
  for (const s of n.sections ?? []) {
    const sc: Case = { classname: n.name, name: s.name, time: 0 };
    const detail = s.detail ? `: ${s.detail}` : "";
    if (s.status === "out_of_sync" || s.status === "pending") sc.failure = { type: s.status, message: `${s.name} ${labelOf(s.status)}${detail}`, body: `${n.name}: ${s.name} ${labelOf(s.status)}${detail}` };
    else if (s.status === "excluded") sc.skipped = s.detail ?? "excluded (in NEVER_SYNC)";
    else if (s.status === "unknown") sc.skipped = `unknown: could not be compared${detail}`;
    cases.push(sc);
  }
  return cases;
}

function suites(r: RunReport): Suite[] {
  if (r.phases) {
    return r.phases.map((p) => ({
      name: `${r.command}: ${p.command}`,
      time: p.durationMs / 1000,
      cases: p.skipped !== undefined ? [{ classname: r.command, name: p.command, time: 0, skipped: p.skipped }] : p.nodes.flatMap((n) => nodeCases(p.command, n)),
    }));
  }
  const command = bodyCommandOf(r);
  return [{ name: r.command, time: r.durationMs / 1000, cases: r.nodes.flatMap((n) => nodeCases(command, n)) }];
}

/** `report merge`: one testcase per shard, failing where its report is missing or it stopped with an error. */
function mergeSuite(m: NonNullable<RunReport["merged"]>): Suite {
  const cases: Case[] = Array.from({ length: m.count }, (_, i) => {
    const shard = m.shards.find((s) => s.index === i + 1);
    const c: Case = { classname: "report merge", name: `shard ${i + 1}/${m.count}`, time: 0 };
    if (!shard) c.failure = { type: "missing", message: `no report for shard ${i + 1}/${m.count}`, body: `no report was given for shard ${i + 1}/${m.count}: its slaves are not in this report` };
    else c.out = `${shard.file}: ${shard.nodes} node(s), exit code ${shard.exitCode}`;
    return c;
  });
  for (const f of m.failed) cases.push({ classname: "report merge", name: f.file, time: 0, failure: { type: f.error.code, message: `a shard stopped: ${f.error.message}`, body: [f.error.message, f.error.hint ? `next: ${f.error.hint}` : ""].filter(Boolean).join("\n") } });
  return { name: "report merge", time: 0, cases };
}

const secs = (t: number): string => (Number.isFinite(t) && t > 0 ? t.toFixed(3) : "0.000");

function counts(cases: readonly Case[]): string {
  const failures = cases.filter((c) => c.failure).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  return `tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}"`;
}

function writeCase(c: Case): string {
  const open = `    <testcase classname="${xmlAttr(c.classname)}" name="${xmlAttr(c.name)}" time="${secs(c.time)}"`;
  const inner: string[] = [];
  if (c.failure) inner.push(`      <failure message="${xmlAttr(c.failure.message)}" type="${xmlAttr(c.failure.type)}">${xmlText(c.failure.body)}</failure>`);
  if (c.skipped !== undefined) inner.push(`      <skipped message="${xmlAttr(c.skipped)}"/>`);
  if (c.out) inner.push(`      <system-out>${xmlText(c.out)}</system-out>`);
  return inner.length ? `${open}>\n${inner.join("\n")}\n    </testcase>` : `${open}/>`;
}

/** Renders a run report as a JUnit XML document (for `verify` and `apply`). */
export function renderJunit(report: RunReport): string {
  const all = suites(report);
  if (report.merged) all.push(mergeSuite(report.merged));
  const timestamp = report.startedAt.slice(0, 19); // the JUnit schema's dateTime, no zone (UTC)
  const props = [["master", `${report.master.name} ${report.master.address}`], ["inventory", report.inventory], ["dryRun", String(report.dryRun)]];
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(`<testsuites name="${xmlAttr(`safesquid-fleet ${report.command}`)}" ${counts(all.flatMap((s) => s.cases))} time="${secs(report.durationMs / 1000)}">`);
  for (const s of all) {
    lines.push(`  <testsuite name="${xmlAttr(s.name)}" ${counts(s.cases)} time="${secs(s.time)}" timestamp="${xmlAttr(timestamp)}">`);
    lines.push("    <properties>", ...props.map(([k, v]) => `      <property name="${k}" value="${xmlAttr(v!)}"/>`), "    </properties>");
    lines.push(...s.cases.map(writeCase));
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return lines.join("\n") + "\n";
}
