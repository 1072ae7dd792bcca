#!/usr/bin/env node
// Builds dist/bundle/: the CLI that bin/safesquid-fleet.js runs (docs/architecture.md "Build").
//
// Why a bundle: without one, Node.js resolves, reads and compiles some 230 module files at every
// start (got alone brings about 60), which was most of a command's start-up time. esbuild puts
// src/cli.ts and every package it imports into a few files; each command's module, and
// whatever only it needs (ora, the prompts, the emulator, ajv...), stays a chunk of its own that
// loads only when the command runs, as the dynamic import()s in src/ say. Whitespace and syntax are
// minified, names are not, so a stack trace still names the functions. The files are CommonJS,
// and boot.js (src/boot.cts) runs first: on Node.js 20 it keeps V8's compiled code between runs.
//
// Also written: dist/bundle/meta.json, the account of which source file went into which output
// file (test/cli/startup-modules.test.ts reads it to see what a command loaded). It is
// written last, so its time is the build's time (test/helpers/cli.ts compares it with src/).
//
//   node scripts/bundle.mjs      (npm run build, npm test, npm run demo and npm run bench run it)
import { build, transform } from "esbuild";
import { builtinModules, createRequire } from "node:module";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "dist", "bundle");
const require = createRequire(import.meta.url);

/**
 * Node's own modules are taken through require(), never through an ES `import`. An `import ...
 * from "node:tls"` makes Node.js build the module's ES facade, which reads every export once:
 * that runs the lazy getters Node keeps for costly things nobody here uses, e.g.
 * `tls.rootCertificates` (parses the whole bundled CA store, ~25 ms), `crypto.webcrypto`, and on
 * Node.js 22 `http.WebSocket` (loads undici). Each builtin an ES module imports becomes a
 * small module of the bundle that require()s it and exports its plain values by name (the
 * names read at build time), and its getters through a small CommonJS module of getters
 * (`export { x } from ...`), which esbuild reads where `x` is used: a getter runs only if its
 * value is wanted, as with require(). (Every name through CommonJS would be lazy too, but
 * esbuild's interop copies all of a CommonJS module's names once per importing file: a hundred
 * for node:fs.) Which names are getters depends on the Node.js version (`AsyncLocalStorage` is
 * one from 22 on): the build's own Node.js says, and a name either way works on every version.
 */
/** A builtin's export names (identifiers; `default` aside), as the build's Node.js has them. */
const namesOf = (path) => Object.keys(Object.getOwnPropertyDescriptors(require(path))).filter((n) => n !== "default" && /^[A-Za-z_$][\w$]*$/.test(n));
/** Those of them that are getters. */
const gettersOf = (path) => namesOf(path).filter((n) => !("value" in Object.getOwnPropertyDescriptor(require(path), n)));
const builtinsByRequire = {
  name: "node-builtins-by-require",
  setup(b) {
    const builtins = new Set(builtinModules);
    b.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      if (args.namespace === "builtin-by-require" || args.namespace === "builtin-getters") return { path: args.path, external: true };
      if (args.kind !== "import-statement" && args.kind !== "dynamic-import") return undefined;
      const bare = args.path.replace(/^node:/, "");
      return builtins.has(bare) ? { path: `node:${bare}`, namespace: "builtin-by-require" } : undefined;
    });
    b.onResolve({ filter: /^getters:node:/ }, (args) => ({ path: args.path.slice(8), namespace: "builtin-getters" }));
    b.onLoad({ filter: /.*/, namespace: "builtin-by-require" }, (args) => {
      const values = namesOf(args.path).filter((n) => "value" in Object.getOwnPropertyDescriptor(require(args.path), n));
      const getters = gettersOf(args.path);
      const lines = [`const mod = require(${JSON.stringify(args.path)});`, `export default mod;`];
      if (values.length) lines.push(`export const { ${values.join(", ")} } = mod;`);
      if (getters.length) lines.push(`export { ${getters.join(", ")} } from ${JSON.stringify(`getters:${args.path}`)};`);
      return { contents: lines.join("\n"), loader: "js" };
    });
    // The getters alone, each reading the module's when asked (esbuild's interop copies every
    // name of a CommonJS module once: a few here, not the module's hundred).
    b.onLoad({ filter: /.*/, namespace: "builtin-getters" }, (args) => ({
      contents: [
        `const mod = require(${JSON.stringify(args.path)});`,
        `module.exports = { ${gettersOf(args.path).map((n) => `get ${n}() { return mod.${n}; }`).join(", ")} };`,
      ].join("\n"),
      loader: "js",
    }));
  },
};

/**
 * Some packages do costly work when they load, for things this tool never or rarely uses; the
 * bundle defers it to first use by rewriting a few lines of their source. Each rewritten text
 * must be found exactly once, or the build fails: a new version of the package is looked at
 * again rather than bundled unpatched.
 * - @sindresorhus/is makes two Intl.ListFormat objects for the message of a failed assertion,
 *   and string-width an Intl.Segmenter for text that is not plain ASCII: the first Intl object
 *   of a process loads the ICU locale data (~20 ms on Node.js 20), and a report or table of
 *   plain ASCII needs none.
 * - cacheable-lookup reads `dns.promises` for its resolver class (a getter that loads
 *   node:dns/promises, ~10 ms); got makes a CacheableLookup only for its `dnsCache` option,
 *   which the tool does not set.
 * - got loads http2-wrapper, which loads node:http2 and makes a TLS socket (a TLS context) as
 *   it loads (~15 ms), for got's `http2` option, which the tool does not set: got takes it
 *   through a require() made when that option is used.
 */
const deferredAtLoad = [
  {
    file: /[\\/]@sindresorhus[\\/]is[\\/]distribution[\\/]index\.js$/,
    edits: ["andFormatter", "orFormatter"].map((name) => [
      new RegExp(`^const ${name} = (new Intl\\.ListFormat\\([^;\\n]*\\));$`, "m"),
      `let ${name}Made; const ${name} = { format: (list) => (${name}Made ??= $1).format(list) };`,
    ]),
  },
  {
    file: /[\\/]cacheable-lookup[\\/]source[\\/]index\.js$/,
    edits: [
      [/^\tpromises as dnsPromises,\n/m, ""],
      [/^const \{Resolver: AsyncResolver\} = dnsPromises;$/m, "import dnsDefault from 'node:dns';"],
      [/new AsyncResolver\(\)/, "new dnsDefault.promises.Resolver()"],
      [/instanceof AsyncResolver\)/, "instanceof dnsDefault.promises.Resolver)"],
    ],
  },
  {
    // The package's own copy (wrap-ansi keeps an older one, without the segmenter).
    file: new RegExp(`^${join(ROOT, "node_modules", "string-width", "index.js").replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&")}$`),
    edits: [[/^const segmenter = new Intl\.Segmenter\(\);$/m, "let segmenterMade; const segmenter = { segment: (text) => (segmenterMade ??= new Intl.Segmenter()).segment(text) };"]],
  },
  {
    file: /[\\/]got[\\/]dist[\\/]source[\\/]core[\\/]options\.js$/,
    edits: [
      [
        /^import http2wrapper from 'http2-wrapper';$/m,
        "const http2wrapper = { get globalAgent() { return require('http2-wrapper').globalAgent; }, get auto() { return require('http2-wrapper').auto; } };",
      ],
    ],
  },
];
const deferAtLoad = {
  name: "defer-work-at-load",
  setup(b) {
    for (const { file, edits } of deferredAtLoad) {
      b.onLoad({ filter: file }, (args) => {
        let contents = readFileSync(args.path, "utf8");
        for (const [from, to] of edits) {
          const count = contents.match(new RegExp(from.source, from.flags + "g"))?.length ?? 0;
          if (count !== 1) throw new Error(`${args.path}: ${from} found ${count} times, not once; look at scripts/bundle.mjs deferredAtLoad again`);
          contents = contents.replace(from, to);
        }
        return { contents, loader: "js" };
      });
    }
  },
};

const minify = { minifyWhitespace: true, minifySyntax: true, legalComments: "eof", target: "node20.17" };

// 1. The split bundle, as ES modules (esbuild splits only those), kept in memory.
rmSync(OUT, { recursive: true, force: true });
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: { cli: "src/cli.ts" },
  outdir: OUT,
  write: false,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  // The only import.meta the bundle keeps (src/util/package-root.ts): each file that uses it
  // defines it (2.).
  define: { "import.meta.url": "__bundleFileUrl" },
  plugins: [builtinsByRequire, deferAtLoad],
  metafile: true,
  // Whitespace and syntax minified (about a fifth less to read and parse at every start), names
  // kept: a stack trace still names its functions.
  ...minify,
  logLevel: "warning",
});

// 2. Each file made CommonJS: Node.js 20 can keep compiled code only of CommonJS files (src/boot.cts);
// an import of another file becomes a require(), a dynamic import() a require() when it runs, so
// a chunk still loads only when a command needs it. dist/bundle/package.json says the .js files
// there are CommonJS.
mkdirSync(OUT, { recursive: true });
const hash = createHash("sha256");
for (const f of result.outputFiles) {
  const cjs = await transform(f.text, {
    format: "cjs",
    loader: "js",
    sourcefile: relative(ROOT, f.path),
    supported: { "dynamic-import": false }, // import("./x.js") -> Promise.resolve().then(() => require("./x.js"))
    ...minify,
    logLevel: "warning",
  });
  const fileUrl = cjs.code.includes("__bundleFileUrl") ? `var __bundleFileUrl=require("node:url").pathToFileURL(__filename).href;\n` : "";
  const code = fileUrl + cjs.code;
  hash.update(relative(OUT, f.path)).update("\0").update(code).update("\0");
  writeFileSync(f.path, code);
}
writeFileSync(join(OUT, "package.json"), JSON.stringify({ type: "commonjs" }) + "\n");

// 3. boot.js, which bin/ loads: Node.js 20's compile cache, then cli.js. The cache folder is named
// after a hash of the files above, so a new build never uses an old build's compiled code.
const boot = await build({
  absWorkingDir: ROOT,
  entryPoints: { boot: "src/boot.cts" },
  outdir: OUT,
  bundle: true,
  format: "cjs",
  platform: "node",
  external: ["./cli.js"],
  define: { BUNDLE_BUILD_ID: JSON.stringify(hash.digest("hex").slice(0, 16)) },
  metafile: true,
  ...minify,
  logLevel: "warning",
});

// 4. The account of every file written (meta.json itself aside), last.
const packageJson = relative(ROOT, join(OUT, "package.json")).split("\\").join("/");
const meta = {
  inputs: { ...result.metafile.inputs, ...boot.metafile.inputs },
  outputs: { ...result.metafile.outputs, ...boot.metafile.outputs, [packageJson]: { imports: [], exports: [], inputs: {}, bytes: 0 } },
};
writeFileSync(join(OUT, "meta.json"), JSON.stringify(meta) + "\n");
