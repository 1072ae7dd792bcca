/**
 * Writing a slave's startup parameters the vendor's way (docs/protocol.md "Startup
 * parameters"): the whole list, every other key as read (values without quotes), only
 * MASTER_IP / MASTER_PORT changed; then read back, which decides whether it landed.
 */
import type { Report } from "./report.js";
import type { StartupParam } from "../safesquid/params.js";
import { paramsDiffer, pointerLabel, pointerOf, pointerWords, restoreParams } from "./join-plan.js";
import { writeAndReadBack, type Seen } from "./landed.js";
import { step, warn } from "./results.js";
import type { NodeStep } from "./restart-node.js";
import { nowDoing, sawPointer } from "./node-progress.js";

export interface PointerWrite {
  /** The whole list to write. */
  params: StartupParam[];
  /** The list as read before the write. */
  before: readonly StartupParam[];
  /** The step to report once it is read back ("MASTER_IP / MASTER_PORT written"). */
  done: string;
}

/**
 * Writes the whole parameter list and reads it back: landed when MASTER_IP / MASTER_PORT show
 * the written values; other keys that read back otherwise are named in a warning.
 */
export async function writePointer(n: NodeStep, w: PointerWrite): Promise<void> {
  const { s, c, slave, result } = n;
  const from = pointerOf(w.before);
  const to = pointerOf(w.params);
  s.record.write({ node: slave.name, action: "params-write", before: from, after: to });
  // From here until a read-back, what the node holds is not known (a failed node's `left`).
  sawPointer(result, undefined);
  nowDoing(result, `writing ${pointerWords(to)} (whether the write landed is not known)`, { wrote: true });
  let extra: string[] = [];
  const readBack = async (): Promise<Seen> => {
    const back = await c.readParams();
    const now = pointerOf(back);
    sawPointer(result, now);
    extra = paramsDiffer(w.params, back).filter((d) => !/^MASTER_(IP|PORT)=/.test(d));
    if (now.MASTER_IP === to.MASTER_IP && now.MASTER_PORT === to.MASTER_PORT) return { kind: "landed" };
    if (now.MASTER_IP === from.MASTER_IP && now.MASTER_PORT === from.MASTER_PORT) return { kind: "absent" };
    return { kind: "other", what: `MASTER_IP:MASTER_PORT is ${pointerLabel(now)}, neither the ${pointerLabel(from)} before nor the ${pointerLabel(to)} written` };
  };
  const landing = await writeAndReadBack(slave.name, `MASTER_IP:MASTER_PORT ${pointerLabel(to)}`, () => c.writeParams(w.params), readBack, (t) => s.checked(slave.name, t));
  if (landing.note) step(result, landing.note);
  step(result, `${w.done} (read back)`);
  nowDoing(result, `${pointerWords(to)} were written (read back) and it was not restarted yet: they take effect at its next restart`, { wrote: true });
  if (extra.length) warn(result, `after the write, ${slave.name} shows other startup parameters than were written back: ${extra.slice(0, 5).join("; ")}`);
}

/** Reads the parameters as they are now and writes them back with MASTER_IP / MASTER_PORT set to `to`. */
export async function pointTo(n: NodeStep, to: Report["MasterPointer"], done: string): Promise<void> {
  const now = await n.c.readParams();
  await writePointer(n, { params: restoreParams(now, to), before: now, done });
}
