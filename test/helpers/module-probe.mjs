// Preloaded with `node --import` by test/cli/startup-modules.test.ts: writes to the file named
// by SAFESQUID_MODULE_PROBE every module the process loads, one URL or path a line. ES modules
// are seen by a load hook (module-probe-hooks.mjs, on the loader's own thread on Node 20);
// CommonJS modules are listed from require's cache when the process exits.
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";

const file = process.env.SAFESQUID_MODULE_PROBE;
if (file) {
  register("./module-probe-hooks.mjs", import.meta.url);
  const require = createRequire(import.meta.url);
  process.on("exit", () => appendFileSync(file, Object.keys(require.cache).join("\n") + "\n"));
}
