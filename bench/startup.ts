/**
 * Cold start: `--version` and `--help` of the built CLI against a bare `node -e 0`, each the
 * median of several runs, interleaved so that a busy moment of the machine hits all three.
 */
import { measure, median } from "./measure.js";

export interface Startup {
  runs: number;
  nodeMs: number;
  versionMs: number;
  helpMs: number;
  versionRatio: number;
  helpRatio: number;
}

/** Measures the CLI's cold start against bare node. */
export async function measureStartup(runs: number): Promise<Startup> {
  const node: number[] = [];
  const version: number[] = [];
  const help: number[] = [];
  await measure(["--version"], { probe: false }); // warm the file cache once, not counted
  for (let i = 0; i < runs; i++) {
    node.push((await measure(["-e", "0"], { probe: false, bin: false })).wallMs);
    version.push((await measure(["--version"], { probe: false })).wallMs);
    help.push((await measure(["--help"], { probe: false })).wallMs);
  }
  const nodeMs = median(node);
  return { runs, nodeMs, versionMs: median(version), helpMs: median(help), versionRatio: median(version) / nodeMs, helpRatio: median(help) / nodeMs };
}
