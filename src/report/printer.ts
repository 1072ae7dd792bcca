/**
 * The one output gate: data to stdout (once, at the end), diagnostics to stderr.
 * In `-o json` / `-o junit` stdout carries the document and nothing else.
 */
import { chalkStderr } from "chalk";
import { safe } from "./terminal.js";

export type OutputFormat = "text" | "json" | "junit";

export interface PrinterOptions {
  format: OutputFormat;
  quiet: boolean;
  verbose: boolean;
}

export interface Streams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export class Printer {
  constructor(
    readonly opts: PrinterOptions,
    private readonly streams: Streams = { stdout: process.stdout, stderr: process.stderr },
  ) {}

  /** The command's data (a report, a JSON or JUnit document). */
  data(text: string): void {
    this.streams.stdout.write(text.endsWith("\n") ? text : text + "\n");
  }

  /** Progress and notes for the person at the terminal; silent with --quiet. */
  info(message: string): void {
    if (!this.opts.quiet) this.streams.stderr.write(message + "\n");
  }

  /** Something the user should act on; shown even with --quiet. */
  warn(message: string): void {
    this.streams.stderr.write(chalkStderr.yellow("warning: ") + message + "\n");
  }

  /** An error that ends the run (also rendered as a JSON envelope on stdout in -o json). */
  error(message: string): void {
    this.streams.stderr.write(chalkStderr.red("error: ") + message + "\n");
  }

  /** Detail for --verbose (each admin call...). Callers pass already-redacted text. */
  debug(message: string): void {
    if (this.opts.verbose) this.streams.stderr.write(chalkStderr.dim(safe(message)) + "\n");
  }

  /** The raw stderr stream (spinners, prompts). */
  get stderr(): NodeJS.WritableStream {
    return this.streams.stderr;
  }
}
