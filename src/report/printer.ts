/**
 * The one output gate: data to stdout (once, at the end) or to the file `--output-file`
 * names (written whole, then renamed into place), diagnostics to stderr. In `-o json`,
 * `-o junit`, `-o prometheus` and `-o nagios` stdout carries the document and nothing else.
 */
import { chalkStderr } from "chalk";
import { writeFileAtomic } from "../util/atomic-file.js";
import type { visibleWidth, wrapText } from "./table.js";
import { safe } from "../util/safe-text.js";

/**
 * The width-aware wrapping (string-width and its Unicode tables) is loaded only where an error
 * or warning may be printed on a terminal (loadWrapping), not at every command's start-up.
 */
let wrapping: { visibleWidth: typeof visibleWidth; wrapText: typeof wrapText } | undefined;

/** Loads the wrapping of errors and warnings on a terminal (a no-op through a pipe). */
export async function loadWrapping(stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): Promise<void> {
  if (stream.isTTY && !wrapping) wrapping = await import("./table.js");
}

export type OutputFormat = "text" | "json" | "junit" | "prometheus" | "nagios";

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

  /**
   * The command's data into a file: written to a temporary file beside it, then renamed over
   * it, so that a reader (node_exporter's textfile collector) never sees half a file.
   */
  dataToFile(file: string, text: string): void {
    writeFileAtomic(file, text.endsWith("\n") ? text : text + "\n");
  }

  /** Progress and notes for the person at the terminal; silent with --quiet. */
  info(message: string): void {
    if (!this.opts.quiet) this.streams.stderr.write(message + "\n");
  }

  /** Something the user should act on; shown even with --quiet. */
  warn(message: string): void {
    this.streams.stderr.write(chalkStderr.yellow("warning: ") + this.fit("warning: ", message) + "\n");
  }

  /** An error that ends the run (also rendered as a JSON envelope on stdout in -o json). */
  error(message: string): void {
    this.streams.stderr.write(chalkStderr.red("error: ") + this.fit("error: ", message) + "\n");
  }

  /**
   * On a terminal, the message wrapped to its width at word boundaries (each line keeps its
   * indent, continuation lines two more), so the terminal never breaks a word; through a pipe
   * it stays as it is, one line per sentence for grep and CI logs.
   */
  private fit(label: string, message: string): string {
    const err = this.streams.stderr as NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
    const columns = err.isTTY ? (err.columns ?? 0) : 0;
    if (columns < 20 || !wrapping) return message;
    const { visibleWidth, wrapText } = wrapping;
    return message
      .split("\n")
      .map((line, i) => {
        const indent = /^ */.exec(line)![0];
        const first = i === 0 ? label.length : indent.length;
        if (first + visibleWidth(line.trimStart()) <= columns) return line;
        const [head, ...rest] = wrapText(line.trimStart(), columns - first - 2).split("\n");
        return [indent + head, ...rest.map((l) => indent + "  " + l)].join("\n");
      })
      .join("\n");
  }

  /** A further line of an error or warning (a detail, the hint), indented under it. */
  detail(message: string): void {
    this.streams.stderr.write(this.fit("  ", message).split("\n").map((l) => "  " + l).join("\n") + "\n");
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
