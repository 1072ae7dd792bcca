#!/usr/bin/env node
// Builds dist/bundle/: the CLI that bin/safesquid-fleet.js runs (docs/architecture.md "Build").
//
// Why a bundle: without one, Node.js resolves, reads and compiles some 230 module files at every
// start (got alone brings about 60), which was most of a command's start-up time. esbuild puts
// src/cli.ts and every package it imports into a few ES module files; each command's module, and
// whatever only it needs (ora, the prompts, the emulator, ajv...), stays a chunk of its own that
// loads only when the command runs, as the dynamic import()s in src/ say. Nothing is minified, so
// a stack trace still names the functions.
//
// Also written: dist/bundle/meta.json, esbuild's account of which source file went into which
// output file (test/cli/startup-modules.test.ts reads it to see what a command loaded). It is
// written last, so its time is the build's time (test/helpers/cli.ts compares it with src/).
//
//   node scripts/bundle.mjs      (npm run build, npm test, npm run demo and npm run bench run it)
import { build } from "esbuild";
import { createRequire } from "node:module";
import { rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "dist", "bundle");
const require = createRequire(import.meta.url);

/**
 * `import { checkServerIdentity } from "node:tls"` in an ES module (got does it) makes Node.js
 * build the module's ES facade, which reads every export, `tls.rootCertificates` among them:
 * that parses the whole bundled CA store (~25 ms) at every start, for a name nobody uses. The
 * bundle takes node:tls through require() instead, exporting every name but that one.
 */
const lazyTls = {
  name: "tls-without-root-certificates",
  setup(b) {
    b.onResolve({ filter: /^(node:)?tls$/ }, (args) => (args.namespace === "tls-shim" ? { path: "node:tls", external: true } : { path: "tls", namespace: "tls-shim" }));
    b.onLoad({ filter: /.*/, namespace: "tls-shim" }, () => {
      const names = Object.keys(require("node:tls")).filter((n) => n !== "rootCertificates");
      return {
        contents: [
          `const tls = require("node:tls");`,
          ...names.map((n) => `export const ${n} = tls.${n};`),
          `export default tls;`,
        ].join("\n"),
        loader: "js",
      };
    });
  },
};

rmSync(OUT, { recursive: true, force: true });
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: { cli: "src/cli.ts" },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.17",
  // The CommonJS packages inside (yaml, commander, http2-wrapper...) call require() for Node's
  // own modules: an ES module has no require, so the bundle makes one.
  banner: { js: `import { createRequire as __bundleRequire } from "node:module";\nconst require = __bundleRequire(import.meta.url);` },
  plugins: [lazyTls],
  metafile: true,
  legalComments: "eof",
  logLevel: "warning",
});
writeFileSync(join(OUT, "meta.json"), JSON.stringify(result.metafile) + "\n");
