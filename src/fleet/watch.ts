/**
 * `verify --watch`: one verify round after another, every interval, until the run's signal
 * is aborted (Ctrl-C). Each round is handed to the caller, who shows it; nothing is printed
 * here. The session keeps the master's document between rounds, so each round asks the
 * master with If-Modified-Since where it sends Last-Modified (a 304 costs no document), and
 * sees a change on the master as it happens where it does not (src/fleet/master-doc.ts).
 */
import { sleep } from "../util/duration.js";
import type { NodeResult, Report } from "./report.js";
import { errorInfo } from "./results.js";
import type { FleetSession } from "./session.js";
import { runVerify, type VerifyOptions } from "./verify.js";

export interface WatchRound {
  /** When the round ended. */
  at: Date;
  /** The slaves, when the master could be read. */
  nodes: NodeResult[];
  /** The master could not be read this round. */
  masterError?: Report["NodeError"];
}

export interface WatchHooks {
  /** A round starts (the view may say it is reading). */
  reading(): void;
  /** A round is done. */
  round(r: WatchRound): void;
}

/** Runs verify rounds every `intervalMs` until the session's signal is aborted; a round cut short by it is not shown. */
export async function watchVerify(s: FleetSession, o: VerifyOptions & { intervalMs: number }, hooks: WatchHooks): Promise<void> {
  const { intervalMs, ...verify } = o;
  while (!s.signal.aborted) {
    hooks.reading();
    let round: WatchRound;
    try {
      round = { at: new Date(), nodes: await runVerify(s, verify) };
    } catch (e) {
      // The master did not answer this time: say so, and look again at the next round.
      const masterError = errorInfo(e);
      if (masterError.code === "INTERNAL") throw e;
      round = { at: new Date(), nodes: [], masterError };
    }
    if (s.signal.aborted) return;
    round.at = new Date();
    hooks.round(round);
    await sleep(intervalMs, s.signal).catch(() => undefined);
  }
}
