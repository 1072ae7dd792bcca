/**
 * Writes an InitPlan as a commented inventory: every field the user did not set is shown as a
 * comment, so the file explains itself. Values are written by `yaml` itself, so a name such as
 * `123` or `true` is quoted and reads back as text.
 */
import { stringify } from "yaml";
import type { InitPlan } from "./plan.js";

const scalar = (v: string | number): string => stringify(v).trimEnd();
/** A line with its comment aligned at column 32 (or one space after a long line). */
const note = (text: string, comment: string): string => `${text.padEnd(31)} # ${comment}`;

/** The inventory text for a plan; `schemaRef` is the path or URL the editor comment points at. */
export function planToYaml(plan: InitPlan, schemaRef: string): string {
  const m = plan.master;
  const cred = plan.credentials;
  const lines = [
    `# yaml-language-server: $schema=${schemaRef}`,
    "# safesquid-fleet inventory, written by `safesquid-fleet inventory init`.",
    "# Check it with `safesquid-fleet inventory validate`; every field is described in examples/inventory.yaml.",
    "version: 1",
    "",
    note("defaults:", "every node gets these unless it sets its own"),
    note(`  port: ${plan.port}`, "the proxy port, where each node's admin interface answers"),
    note("  transport: proxy", "proxy | direct | https"),
    note("  timeout: 10s", "per request: 500ms, 10s, 2m"),
    ...(cred
      ? [
          note("  credentials:", "for nodes whose allow row challenges the tool (407)"),
          `    username: ${scalar(cred.username)}`,
          cred.passwordEnv !== undefined
            ? note(`    passwordEnv: ${scalar(cred.passwordEnv)}`, "the NAME of the variable; the password never goes in this file")
            : note(`    passwordFile: ${scalar(cred.passwordFile ?? "")}`, "a file holding the password (chmod 600)"),
        ]
      : [
          note("  # credentials:", "only if the nodes ask the tool for a login (407)"),
          "  #   username: fleet",
          note("  #   passwordEnv: SAFESQUID_PASSWORD", "or passwordFile: path; never the password itself"),
        ]),
    note("  # caFile: ca.pem", "the CA of the nodes' certificate, for transport https"),
    "",
    "master:",
    `  name: ${scalar(m.name)}`,
    `  host: ${scalar(m.host)}`,
    ...(m.port !== undefined ? [`  port: ${m.port}`] : []),
    ...(m.advertise
      ? [note("  advertise:", "what slaves get as MASTER_IP / MASTER_PORT"), `    ip: ${scalar(m.advertise.ip)}`, `    port: ${m.advertise.port}`]
      : [note("  # advertise:", "what slaves get as MASTER_IP / MASTER_PORT (default: host, port)"), "  #   ip: 10.0.0.10"]),
    "",
    "slaves:",
    ...plan.slaves.flatMap((s, i) => [
      `  - name: ${scalar(s.name)}`,
      `    host: ${scalar(s.host)}`,
      ...(s.port !== undefined ? [`    port: ${s.port}`] : []),
      ...(i === 0 ? [note("    # sourceIp: 10.0.1.99", "the address the master sees when this slave syncs, if not its host")] : []),
    ]),
    "",
    "# allowList:",
    note("#   userGroup: PROXY_SLAVES", "the user group of the allow row the tool keeps on the master"),
    "# sync:",
    note("#   sections: [access, profiles]", "what verify reports (default: every section that syncs)"),
  ];
  return lines.join("\n") + "\n";
}
