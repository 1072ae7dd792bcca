/**
 * verify against its limit: the built CLI's `verify` of every slave of a lab, and the minimal
 * raw client (raw-client.mjs: the same reads, no parsing, no checks) at the same concurrency,
 * alternately, several times; the medians and their ratio. Both are separate processes timed
 * spawn to exit, so both include Node's own start.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { BenchLab } from "./lab.js";
import { ROOT, measure, median } from "./measure.js";

export interface VerifyLimit {
  slaves: number;
  concurrency: number;
  verifyMs: number;
  rawMs: number;
  /** verify's median over the raw client's. */
  ratio: number;
  verifySamplesMs: number[];
  rawSamplesMs: number[];
  /**
   * The same reads through got as the tool makes them (bench/got-client.mjs), against the raw
   * client: each one's requests alone (from after its imports), medians. got's floor for verify.
   */
  got: { ms: number; rawMs: number; ratio: number };
  /** Every verify found every slave in sync, and every raw run made all its reads with 200s. */
  ok: boolean;
}

interface Inv {
  defaults?: { port?: number };
  master: { host: string; port?: number };
  slaves: { host: string; port?: number }[];
}

/** Runs verify and the raw client `runs` times each, alternately, against the lab's main inventory. */
export async function measureVerifyLimit(lab: BenchLab, slaves: number, concurrency: number, runs: number): Promise<VerifyLimit> {
  const inv = parse(readFileSync(lab.inventories.main, "utf8")) as Inv;
  const port = (n: { port?: number }): number => n.port ?? inv.defaults?.port ?? 8080;
  const nodesFile = join(lab.dir, "raw-nodes.json");
  writeFileSync(nodesFile, JSON.stringify({ master: { host: inv.master.host, port: port(inv.master) }, slaves: inv.slaves.map((s) => ({ host: s.host, port: port(s) })) }));
  const raw = join(ROOT, "bench", "raw-client.mjs");
  const gotClient = join(ROOT, "bench", "got-client.mjs");
  const gotMs: number[] = [];
  const rawRequestsMs: number[] = [];
  const verifyMs: number[] = [];
  const rawMs: number[] = [];
  let ok = true;
  for (let i = 0; i < runs; i++) {
    const v = await measure(["verify", "-i", lab.inventories.main, "--concurrency", String(concurrency), "-o", "json"], { cwd: lab.dir, probe: false });
    let inSync = 0;
    try {
      inSync = (JSON.parse(v.stdout) as { summary: Record<string, number> }).summary.in_sync ?? 0;
    } catch {
      // counted as a failed run below
    }
    if (v.exitCode !== 0 || inSync !== slaves) {
      ok = false;
      process.stderr.write(`bench: verify (limit run) did not find every slave in sync: exit ${v.exitCode}\n${v.stderr.slice(0, 2000)}\n`);
    }
    verifyMs.push(v.wallMs);
    const r = await measure([raw, nodesFile, String(concurrency)], { cwd: lab.dir, probe: false, bin: false });
    try {
      const out = JSON.parse(r.stdout) as { requests: number; failed: number };
      if (r.exitCode !== 0 || out.failed !== 0 || out.requests !== 2 + 3 * slaves) throw new Error(r.stdout);
    } catch {
      ok = false;
      process.stderr.write(`bench: the raw client did not make its reads: exit ${r.exitCode}\n${r.stdout}${r.stderr.slice(0, 2000)}\n`);
    }
    rawMs.push(r.wallMs);
    for (const [client, into, name] of [[raw, rawRequestsMs, "raw"], [gotClient, gotMs, "got"]] as const) {
      const c = name === "raw" ? r : await measure([client, nodesFile, String(concurrency)], { cwd: lab.dir, probe: false, bin: false });
      try {
        const out = JSON.parse(c.stdout) as { requests: number; failed: number; ms: number };
        if (c.exitCode !== 0 || out.failed !== 0 || out.requests !== 2 + 3 * slaves) throw new Error(c.stdout);
        into.push(out.ms);
      } catch {
        ok = false;
        process.stderr.write(`bench: the ${name} client did not make its reads: exit ${c.exitCode}\n${c.stdout}${c.stderr.slice(0, 2000)}\n`);
      }
    }
  }
  const v = median(verifyMs);
  const r = median(rawMs);
  const g = { ms: median(gotMs), rawMs: median(rawRequestsMs) };
  return {
    slaves,
    concurrency,
    verifyMs: v,
    rawMs: r,
    ratio: v / r,
    verifySamplesMs: verifyMs.map(Math.round),
    rawSamplesMs: rawMs.map(Math.round),
    got: { ...g, ratio: g.ms / g.rawMs },
    ok,
  };
}
