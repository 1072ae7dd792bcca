/**
 * `npm run bench`: builds, then measures the built CLI against emulated fleets of N slaves
 * (default 50, 200, 500), each lab in its own process, and its cold start. Prints a markdown
 * table and writes the same figures as JSON to bench/results/latest.json (or --out FILE).
 *
 *   npm run bench                         # 50, 200, 500 slaves
 *   npm run bench -- --sizes 20,100       # other sizes
 *   npm run bench -- --startup-runs 15    # more start-up samples (default 9)
 *   npm run bench -- --limits             # only the two ratios: verify of 200 slaves over the
 *                                         # raw client, each command's start over node -e 0
 *   npm run bench -- --huge-reply-slaves 0  # skip the verify with two 20 MB replies (default 200 slaves)
 *   npm run bench -- --chaos-slaves 50 --chaos-rounds 3 --chaos-seed 7   # the chaos test, larger (0 slaves: skip)
 *
 * Targets are read off the results here, never asserted by a timed test (design.md).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { chaosMarkdown, limitTargets, machine, markdown, targets } from "./output.js";
import { BIN, ROOT } from "./measure.js";
import { runChaos } from "./chaos.js";
import { runHugeReply } from "./huge-reply.js";
import type { VerifyLimit } from "./limit.js";
import { runSize, type Row } from "./scenario.js";
import { measureStartup } from "./startup.js";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "50,200,500" },
    "startup-runs": { type: "string", default: "9" },
    "limit-runs": { type: "string", default: "5" },
    limits: { type: "boolean", default: false },
    "huge-reply-slaves": { type: "string", default: "200" },
    "chaos-slaves": { type: "string", default: "50" },
    "chaos-rounds": { type: "string", default: "3" },
    "chaos-seed": { type: "string" },
    out: { type: "string", default: resolve(ROOT, "bench/results/latest.json") },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  process.stdout.write("usage: npm run bench -- [--sizes 50,200,500] [--startup-runs 9] [--limit-runs 5] [--limits] [--huge-reply-slaves 200] [--chaos-slaves 50 --chaos-rounds 3 --chaos-seed N] [--out bench/results/latest.json]\n");
  process.exit(0);
}
// --limits: the two ratios alone, at 200 slaves unless --sizes says otherwise.
const sizes = (values.limits && !process.argv.some((a) => a.startsWith("--sizes")) ? "200" : values.sizes).split(",").map((s) => Number(s.trim()));
if (sizes.some((n) => !Number.isInteger(n) || n < 2 || n > 2000)) {
  process.stderr.write(`bench: --sizes must be a comma list of whole numbers 2..2000, not "${values.sizes}"\n`);
  process.exit(2);
}
const startupRuns = Number(values["startup-runs"]);
const limitRuns = Number(values["limit-runs"]);
if (!existsSync(BIN) || !existsSync(resolve(ROOT, "dist/bundle/cli.js"))) {
  process.stderr.write("bench: dist/bundle/ is missing: run `npm run bench` (it builds first) or `npm run build`\n");
  process.exit(2);
}

const log = (s: string): void => void process.stderr.write(`bench: ${s}\n`);
// The CLIs it runs keep their compiled code (docs/architecture.md "Build") in a folder of the
// bench's own, so that what an earlier run left there does not count.
const cacheHome = mkdtempSync(join(tmpdir(), "safesquid-bench-cache-"));
process.env.XDG_CACHE_HOME = cacheHome;
process.env.NODE_COMPILE_CACHE = join(cacheHome, "node");
process.on("exit", () => rmSync(cacheHome, { recursive: true, force: true }));
const started = new Date();
const m = machine();
log(`${m.cpu}, ${m.cores} cores, Node ${m.node}; sizes ${sizes.join(", ")}`);
log("start-up of every command");
const startup = await measureStartup(startupRuns);
const rows: Row[] = [];
const limits: VerifyLimit[] = [];
for (const n of sizes) {
  const r = await runSize(n, log, { table: !values.limits, limitRuns });
  rows.push(...r.rows);
  if (r.limit) limits.push(r.limit);
}
const hugeSlaves = values.limits ? 0 : Number(values["huge-reply-slaves"]);
if (hugeSlaves > 0) rows.push(await runHugeReply(Math.max(10, hugeSlaves), log));
const chaosSlaves = values.limits ? 0 : Number(values["chaos-slaves"]);
const chaosSeed = values["chaos-seed"] ? Number(values["chaos-seed"]) : Date.now() % 1_000_000;
const chaos = chaosSlaves > 0 ? await runChaos(chaosSlaves, Number(values["chaos-rounds"]), chaosSeed, log) : [];
const t = values.limits ? limitTargets(startup, limits) : targets(rows, startup, limits);
const md = markdown(m, rows, startup, limits, t) + chaosMarkdown(chaos);
process.stdout.write("\n" + md);
const out = resolve(values.out);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ schema: "safesquid-fleet-bench/1", startedAt: started.toISOString(), durationS: Math.round((Date.now() - started.getTime()) / 1000), machine: m, sizes, rows, limits, startup, targets: t, chaos }, null, 2) + "\n");
log(`written ${out} (${Math.round((Date.now() - started.getTime()) / 1000)} s in all)`);
process.exitCode = rows.every((r) => r.ok) && limits.every((l) => l.ok) && chaos.every((c) => c.ok) ? 0 : 1;
