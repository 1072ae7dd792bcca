/**
 * A lab whose nodes carry faults, for the benchmark, in its OWN process (so the CLI process
 * measured is only the CLI): `node --import tsx bench/fault-lab.ts --slaves N --state DIR
 * --inventory FILE [--huge NODE=HANDLER:BYTES]...`. Slaves start joined to the master (they sync
 * once `allow` has run). Writes the inventory once every node answers; stops on SIGTERM.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { startLab } from "../src/emulator/lab.js";

const { values } = parseArgs({
  options: {
    slaves: { type: "string" },
    state: { type: "string" },
    inventory: { type: "string" },
    base: { type: "string", default: "127.252.0.1" },
    sync: { type: "string", default: "5000" },
    huge: { type: "string", multiple: true, default: [] },
  },
});

const lab = await startLab({
  slaves: Number(values.slaves),
  baseAddress: values.base,
  port: 0,
  stateDir: values.state!,
  syncIntervalMs: Number(values.sync),
  restartDowntimeMs: 0,
  joinSlaves: true,
  password: "bench-lab-password",
  env: {},
});
for (const spec of values.huge) {
  const m = /^([\w.-]+)=(\w+):(\d+)$/.exec(spec);
  if (!m) throw new Error(`--huge NODE=HANDLER:BYTES, not ${spec}`);
  lab.node(m[1]!).faults.hugeReply(Number(m[3]), { handlers: [m[2]!] });
}
await lab.waitUntilAnswering(120_000);
writeFileSync(values.inventory!, stringify(lab.inventory()));
process.on("SIGTERM", () => void lab.stop().then(() => process.exit(0)));
