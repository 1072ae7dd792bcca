/**
 * End-to-end set-up: an in-process lab, its inventory written to a temporary folder (with
 * per-test changes), the built CLI pointed at it, and node state read back through the
 * admin endpoint with the raw test client (never the tool's own word).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { stringify } from "yaml";
import type { Lab, LabOptions } from "../../src/emulator/lab.js";
import type { EmulatedNode } from "../../src/emulator/node.js";
import { readAccess, sectionDigests, parsePolicy } from "../../src/safesquid/policy.js";
import type { AccessSection } from "../../src/safesquid/access.js";
import { admin } from "./admin.js";
import { jsonOf, runCli, type CliOptions, type CliResult } from "./cli.js";
import { startTestLab } from "./lab.js";
import { readParams } from "./replies.js";

export interface Fleet {
  lab: Lab;
  dir: string;
  inventory: string;
  /** Runs the CLI with `-i inventory` appended, in the test's folder (run records land there). */
  run(args: string[], o?: CliOptions): Promise<CliResult>;
  /** Runs it with `-o json` and returns the parsed report (and the raw result). */
  json(args: string[], o?: CliOptions): Promise<{ r: CliResult; report: any }>;
}

/** Starts a lab and writes its inventory; `edit` may change the inventory object first. */
export async function startFleet(t: TestContext, opts: LabOptions = {}, edit?: (inv: any) => void): Promise<Fleet> {
  const lab = await startTestLab(t, opts);
  const dir = mkdtempSync(join(tmpdir(), "safesquid-e2e-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const inventory = join(dir, "fleet.yaml");
  if (lab.settings.requireLogin) lab.savePassword(join(dir, "lab.password"));
  const inv = JSON.parse(JSON.stringify(lab.inventory()));
  edit?.(inv);
  writeFileSync(inventory, stringify(inv));
  await lab.waitUntilAnswering();
  const run = (args: string[], o: CliOptions = {}): Promise<CliResult> => runCli([...args, "-i", inventory], { cwd: dir, ...o });
  return {
    lab,
    dir,
    inventory,
    run,
    json: async (args, o) => {
      const r = await run([...args, "-o", "json"], o);
      return { r, report: jsonOf(r) };
    },
  };
}

function auth(lab: Lab): { auth?: { username: string; password: string } } {
  return lab.login ? { auth: lab.login } : {};
}

/** The node's running document, fetched through its admin endpoint. */
export async function documentOf(lab: Lab, node: EmulatedNode): Promise<string> {
  const r = await admin(node, { handler: "conf_xml" }, auth(lab));
  if (r.status !== 200) throw new Error(`${node.name}: conf_xml answered ${r.status}`);
  return r.body;
}

/** The master's access section, read through the admin endpoint. */
export async function accessOf(lab: Lab, node: EmulatedNode = lab.master): Promise<AccessSection> {
  return readAccess(parsePolicy(await documentOf(lab, node)));
}

/** Section digests of a node's running document. */
export async function digestsOf(lab: Lab, node: EmulatedNode): Promise<Map<string, string>> {
  return sectionDigests(parsePolicy(await documentOf(lab, node)));
}

/** MASTER_IP:MASTER_PORT as the node's startup parameters show them. */
export async function pointerOf(lab: Lab, node: EmulatedNode): Promise<string> {
  const r = await admin(node, { handler: "safesquid_params" }, auth(lab));
  const v = new Map(readParams(r.body).map((p) => [p.name, p.value.replace(/"/g, "")]));
  return `${v.get("MASTER_IP")}:${v.get("MASTER_PORT")}`;
}

/**
 * A snapshot of what would show a write: document times (the node's own, since the alt
 * dialect sends no Last-Modified), save backups, restarts, parameter files.
 */
export async function writeMarks(lab: Lab): Promise<string> {
  const marks: string[] = [];
  for (const n of lab.nodes) {
    await documentOf(lab, n);
    marks.push(`${n.name} time=${n.policy.time} restarts=${n.restarts} saves=${n.folder.backups().length} params=${JSON.stringify(n.fileParams())}`);
  }
  return marks.join("\n");
}
