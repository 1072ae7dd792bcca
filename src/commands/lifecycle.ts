/**
 * What the commands that restart slaves after the join share (undo, restart, detach, promote):
 * the fleet options, --dry-run and the run record, the command's own options, then
 * --restart-timeout. None is split into shards: each says why when given --shard.
 */
import { dryRunOptions, fleetOptions, recordOptions, restartTimeoutOption, type FleetFormat } from "./fleet-options.js";
import { optionList, type AnyOpt } from "./options.js";

export function lifecycleOptions<const F extends readonly ["text", ...FleetFormat[]], const O extends readonly AnyOpt[]>(o: { formats: F; concurrency: number; noShard: string }, ...own: O) {
  return optionList(...fleetOptions({ formats: o.formats, concurrency: o.concurrency, decline: { shard: { reason: o.noShard } } }), ...dryRunOptions, ...recordOptions, ...own, restartTimeoutOption);
}
