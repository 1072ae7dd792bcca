/**
 * `verify -o prometheus` and `verify -o nagios`: the run rendered for a monitoring system.
 * A master that cannot be read is part of the output here, not an error that ends the run:
 * the metrics say `safesquid_fleet_master_up 0` (so an alert fires instead of old metrics
 * staying in place), the check says CRITICAL. An interrupted run writes no metrics (half a
 * fleet read would look like slaves gone) and is UNKNOWN to the check.
 */
import { exitCodeFor } from "../errors.js";
import type { NodeResult, Report } from "../fleet/report.js";
import { errorInfo } from "../fleet/results.js";
import { DEFAULT_WARNING, renderNagios } from "../report/nagios.js";
import { renderPrometheus } from "../report/prometheus.js";
import { buildReport, writeData, type FleetRun } from "./fleet-options.js";
import type { VerifyFlags } from "./verify.js";

/** Runs verify and prints it for monitoring; returns the exit code. */
export async function emitMonitoring(run: FleetRun, flags: VerifyFlags, verify: () => Promise<NodeResult[]>, outputFile: string | undefined): Promise<number> {
  let nodes: NodeResult[] = [];
  let masterError: Report["NodeError"] | undefined;
  try {
    nodes = await verify();
  } catch (e) {
    // Only a failure to reach or read the master becomes output; usage errors and bugs end the run as usual.
    const info = errorInfo(e);
    if (exitCodeFor(info.code) !== 1 || info.code === "INTERNAL") throw e;
    masterError = info;
  }
  run.session.close();
  const report = buildReport(run, "verify", nodes);
  const input = { ...report, ...(masterError ? { masterError } : {}) };
  if (flags.output === "nagios") {
    const r = renderNagios(input, { warning: flags.warning ?? DEFAULT_WARNING, critical: flags.critical ?? {}, interrupted: report.interrupted });
    writeData(run.ctx, r.line, outputFile);
    return r.exitCode;
  }
  if (report.interrupted) {
    run.ctx.printer.error(`interrupted before the run finished: no metrics written${outputFile ? ` (${outputFile} is as it was)` : ""}`);
    return 130;
  }
  writeData(run.ctx, renderPrometheus(input), outputFile);
  return masterError ? 1 : report.exitCode;
}
