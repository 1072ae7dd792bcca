/** Writing a file generated from the sources at build time (the schemas in examples/, the precompiled inventory check in dist/generated/). */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** Writes a generated file only when its content changes (a build leaves current files untouched), and says so; makes its folder when missing. */
export function writeGenerated(file: string, content: string): void {
  if (existsSync(file) && readFileSync(file, "utf8") === content) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  process.stdout.write(`wrote ${file}\n`);
}
