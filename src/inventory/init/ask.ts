/**
 * The questions of `inventory init`, in order, each answer checked as it is typed with the
 * loader's own rules (plan.ts). Takes any Prompts, so tests answer with canned values.
 */
import type { Prompts } from "../prompts.js";
import {
  checkClash, checkEnvName, checkHost, checkIp, checkName, checkPort, checkUsername, generatedName, parseSlaveList,
  type InitNode, type InitPlan,
} from "./plan.js";

const and = (...checks: ((v: string) => true | string)[]) => (v: string): true | string => {
  for (const c of checks) {
    const r = c(v);
    if (r !== true) return r;
  }
  return true;
};

/** Asks for the master, the slaves and the credentials; returns the plan. */
export async function askPlan(p: Prompts): Promise<InitPlan> {
  const host = (await p.input({ message: "Master address (IP address or host name):", validate: checkHost })).trim();
  const port = Number(await p.input({ message: "Master proxy port:", default: "8080", validate: checkPort }));
  const suggested = generatedName(host, []).startsWith("slave-") ? "master" : generatedName(host, []);
  const name = (await p.input({ message: "Master name (for reports):", default: suggested, validate: (v) => checkName(v, []) })).trim();
  const plan: InitPlan = { master: { name, host }, port, slaves: [] };
  const same = await p.confirm({ message: `Do the slaves reach the master at ${host}, port ${port}?`, default: true });
  if (!same) {
    const ip = (await p.input({ message: "MASTER_IP the slaves should use (an IP address):", validate: checkIp })).trim();
    const aport = Number(await p.input({ message: "MASTER_PORT the slaves should use:", default: String(port), validate: checkPort }));
    plan.master.advertise = { ip, port: aport };
  }
  const how = await p.select({
    message: "How do you want to enter the slaves?",
    choices: [
      { name: "one by one", value: "each" as const },
      { name: "paste a list (opens your editor)", value: "list" as const, description: "one per line: NAME HOST [PORT], HOST PORT, or HOST alone" },
    ],
    default: "each",
  });
  plan.slaves = how === "list" ? await askList(p, plan) : await askEach(p, plan);
  if (await p.confirm({ message: "Do the nodes ask the tool for a login (proxy authentication, 407)?", default: false })) {
    plan.credentials = await askCredentials(p);
  }
  return plan;
}

async function askEach(p: Prompts, plan: InitPlan): Promise<InitNode[]> {
  const slaves: InitNode[] = [];
  for (let i = 1; ; i++) {
    const current = { ...plan, slaves };
    const host = (
      await p.input({
        message: `Slave ${i} address (IP address or host name${i > 1 ? "; empty to finish" : ""}):`,
        validate: (v) => (v.trim() === "" && i > 1 ? true : and(checkHost, (h) => checkClash(h, plan.port, current))(v)),
      })
    ).trim();
    if (host === "") return slaves;
    const used = [plan.master.name, ...slaves.map((s) => s.name)];
    const name = (await p.input({ message: `Slave ${i} name:`, default: generatedName(host, used), validate: (v) => checkName(v, used) })).trim();
    slaves.push({ name, host });
  }
}

async function askList(p: Prompts, plan: InitPlan): Promise<InitNode[]> {
  const template = "# One slave per line: NAME HOST [PORT], HOST PORT, or HOST alone (a name is generated). Lines starting with # are ignored.\n";
  const text = await p.editor({
    message: "Slaves (your editor opens; paste the list, save and close):",
    default: template,
    validate: (v) => {
      const r = parseSlaveList(v, plan);
      return "error" in r ? r.error : true;
    },
  });
  const r = parseSlaveList(text, plan);
  if ("error" in r) throw new Error(r.error); // the validator already refused it: unreachable with real prompts
  return r.slaves;
}

async function askCredentials(p: Prompts): Promise<NonNullable<InitPlan["credentials"]>> {
  const username = (await p.input({ message: "User name the tool logs in with:", default: "fleet", validate: checkUsername })).trim();
  const from = await p.select({
    message: "Where will the password come from? (it is never written in the inventory)",
    choices: [
      { name: "an environment variable", value: "env" as const },
      { name: "a file (chmod 600)", value: "file" as const },
    ],
    default: "env",
  });
  if (from === "env") {
    const passwordEnv = (await p.input({ message: "Name of the environment variable (not the password):", default: "SAFESQUID_PASSWORD", validate: checkEnvName })).trim();
    return { username, passwordEnv };
  }
  const passwordFile = (await p.input({ message: "Path of the password file:", validate: (v) => (v.trim() === "" ? "give a file path" : true) })).trim();
  return { username, passwordFile };
}
