/**
 * Labs and single nodes for tests. Test files run in parallel processes, so every lab gets
 * its own random loopback block (127.<2..250>.<0..255>.1, never 127.0.0.x, the tool's own) and
 * a free port, with another try on EADDRINUSE; everything is stopped in `t.after`. Nodes
 * speak the dialect in $SAFESQUID_TEST_DIALECT (default vendor) unless a test names one:
 * test/run.mjs runs the end-to-end files once per dialect (docs/emulator.md "Dialects").
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { ListenError } from "../../src/emulator/addresses.js";
import { DIALECTS, isDialect, type Dialect } from "../../src/emulator/dialect.js";
import { startLab, type Lab, type LabOptions } from "../../src/emulator/lab.js";
import { EmulatedNode, type NodeOptions } from "../../src/emulator/node.js";
import type { SyncAttempt } from "../../src/emulator/sync.js";

/** The lab user's password in tests (the lab never prints it; tests pass it explicitly). */
export const TEST_PASSWORD = "lab-test-password";

/** The dialect of this test run: $SAFESQUID_TEST_DIALECT, default vendor. */
export function testDialect(env: NodeJS.ProcessEnv = process.env): Dialect {
  const d = env.SAFESQUID_TEST_DIALECT || "vendor";
  if (!isDialect(d)) throw new Error(`SAFESQUID_TEST_DIALECT must be one of ${DIALECTS.join(", ")}, not "${d}"`);
  return d;
}

/** A random base address outside 127.0.0.0/16. */
export function randomBase(): string {
  const r = (lo: number, hi: number): number => lo + Math.floor(Math.random() * (hi - lo + 1));
  return `127.${r(2, 250)}.${r(0, 255)}.1`;
}

/** Starts a lab with short intervals (sync 300 ms, restart downtime 300 ms) on a random block; stopped after the test. */
export async function startTestLab(t: TestContext, opts: LabOptions = {}): Promise<Lab> {
  for (let attempt = 1; ; attempt++) {
    try {
      const lab = await startLab({
        syncIntervalMs: 300,
        restartDowntimeMs: 300,
        password: TEST_PASSWORD,
        env: {},
        dialect: testDialect(),
        ...opts,
        baseAddress: opts.baseAddress ?? randomBase(),
        port: opts.port ?? 0,
      });
      t.after(() => lab.stop());
      return lab;
    } catch (e) {
      if (!(e instanceof ListenError && e.code === "EADDRINUSE" && attempt < 5 && !opts.baseAddress)) throw e;
    }
  }
}

/** Starts one node on a random address with a temporary state folder; stopped and removed after the test. */
export async function startTestNode(t: TestContext, opts: Partial<NodeOptions> = {}): Promise<EmulatedNode> {
  const dir = opts.stateDir ?? mkdtempSync(join(tmpdir(), "safesquid-node-"));
  const node = new EmulatedNode({
    name: "node",
    host: randomBase(),
    port: 0,
    users: { fleet: TEST_PASSWORD },
    restartDowntimeMs: 300,
    dialect: testDialect(),
    ...opts,
    stateDir: dir,
  });
  t.after(async () => {
    await node.stop();
    if (!opts.stateDir) rmSync(dir, { recursive: true, force: true });
  });
  await node.start();
  return node;
}

/** Polls until `cond` holds (never a timed assertion: the deadline only stops a hung test). */
export async function until(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`still waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Resolves with the node's next sync attempt that ends so (whatever its log says: the alt dialect logs no failure). */
export function nextSync(node: EmulatedNode, outcome: SyncAttempt["outcome"], timeoutMs = 15_000): Promise<SyncAttempt> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (node.off("sync", on), reject(new Error(`${node.name}: no sync attempt ${outcome} within ${timeoutMs} ms`))), timeoutMs);
    const on = (a: SyncAttempt): void => {
      if (a.outcome === outcome) (clearTimeout(timer), node.off("sync", on), resolve(a));
    };
    node.on("sync", on);
  });
}

/** Waits until a node has restarted `count` times in all and is up again. */
export function restarted(node: EmulatedNode, count = 1): Promise<void> {
  return until(() => node.restarts >= count && node.status === "up", `${node.name} restarted ${count} time(s) and up`);
}
