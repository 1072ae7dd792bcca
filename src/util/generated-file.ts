/** Writing a file generated from the sources at build time (the schemas in examples/, the precompiled inventory check). */
import { existsSync, readFileSync, writeFileSync } from "node:fs";

/** Writes a generated file only when its content changes (a build leaves current files untouched), and says so. */
export function writeGenerated(file: string, content: string): void {
  if (existsSync(file) && readFileSync(file, "utf8") === content) return;
  writeFileSync(file, content);
  process.stdout.write(`wrote ${file}\n`);
}
