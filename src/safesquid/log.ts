/**
 * The native log (handler `log`, docs/protocol.md "The sync log"): a stream that never ends on
 * its own, read for a bounded time (and bytes) or until the reader has what it needs; and the
 * sync events in it. The node's backlog may be large, small or absent: only the lines the tool
 * reads (SYNC_LINES) are kept, and only the newest of those.
 */
import { FleetError } from "../errors.js";
import { sleep } from "../util/duration.js";
import { closeStream, type AdminTransport } from "./transport.js";

export interface LogLine {
  /** The timestamp as written, `YYYY MM DD HH:MM:SS.mmm` (the node's clock). */
  stamp: string;
  /** The timestamp read as UTC milliseconds (the node's clock, as its Date header is). */
  ms: number;
  thread: string;
  family: string;
  message: string;
}

/**
 * The sync lines the tool reads, and what each is worth. Lines are matched on their words,
 * never on the vendor's source-line numbers (`config_sync:80`). Only the `real` lines are
 * the vendor's own; a `hint` line is our emulator's wording, which a real node may word
 * otherwise or never write: a decision may be hastened by a hint, but must also be reached
 * without it (docs/protocol.md "The sync log").
 */
export const SYNC_LINES = {
  /** An attempt starts: `synchronizing with <ip>:<port>`. */
  attempt: { re: /synchronizing with (\S+)\s*$/, source: "real" },
  /** A section was taken from the master: `synchronized section: <tag>`. */
  section: { re: /synchronized section: (\S+)/, source: "real" },
  /** An attempt failed: `failed to synchronize with <ip>:<port>: <reason>`. */
  failure: { re: /failed to synchronize with (\S+?): (.*)$/, source: "hint" },
  /** The master's document was unchanged (304): `no changes from <ip>:<port>`. */
  noChange: { re: /no changes (?:from|on) (\S+)/, source: "hint" },
} as const;

const LINE = /^(\d{4}) (\d{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3}) \[([^\]]*)\] ([^:]+): (.*)$/;

/** Parses one native log line; undefined for lines of another shape. */
export function parseLogLine(line: string): LogLine | undefined {
  const m = LINE.exec(line.replace(/\r$/, ""));
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!);
  return { stamp: line.slice(0, 23), ms, thread: m[8]!, family: m[9]!.trim(), message: m[10]! };
}

/** Is this a line the tool reads (SYNC_LINES)? A cheap test before parsing. */
function isSyncLine(text: string): boolean {
  return text.includes("synchroniz") || text.includes("no changes");
}

export interface LogRead {
  /** The sync lines read (SYNC_LINES), oldest first; at most MAX_KEPT_LINES of the newest. */
  lines: LogLine[];
  /** The node-clock time of the newest line of any kind read, if any. */
  lastMs?: number;
  /** The node cut the stream (or it failed) before the read was over: what was read is kept, but it may not be all there was. */
  cut?: boolean;
}

/** The longest partial line kept while waiting for its end (a sync line is ~100 characters). */
const MAX_LINE_CHARS = 64 * 1024;

/** How many sync lines a read keeps (the newest): enough for many attempts of many sections. */
export const MAX_KEPT_LINES = 5000;

export interface ReadLogOptions {
  /** Stop after this long in any case. */
  maxMs: number;
  /** Stop once nothing new has arrived for this long. */
  idleMs: number;
  /**
   * The caller wants the backlog (what the node has logged so far), not lines yet to come:
   * once the first lines are in, stop after a quiet spell of a few round trips (3x the time
   * the reply took to start, at least BACKLOG_QUIET_MIN_MS, at most idleMs) instead of idleMs.
   */
  backlog?: boolean;
  /** Stop as soon as this says the sync lines read so far are enough. */
  until?: (lines: LogLine[]) => boolean;
  /** Stop reading past this many bytes (keeping what was read). Default: the transport's bound for `log` (64 MiB). */
  maxBytes?: number;
  /**
   * Open the stream again this many times when opening it fails on the way (refused, timed
   * out, reset, 5xx), with a short backoff: a one-off read that a passing fault must not
   * decide. Default 0 (a caller that polls the log retries by polling).
   */
  retries?: number;
  signal?: AbortSignal;
}

/**
 * The shortest quiet spell that ends a backlog read. The node sends its backlog at once, so
 * its chunks arrive back to back (on a slow link, one round trip apart, which the 3x of the
 * reply's start covers); a fixed idle of 250-300 ms per read was most of verify's time per
 * slave (measured at 500 slaves).
 */
export const BACKLOG_QUIET_MIN_MS = 40;

/** Reads the log stream for a bounded time; returns its sync lines, oldest first. */
export async function readLog(t: AdminTransport, o: ReadLogOptions): Promise<LogRead> {
  const t0 = performance.now();
  const stream = await openLog(t, o);
  const quietMs = o.backlog ? Math.min(o.idleMs, Math.max(BACKLOG_QUIET_MIN_MS, 3 * (performance.now() - t0))) : o.idleMs;
  const maxBytes = o.maxBytes ?? t.replyLimit("log");
  const out: LogRead = { lines: [] };
  let rest = "";
  let bytes = 0;
  let lastData = 0;
  return new Promise<LogRead>((resolve, reject) => {
    let idle: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (err?: unknown): void => {
      if (done) return;
      done = true;
      clearTimeout(idle);
      clearTimeout(max);
      o.signal?.removeEventListener("abort", onAbort);
      closeStream(stream);
      if (err) reject(err);
      else resolve(out);
    };
    const onAbort = (): void => finish(o.signal!.reason);
    const armIdle = (ms: number): void => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        // Timers run before I/O in each turn of the event loop: after a busy spell of this
        // process, data may be waiting unread. Let it in first; stop only if none came.
        const firedAt = performance.now();
        setImmediate(() => {
          if (lastData < firedAt) finish();
        });
      }, ms);
    };
    const max = setTimeout(() => finish(), o.maxMs);
    o.signal?.addEventListener("abort", onAbort, { once: true });
    // Before the first lines: the full idleMs (the node may take a moment to start sending).
    armIdle(o.idleMs);
    stream.on("data", (chunk: Buffer | string) => {
      lastData = performance.now();
      bytes += chunk.length;
      const parts = (rest + chunk.toString()).split("\n");
      rest = parts.pop() ?? "";
      // A line this long is no sync line: do not hold a stream without line breaks in memory.
      if (rest.length > MAX_LINE_CHARS) rest = "";
      take(out, parts);
      if (bytes > maxBytes || o.until?.(out.lines)) return finish();
      armIdle(quietMs);
    });
    // The node closed the stream (e.g. restarting): keep what was read, and say it was cut.
    stream.on("end", () => ((out.cut = true), finish()));
    stream.on("error", () => ((out.cut = true), finish()));
  });
}

/** Opens the log stream, again on a passing failure when the caller asks for retries. */
async function openLog(t: AdminTransport, o: ReadLogOptions): Promise<NodeJS.ReadableStream & { destroy(): void }> {
  let delay = 250;
  for (let attempt = 0; ; attempt++) {
    try {
      return await t.stream([["handler", "log"]], Math.min(o.maxMs, t.node.timeoutMs));
    } catch (e) {
      const passing = e instanceof FleetError && ["UNREACHABLE", "TIMEOUT", "RESET", "SERVER_ERROR"].includes(e.code);
      if (!passing || attempt >= (o.retries ?? 0) || o.signal?.aborted) throw e;
      await sleep(delay, o.signal);
      delay *= 2;
    }
  }
}

/** Adds complete lines to a read: the newest time of any line, the sync lines themselves. */
function take(out: LogRead, parts: string[]): void {
  for (let i = parts.length - 1; i >= 0; i--) {
    const l = parseLogLine(parts[i]!);
    if (l) {
      out.lastMs = Math.max(out.lastMs ?? l.ms, l.ms);
      break;
    }
  }
  for (const p of parts) {
    if (!isSyncLine(p)) continue;
    const l = parseLogLine(p);
    if (l) out.lines.push(l);
  }
  if (out.lines.length > MAX_KEPT_LINES * 2) out.lines.splice(0, out.lines.length - MAX_KEPT_LINES);
}

/** Why a sync attempt failed, as far as the fix goes (from a hint line). */
export type FailureKind = "login-required" | "forbidden" | "unreachable" | "other";

export interface SyncBlock {
  /** `ip:port` the slave synchronized with. */
  target: string;
  at: LogLine;
  sections: string[];
  /** The time of the last section line, when any. */
  completedAt?: LogLine;
  /** Hint lines (our emulator's wording; a real node may write none). */
  failure?: { reason: string; kind: FailureKind; at: LogLine };
  noChange?: LogLine;
}

/** Classifies the reason of a failure hint line. */
export function failureKind(reason: string): FailureKind {
  const r = reason.toLowerCase();
  if (/^407\b/.test(r)) return "login-required";
  if (/^403\b/.test(r)) return "forbidden";
  if (/refused|timed out|timeout|reset|unreachable|no route|not resolve/.test(r)) return "unreachable";
  return "other";
}

/** Groups the sync lines of a log into attempts, oldest first. */
export function syncBlocks(lines: readonly LogLine[]): SyncBlock[] {
  const blocks: SyncBlock[] = [];
  let current: SyncBlock | undefined;
  for (const l of lines) {
    let m: RegExpExecArray | null;
    if ((m = SYNC_LINES.attempt.re.exec(l.message))) {
      current = { target: m[1]!, at: l, sections: [] };
      blocks.push(current);
    } else if ((m = SYNC_LINES.section.re.exec(l.message)) && current) {
      current.sections.push(m[1]!);
      current.completedAt = l;
    } else if ((m = SYNC_LINES.failure.re.exec(l.message))) {
      const failure = { reason: m[2]!.trim(), kind: failureKind(m[2]!), at: l };
      if (current && current.target === m[1] && !current.failure && current.sections.length === 0) current.failure = failure;
      else blocks.push((current = { target: m[1]!, at: l, sections: [], failure }));
    } else if ((m = SYNC_LINES.noChange.re.exec(l.message)) && current && current.target === m[1]) {
      current.noChange = l;
    }
  }
  return blocks;
}
