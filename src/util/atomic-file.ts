/** Writing a file so that no reader ever sees it half written: a temporary file beside it, then a rename. */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Writes `text` to `file` atomically: into `.<name>.<pid>.tmp` in the same folder (same file
 * system, and a name node_exporter's textfile collector skips: it reads `*.prom` only), synced
 * to disk, then renamed over `file`. On failure the temporary file is removed and the old
 * `file`, if any, is left as it was.
 */
export function writeFileAtomic(file: string, text: string, mode = 0o644): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    const fd = openSync(tmp, "w", mode);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
