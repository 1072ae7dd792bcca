/**
 * `inventory init`: builds an inventory from questions (or, without a terminal, from flags),
 * refuses to overwrite a file without a yes, writes it, and proves it loads.
 */
import { existsSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { FleetError } from "../../errors.js";
import { packageFile } from "../../util/package-root.js";
import { formatIssue } from "../load.js";
import { parseInventory } from "../parse.js";
import type { Prompts } from "../prompts.js";
import { askPlan } from "./ask.js";
import { checkEnvName, checkName, checkPort, checkUsername, parseSlaveList, type InitPlan } from "./plan.js";
import { planToYaml } from "./yaml.js";

/** The package's own copies of the examples. */
export const EXAMPLES_DIR = packageFile("examples");

export interface InitFlags {
  master?: string;
  slaves?: string;
  port?: number;
  username?: string;
  passwordEnv?: string;
  passwordFile?: string;
}

export interface InitOptions {
  /** As shown in messages. */
  file: string;
  /** Absolute path written. */
  path: string;
  prompts: Prompts;
  interactive: boolean;
  /** Overwrite an existing file without asking. */
  yes: boolean;
  flags: InitFlags;
  info: (message: string) => void;
}

/** Runs the builder; returns whether a file was written. Throws FleetError (USAGE, NEEDS_INPUT, INTERRUPTED). */
export async function runInit(o: InitOptions): Promise<{ written: boolean; plan?: InitPlan }> {
  const fromFlags = o.flags.master !== undefined || o.flags.slaves !== undefined;
  if (!fromFlags && !o.interactive) {
    throw new FleetError("NEEDS_INPUT", "inventory init asks questions, and there is no terminal to ask them on (or CI is set)", {
      hint:
        `copy ${join(EXAMPLES_DIR, "inventory.yaml")} to ${o.file} and edit it, or pass --master [NAME=]HOST --slaves [NAME=]HOST,... ` +
        `(with --password-env NAME if the nodes ask for a login); then run: safesquid-fleet inventory validate -i ${o.file}`,
    });
  }
  if (existsSync(o.path) && !o.yes) {
    if (!o.interactive) throw new FleetError("USAGE", `${o.file} already exists`, { hint: "pass --yes to overwrite it, or -i OTHER_FILE" });
    if (!(await o.prompts.confirm({ message: `${o.file} already exists. Overwrite it?`, default: false }))) {
      o.info(`left ${o.file} as it was; nothing written`);
      return { written: false };
    }
  }
  const plan = fromFlags ? planFromFlags(o.flags) : await askPlan(o.prompts).catch((e: unknown) => {
    if (e instanceof FleetError && e.code === "INTERRUPTED") throw new FleetError("INTERRUPTED", "cancelled; nothing was written", { cause: e });
    throw e;
  });
  const text = planToYaml(plan, schemaRefFor(o.path));
  const check = parseInventory(text, o.file);
  if (check.errors.length > 0) {
    throw new FleetError("INTERNAL", "the inventory init built does not validate", { details: check.errors.map(formatIssue) });
  }
  await writeAtomically(o.path, text);
  o.info(`wrote ${o.file}: 1 master, ${plan.slaves.length} ${plan.slaves.length === 1 ? "slave" : "slaves"}`);
  o.info(`next: safesquid-fleet inventory validate -i ${o.file}`);
  return { written: true, plan };
}

/** The plan `--master`, `--slaves` and friends describe; every value checked like an answer. */
export function planFromFlags(f: InitFlags): InitPlan {
  if (f.master === undefined || f.slaves === undefined) throw new FleetError("USAGE", "--master and --slaves go together", { hint: "e.g. --master hq=10.0.0.10 --slaves pune-1=10.0.1.11,pune-2=10.0.1.12" });
  const port = f.port ?? 8080;
  if (checkPort(String(port)) !== true) throw new FleetError("USAGE", `--port: ${String(checkPort(String(port)))}`);
  const m = parseSlaveList(f.master, { master: { name: "", host: "" }, port });
  if ("error" in m || m.slaves.length !== 1) throw new FleetError("USAGE", `--master: ${"error" in m ? m.error.replace(/^line 1: /, "") : "give one master"}`);
  const parsed = m.slaves[0]!;
  // HOST alone: the host name's first label, or "master" for an address (not "slave-1").
  const explicit = /[=\s]/.test(f.master.trim());
  const master = { ...parsed, name: explicit || !parsed.name.startsWith("slave-") ? parsed.name : "master" };
  const nameOk = checkName(master.name, []);
  if (nameOk !== true) throw new FleetError("USAGE", `--master: ${nameOk}`);
  const s = parseSlaveList(f.slaves, { master, port });
  if ("error" in s) throw new FleetError("USAGE", `--slaves: ${s.problems.map((p) => p.replace(/^line 1: /, "")).join("; ")}`);
  const plan: InitPlan = { master, port, slaves: s.slaves };
  if (f.passwordEnv !== undefined && f.passwordFile !== undefined) throw new FleetError("USAGE", "give --password-env or --password-file, not both");
  if (f.passwordEnv !== undefined || f.passwordFile !== undefined || f.username !== undefined) {
    const username = f.username ?? "fleet";
    const checks = [checkUsername(username), f.passwordEnv !== undefined ? checkEnvName(f.passwordEnv) : true];
    const bad = checks.find((c) => c !== true);
    if (bad !== undefined) throw new FleetError("USAGE", String(bad));
    if (f.passwordEnv === undefined && f.passwordFile === undefined) throw new FleetError("USAGE", "--username needs --password-env NAME or --password-file PATH");
    plan.credentials = { username, ...(f.passwordEnv !== undefined ? { passwordEnv: f.passwordEnv } : { passwordFile: f.passwordFile! }) };
  }
  return plan;
}

/** The editor comment's schema path: relative to the file when near (node_modules), else absolute. */
export function schemaRefFor(path: string): string {
  const schema = join(EXAMPLES_DIR, "inventory.schema.json");
  const rel = relative(dirname(path), schema).split("\\").join("/");
  return rel.split("/").filter((s) => s === "..").length <= 1 ? rel : schema;
}

async function writeAtomically(path: string, text: string): Promise<void> {
  if (!existsSync(dirname(path))) throw new FleetError("USAGE", `folder ${dirname(path)} does not exist`, { hint: "create it first, or choose another -i FILE" });
  // A temporary file beside the target, then rename: an interrupted write never leaves half a file.
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  await writeFile(tmp, text, { mode: 0o644 });
  await rename(tmp, path);
}
