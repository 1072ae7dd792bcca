// Preloaded into the CLI process the benchmark measures (`node --import ./bench/rusage-probe.mjs
// bin/safesquid-fleet.js ...`): when that process exits, it writes its own resource usage
// (getrusage(RUSAGE_SELF): peak resident set size in KiB, user and system CPU in µs) to the
// file named by SAFESQUID_BENCH_RUSAGE. Exact and portable: no polling, no /usr/bin/time.
import { writeFileSync } from "node:fs";

const file = process.env.SAFESQUID_BENCH_RUSAGE;
if (file) {
  process.on("exit", () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssKiB: u.maxRSS, userUs: u.userCPUTime, systemUs: u.systemCPUTime }));
  });
}
