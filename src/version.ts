/** The package version, from the package's own package.json (util/package-root.ts finds it from src/, dist/ and the bundle). */
import { ownPackage } from "./util/package-root.js";

function readVersion(): string {
  try {
    return ownPackage().pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

export const VERSION = readVersion();
