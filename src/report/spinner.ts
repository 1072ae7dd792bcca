/**
 * Progress on stderr, per phase. Three modes (docs/architecture.md "Stack"):
 * - animated: an ora spinner, only when stderr is a terminal with columns and CI is unset
 *   (ora 9.4 spins forever at 100% CPU on a 0-column pty), in `-o text` without --quiet;
 * - lines: stderr is not a terminal (a CI log, a pipe), `-o text`, not quiet: plain lines, a
 *   progress line at most once per interval, no escape codes;
 * - silent: `-o json`, `-o junit` or --quiet.
 * The spinner stops before prompts (stop() / pause()) and clears itself when the run is
 * interrupted. ora is imported only when it will animate, so `--help` never loads it; the
 * factory stays synchronous (calls made while ora loads are applied once it is there).
 * A Progress is also the fleet's ProgressSink (phase, update, note).
 */
import { chalkStderr } from "chalk";
import type { Ora } from "ora";
import type { OutputFormat } from "./printer.js";
import { glyphsFor, type Glyphs } from "./symbols.js";
import type { truncate as Truncate } from "./table.js";
import { canAnimate } from "./terminal.js";
import { safeLine } from "../util/safe-text.js";

export type ProgressMode = "animated" | "lines" | "silent";

export interface Progress {
  readonly mode: ProgressMode;
  /** Starts (or switches to) a phase: "join-slave: 5 slaves". Restarts a stopped spinner. */
  phase(text: string): void;
  /** Progress within the phase ("3/5 pune-2 restarting"). Never restarts a stopped spinner. */
  update(done: number, total: number, text?: string): void;
  /** A line that stays ("pune-1: restarting"), printed above the spinner. */
  note(text: string): void;
  /** What is being waited on for this node ("reading", "restarting"): shown with its seconds until idle(). */
  working(node: string, what: string): void;
  /** The node is done: no longer waited on. */
  idle(node: string): void;
  /** Ends the phase with a success mark and a line that stays. */
  succeed(text?: string): void;
  /** Ends the phase with a failure mark and a line that stays. */
  fail(text?: string): void;
  /** Stops and clears the spinner (before a prompt, before the report is printed). */
  stop(): void;
  /** Stops the spinner while `fn` runs (a question), then starts it again. */
  pause<T>(fn: () => Promise<T>): Promise<T>;
}

export interface ProgressOptions {
  /** The command's printer: its format, --quiet and stderr are used unless given below. */
  printer?: { opts: { format: OutputFormat; quiet: boolean }; stderr: NodeJS.WritableStream };
  format?: OutputFormat;
  quiet?: boolean;
  /** Aborted on Ctrl-C / SIGTERM: the spinner clears itself and never draws again. */
  signal?: AbortSignal;
  /** Default: the printer's stderr, else process.stderr. */
  stream?: NodeJS.WritableStream & { columns?: number };
  env?: NodeJS.ProcessEnv;
  /** Override the terminal check (tests); default canAnimate(env). */
  animate?: boolean;
  unicode?: boolean;
  /** lines mode: at most one progress line per interval. Default 15 s. */
  intervalMs?: number;
  /** Clock for the lines mode's pacing (tests). */
  now?: () => number;
}

/** Creates the progress reporter the options allow (see the modes above). */
export function createProgress(opts: ProgressOptions): Progress {
  const stream = opts.stream ?? opts.printer?.stderr ?? process.stderr;
  const format = opts.format ?? opts.printer?.opts.format ?? "text";
  const quiet = opts.quiet ?? opts.printer?.opts.quiet ?? false;
  const g = glyphsFor(opts.unicode);
  if (format !== "text" || quiet) return new Silent();
  if (!(opts.animate ?? canAnimate(opts.env ?? process.env))) return new Lines(stream, g, opts.intervalMs ?? 15_000, opts.now ?? Date.now);
  const p = new Animated(stream, g);
  if (opts.signal?.aborted) p.abort();
  else opts.signal?.addEventListener("abort", () => p.abort(), { once: true });
  return p;
}

class Silent implements Progress {
  readonly mode = "silent";
  phase(): void {}
  update(): void {}
  note(): void {}
  working(): void {}
  idle(): void {}
  succeed(): void {}
  fail(): void {}
  stop(): void {}
  pause<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}

const progressText = (phase: string, done: number, total: number, text?: string): string => `${phase}  ${done}/${total}${text ? "  " + safeLine(text) : ""}`;

/**
 * The nodes the run is waiting on, with what for and since when: the display names the one
 * waited on longest and for how long ("waiting on pune-2: restarting, 12s; 3 more"), not the
 * last one that finished.
 */
class Waiting {
  private readonly nodes = new Map<string, { what: string; since: number }>();
  constructor(private readonly now: () => number) {}
  working(node: string, what: string): void {
    const was = this.nodes.get(node);
    // A new activity restarts its clock; the same one keeps it.
    this.nodes.set(node, { what, since: was && was.what === what ? was.since : this.now() });
  }
  idle(node: string): void {
    this.nodes.delete(node);
  }
  get size(): number {
    return this.nodes.size;
  }
  /** "waiting on pune-2: restarting, 12s; 3 more", or undefined when nothing is in flight. */
  text(): string | undefined {
    let oldest: [string, { what: string; since: number }] | undefined;
    for (const e of this.nodes) if (!oldest || e[1].since < oldest[1].since) oldest = e;
    if (!oldest) return undefined;
    const secs = Math.floor((this.now() - oldest[1].since) / 1000);
    const more = this.nodes.size > 1 ? `; ${this.nodes.size - 1} more` : "";
    return `waiting on ${oldest[0]}: ${oldest[1].what}, ${secs}s${more}`;
  }
}

class Lines implements Progress {
  readonly mode = "lines";
  private current = "";
  private last = -Infinity;
  private lastLine = "";
  private counts = { done: 0, total: 0 };
  private readonly waiting: Waiting;
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly g: Glyphs,
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {
    this.waiting = new Waiting(now);
  }
  /** While a node is waited on, a line each interval says which and for how long (a hung node is not silence). */
  private tick(): void {
    if (this.waiting.size === 0 || this.timer) return;
    this.timer = setInterval(() => {
      const w = this.waiting.text();
      if (w === undefined) return this.stop();
      if (this.now() - this.last >= this.intervalMs) this.line(progressText(this.current, this.counts.done, this.counts.total, w));
    }, Math.min(this.intervalMs, 1000));
    this.timer.unref();
  }
  working(node: string, what: string): void {
    this.waiting.working(safeLine(node), safeLine(what));
    this.tick();
  }
  idle(node: string): void {
    this.waiting.idle(safeLine(node));
  }
  private line(s: string): void {
    if (s === this.lastLine) return;
    this.lastLine = s;
    this.last = this.now();
    this.stream.write(s + "\n");
  }
  phase(text: string): void {
    this.current = safeLine(text);
    this.line(this.current);
  }
  update(done: number, total: number, text?: string): void {
    this.counts = { done, total };
    if (this.now() - this.last >= this.intervalMs) this.line(progressText(this.current, done, total, this.waiting.text() ?? text));
  }
  note(text: string): void {
    this.line("  " + safeLine(text));
  }
  succeed(text?: string): void {
    this.line(`${this.g.ok} ${text === undefined ? this.current : safeLine(text)}`);
  }
  fail(text?: string): void {
    this.line(`${this.g.bad} ${text === undefined ? this.current : safeLine(text)}`);
  }
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
  pause<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}

class Animated implements Progress {
  readonly mode = "animated";
  private ora: Ora | undefined;
  private text = "";
  private phaseText = "";
  /** Should the spinner be turning (once ora is loaded)? */
  private wanted = false;
  private dead = false;
  private readonly loaded: Promise<void>;
  /** The width-aware cut (string-width, with its Unicode tables): loaded with ora, only here. */
  private truncate: typeof Truncate | undefined;
  private counts: { done: number; total: number; text?: string } | undefined;
  private readonly waiting = new Waiting(Date.now);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: NodeJS.WritableStream & { columns?: number },
    private readonly g: Glyphs,
  ) {
    this.loaded = Promise.all([import("ora"), import("./table.js")]).then(([{ default: ora }, { truncate }]) => {
      this.truncate = truncate;
      this.ora = ora({ stream: this.stream, isEnabled: true, discardStdin: false, hideCursor: true, color: chalkStderr.level > 0 ? "cyan" : false });
      this.sync();
    });
    this.loaded.catch(() => {}); // no spinner is better than a crash
  }
  /**
   * Keeps the spinner on one line: ora clears only the line the cursor is on. The line is the
   * frame and a space, the text, and room for the terminal's own echo of Ctrl-C ("^C", 2
   * columns): a line that ends at the last column would wrap that echo onto a new line, and
   * clearing after the interrupt would then leave the spinner on screen.
   */
  private fit(s: string): string {
    const max = Math.max(10, (this.stream.columns ?? 80) - 6);
    return this.truncate ? this.truncate(s, max, this.g.ellipsis) : s;
  }
  /** Brings ora in line with what is wanted. */
  private sync(): void {
    const o = this.ora;
    if (!o) return;
    o.text = this.fit(this.text);
    if (this.wanted && !this.dead && !o.isSpinning) o.start();
    if ((!this.wanted || this.dead) && o.isSpinning) o.stop();
  }
  phase(text: string): void {
    this.phaseText = this.text = safeLine(text);
    this.counts = undefined;
    this.wanted = true;
    this.redraw();
  }
  update(done: number, total: number, text?: string): void {
    this.counts = { done, total, ...(text !== undefined ? { text } : {}) };
    this.redraw();
  }
  /** The phase, the counts, and the node waited on longest with its time (else the last one done). */
  private redraw(): void {
    const w = this.waiting.text();
    if (this.counts) this.text = progressText(this.phaseText, this.counts.done, this.counts.total, w ?? this.counts.text);
    else this.text = w ? `${this.phaseText}  ${w}` : this.phaseText;
    if (this.wanted) this.sync();
  }
  working(node: string, what: string): void {
    this.waiting.working(safeLine(node), safeLine(what));
    if (!this.timer) {
      // The seconds count while nothing finishes: a node that never answers is seen waiting.
      this.timer = setInterval(() => (this.waiting.size ? this.redraw() : this.clearTimer()), 1000);
      this.timer.unref();
    }
    this.redraw();
  }
  idle(node: string): void {
    this.waiting.idle(safeLine(node));
  }
  private clearTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
  note(text: string): void {
    if (this.dead) return;
    const spinning = this.ora?.isSpinning === true;
    if (spinning) this.ora!.clear();
    this.stream.write("  " + safeLine(text) + "\n");
    if (spinning) this.ora!.render();
  }
  private end(mark: string, text?: string): void {
    this.wanted = false;
    if (this.dead) return;
    const line = text === undefined ? this.phaseText : safeLine(text);
    if (this.ora) this.ora.stopAndPersist({ symbol: mark, text: line });
    else this.stream.write(`${mark} ${line}\n`);
  }
  succeed(text?: string): void {
    this.end(chalkStderr.green(this.g.ok), text);
  }
  fail(text?: string): void {
    this.end(chalkStderr.red(this.g.bad), text);
  }
  stop(): void {
    this.wanted = false;
    this.sync();
  }
  async pause<T>(fn: () => Promise<T>): Promise<T> {
    const was = this.wanted;
    this.stop();
    try {
      return await fn();
    } finally {
      if (was && !this.dead) {
        this.wanted = true;
        this.sync();
      }
    }
  }
  /** Ctrl-C: clear the line, show the cursor again, and never draw again. */
  abort(): void {
    this.dead = true;
    this.clearTimer();
    this.sync();
  }
  /** Resolves once ora is loaded (tests). */
  ready(): Promise<void> {
    return this.loaded;
  }
}
