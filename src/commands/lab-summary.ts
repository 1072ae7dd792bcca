/** What `lab` prints on stderr once its nodes answer: a table of the nodes and how to use them. */
import type { Lab } from "../emulator/lab.js";
import type { Printer } from "../report/printer.js";

const SHOWN = 20;

/** When the slaves run past the master's /24: say where they go, and that .0 / .255 are skipped (docs/emulator.md). */
function spanNote(lab: Lab): string | undefined {
  const net24 = (a: string): string => a.split(".").slice(0, 3).join(".");
  const first = lab.slaves[0]?.host;
  const last = lab.slaves.at(-1)?.host;
  if (!first || !last || net24(lab.master.host) === net24(last)) return undefined;
  return `slaves on ${first} to ${last}, past ${net24(lab.master.host)}.0/24: addresses ending in .0 and .255 skipped`;
}

/** Prints the nodes (the first 20, then a count) and the next steps; never the password. */
export function printLabSummary(printer: Printer, lab: Lab, written: { file: string } | undefined, statuses: Map<string, number>, notes: string[] = []): void {
  const rows = lab.nodes.slice(0, SHOWN + 1).map((n) => [n.name, n.address, n === lab.master ? "master" : n.slaveOf ? "slave" : "slave (stand-alone until joined)"]);
  const w0 = Math.max(4, ...rows.map((r) => r[0]!.length));
  const w1 = Math.max(7, ...rows.map((r) => r[1]!.length));
  const line = (r: string[]): string => `  ${r[0]!.padEnd(w0)}  ${r[1]!.padEnd(w1)}  ${r[2]}`;
  const dialect = lab.master.rules.name === "vendor" ? "" : `dialect ${lab.master.rules.name}, `;
  printer.info(`lab: 1 master and ${lab.slaves.length} slave${lab.slaves.length === 1 ? "" : "s"} (${dialect}state in ${lab.stateDir})`);
  printer.info(line(["name", "address", "role"]));
  for (const r of rows) printer.info(line(r));
  if (lab.nodes.length > rows.length) printer.info(`  ... and ${lab.nodes.length - rows.length} more slaves on the next addresses, to ${lab.nodes.at(-1)!.host}`);
  const span = spanNote(lab);
  if (span) printer.info(span);
  if (lab.settings.requireLogin) printer.info(`every node asks for a login, also from 127.0.0.1: user ${lab.settings.username}, password in ${lab.passwordSource ?? "?"}`);
  if (written) {
    printer.info(`inventory: ${written.file}`);
    printer.info(`next: safesquid-fleet apply -i ${written.file}`);
  } else {
    printer.info("next: run again with --write-inventory FILE, then: safesquid-fleet apply -i FILE");
  }
  const src = lab.passwordSource ?? "";
  const login = lab.settings.requireLogin ? `--proxy-user ${lab.settings.username}:"${src.startsWith("$") ? src : `$(cat ${src})`}" ` : "";
  printer.info(`try:  curl ${login}--proxy ${lab.master.address} http://safesquid.cfg/ -d handler=safesquid_params`);
  for (const [name, status] of statuses) {
    if (status !== 200) printer.warn(`${name} answers ${status} to an admin request from 127.0.0.1: with this policy document the tool cannot manage it`);
  }
  for (const note of notes) printer.info(note);
  printer.info("press Ctrl-C to stop the lab");
}
