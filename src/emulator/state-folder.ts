/**
 * A node's state folder (docs/emulator.md): the defaults file, `startup.ini`,
 * `config.xml` with timestamped copies under `backups/`, and the native log. Everything a
 * restart loads is read from here, so a restart really re-reads files.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync, copyFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileStamp } from "./clock.js";

export interface InitialFiles {
  defaults: string;
  startupIni: string;
  config: string;
}

/** The files of one node. */
export class StateFolder {
  readonly defaultsFile: string;
  readonly startupIni: string;
  readonly configFile: string;
  readonly backupsDir: string;
  readonly logFile: string;

  constructor(readonly dir: string) {
    this.defaultsFile = join(dir, "startup-defaults.ini");
    this.startupIni = join(dir, "startup.ini");
    this.configFile = join(dir, "config.xml");
    this.backupsDir = join(dir, "backups");
    this.logFile = join(dir, "native.log");
  }

  /** Creates the folder and writes each file that is not there yet (existing state is kept). */
  init(initial: InitialFiles): void {
    mkdirSync(this.backupsDir, { recursive: true });
    if (!existsSync(this.defaultsFile)) atomicWrite(this.defaultsFile, initial.defaults);
    if (!existsSync(this.startupIni)) atomicWrite(this.startupIni, initial.startupIni);
    if (!existsSync(this.configFile)) atomicWrite(this.configFile, initial.config);
  }

  /** The defaults file's text. */
  readDefaults(): string {
    return readFileSync(this.defaultsFile, "utf8");
  }

  /** startup.ini's text ("" when absent). */
  readStartupIni(): string {
    return existsSync(this.startupIni) ? readFileSync(this.startupIni, "utf8") : "";
  }

  /** Replaces startup.ini. */
  writeStartupIni(text: string): void {
    atomicWrite(this.startupIni, text);
  }

  /** The saved document's text. */
  readConfig(): string {
    return readFileSync(this.configFile, "utf8");
  }

  /** Saves config.xml, first keeping a timestamped copy of the previous file; returns the copy's path. */
  saveConfig(text: string, nowMs: number): string | undefined {
    let backup: string | undefined;
    if (existsSync(this.configFile)) {
      mkdirSync(this.backupsDir, { recursive: true });
      backup = join(this.backupsDir, `config.xml.${fileStamp(nowMs)}`);
      for (let n = 1; existsSync(backup); n++) backup = join(this.backupsDir, `config.xml.${fileStamp(nowMs)}.${n}`);
      copyFileSync(this.configFile, backup);
    }
    atomicWrite(this.configFile, text);
    return backup;
  }

  /** Replaces config.xml without a backup (a slave persisting what it synchronized). */
  writeConfig(text: string): void {
    atomicWrite(this.configFile, text);
  }

  /** The backup files, oldest first. */
  backups(): string[] {
    return existsSync(this.backupsDir) ? readdirSync(this.backupsDir).sort().map((f) => join(this.backupsDir, f)) : [];
  }
}

/** Writes a file through a temporary name and a rename, so a reader never sees half of it. */
function atomicWrite(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
