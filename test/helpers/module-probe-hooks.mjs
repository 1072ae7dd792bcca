// The load hook of module-probe.mjs: appends each ES module's URL to SAFESQUID_MODULE_PROBE.
import { appendFileSync } from "node:fs";

export async function load(url, context, next) {
  if (process.env.SAFESQUID_MODULE_PROBE) appendFileSync(process.env.SAFESQUID_MODULE_PROBE, url + "\n");
  return next(url, context);
}
