#!/usr/bin/env node
// Committed shim: the bundle (dist/bundle/, scripts/bundle.mjs) is built, and npm links this file.
//
// It checks the Node.js version before anything else is loaded, so that an older Node prints
// one line saying what is needed (and exits 2) instead of a syntax error from deep inside a
// dependency. The whole file is ES5, which any Node.js parses: an `import` statement would be
// hoisted above the check, and even an `import()` expression is a syntax error to Node.js 8
// and older, so the tool is loaded by an `import()` in a function compiled from a string, after
// the check (a relative specifier there resolves against this file, as it would here).
var need = [20, 17];
var have = process.versions.node.split(".").map(Number);
if (have[0] < need[0] || (have[0] === need[0] && have[1] < need[1])) {
  process.stderr.write(
    "safesquid-fleet needs Node.js " + need.join(".") + " or newer (tested on 20, 22 and 24); this is Node.js " + process.versions.node + "\n"
  );
  process.exit(2);
}
// Node.js 22.1 and newer keep V8's compiled code of the bundle between runs (in the system's
// temporary folder; NODE_DISABLE_COMPILE_CACHE=1 or SAFESQUID_FLEET_NO_CACHE=1 turns it off): a
// command starts faster from its second run. On Node.js 20, dist/bundle/boot.js keeps it itself
// (src/boot.cts).
var nodeModule = typeof process.getBuiltinModule === "function" ? process.getBuiltinModule("node:module") : undefined;
if (nodeModule && typeof nodeModule.enableCompileCache === "function" && process.env.SAFESQUID_FLEET_NO_CACHE !== "1") {
  try {
    nodeModule.enableCompileCache();
  } catch (e) {
    // no cache is no failure
  }
}
// A checkout that was never built has no bundle: say so in one line (exit 2), not with a stack
// trace from Node's module loader.
Function("specifier", "return import(specifier)")("../dist/bundle/boot.js").catch(function (e) {
  if (!e || e.code !== "ERR_MODULE_NOT_FOUND" || String(e.url || e.message).indexOf("dist/bundle/boot.js") < 0) throw e;
  process.stderr.write("safesquid-fleet is not built here (no dist/bundle/): run npm run build in " + String(e.url || "").replace(/^file:\/\//, "").replace(/\/dist\/bundle\/boot\.js$/, "") + "\n");
  process.exitCode = 2;
});
