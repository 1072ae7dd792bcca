/**
 * Working through slaves one by one, at most `concurrency` at once: progress per slave, each
 * slave's keep-alive connections released when it is done, and the slaves not started when
 * the run is interrupted reported `skipped` (never silently left out).
 */
import type { NodeSpec, SlaveSpec } from "../inventory/types.js";
import { paramValues } from "../safesquid/params.js";
import { mapLimit } from "./concurrency.js";
import { pointerOf } from "./join-plan.js";
import type { NodeResult, Report } from "./report.js";
import type { NodeStep } from "./restart-node.js";
import { startResult, warn } from "./results.js";
import type { FleetSession } from "./session.js";

/** Runs `fn` for every slave; returns the results in the slaves' order. */
export async function eachSlave(s: FleetSession, slaves: readonly SlaveSpec[], concurrency: number, fn: (slave: SlaveSpec) => Promise<NodeResult>): Promise<NodeResult[]> {
  let done = 0;
  return mapLimit(
    slaves,
    concurrency,
    async (slave) => {
      s.progress.working?.(slave.name, "reading");
      const r = await fn(slave).finally(() => s.progress.idle?.(slave.name));
      s.release(slave);
      s.progress.update(++done, slaves.length, `${slave.name}: ${r.status}`);
      return r;
    },
    { signal: s.signal, onSkip: (slave) => interrupted(slave) },
  );
}

/** A slave the interrupted run did not start. */
export function interrupted(slave: NodeSpec): NodeResult {
  const { result, finish } = startResult(slave, "skipped");
  warn(result, "not started: the run was interrupted");
  return finish();
}

/** A node's result, started as `failed` until its step says otherwise, with its client and session. */
export function startStep(s: FleetSession, node: NodeSpec): { n: NodeStep; finish: () => NodeResult } {
  const { result, finish } = startResult(node, "failed");
  return { n: { s, c: s.client(node), slave: node, result }, finish };
}

/** Reads the slave's startup parameters; the master they name (its pointer) goes into its result as `current`. */
export async function readPointer(n: NodeStep): Promise<{ pointer: Report["MasterPointer"]; values: Map<string, string> }> {
  const params = await n.c.readParams();
  const pointer = pointerOf(params);
  n.result.current = pointer;
  return { pointer, values: paramValues(params) };
}
