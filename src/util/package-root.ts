/**
 * The package's own folder (package.json, examples/), found from this module's location. The
 * code runs from three places at different depths: src/ (under tsx), dist/ (tsc's output) and
 * dist/bundle/ (the bundle bin/ runs, docs/architecture.md "Build"), so a fixed relative path
 * (`../package.json`) is right in one of them only: walk up to the package.json that is ours.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const NAME = "safesquid-fleet";

let found: { dir: string; pkg: { name?: string; version?: string } } | undefined;

/** The package root and its package.json; throws when neither this folder nor one above holds it. */
export function ownPackage(): { dir: string; pkg: { name?: string; version?: string } } {
  if (found) return found;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === NAME) return (found = { dir, pkg });
    } catch {
      // none here (or not readable): look further up
    }
    if (dirname(dir) === dir) throw new Error(`${NAME}: its own package.json is not in ${start} or any folder above it; reinstall the package`);
  }
}

/** A path inside the package: packageFile("examples", "inventory.yaml"). */
export function packageFile(...parts: string[]): string {
  return join(ownPackage().dir, ...parts);
}
