/**
 * The node's native log (docs/protocol.md "The sync log"): one line per event,
 * `YYYY MM DD HH:MM:SS.mmm [thread] family: message`, appended to a file in the node's state
 * folder, kept bounded (rotated to `<file>.1` past a size), with an in-memory ring of the last
 * lines (the backlog `handler=log` sends first, and what tests search) and live subscribers.
 */
import { createWriteStream, existsSync, readFileSync, statSync, renameSync, type WriteStream } from "node:fs";
import { logStamp, type NodeClock } from "./clock.js";
import { LineRing } from "./line-ring.js";

/** Thread ids written in the brackets ([chosen]: fixed per activity). */
export const THREAD = { main: "1001", admin: "1002", sync: "1003" } as const;

export interface NativeLogOptions {
  /** Lines kept in memory (at least the backlog the node sends). Default 3000. */
  keepLines?: number;
  /** Size past which the file is rotated to `<file>.1`. Default 1 MiB. */
  maxBytes?: number;
}

/** The native log of one node. */
export class NativeLog {
  private readonly ring: LineRing;
  private readonly subscribers = new Set<(line: string) => void>();
  private stream: WriteStream | undefined;
  private size = 0;
  private readonly maxBytes: number;

  constructor(
    readonly file: string,
    private readonly clock: NodeClock,
    opts: NativeLogOptions = {},
  ) {
    this.ring = new LineRing(opts.keepLines ?? 3000);
    this.maxBytes = opts.maxBytes ?? 1024 * 1024;
    // A state folder that already has a log: its tail is the backlog (the log outlives restarts).
    if (existsSync(file)) {
      this.size = statSync(file).size;
      for (const l of readFileSync(file, "utf8").split("\n")) if (l !== "") this.ring.push(l);
    }
  }

  /** Writes one line now, on the node's clock. */
  write(thread: string, family: string, message: string): string {
    const line = `${logStamp(this.clock.now())} [${thread}] ${family}: ${message.replace(/[\r\n]+/g, " ")}`;
    this.ring.push(line);
    this.append(line + "\n");
    for (const s of this.subscribers) s(line);
    return line;
  }

  /** The lines kept in memory, oldest first. */
  lines(): string[] {
    return this.ring.last(this.ring.capacity);
  }

  /** The last `count` lines kept, oldest first. */
  tail(count: number): string[] {
    return this.ring.last(count);
  }

  /** Calls `fn` with every new line until the returned function is called. */
  subscribe(fn: (line: string) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  /** Flushes and closes the file (the lines in memory stay for a later start). */
  async close(): Promise<void> {
    const s = this.stream;
    this.stream = undefined;
    if (s) await new Promise<void>((resolve) => s.end(resolve));
  }

  private append(text: string): void {
    if (this.size + text.length > this.maxBytes && this.size > 0) {
      // Rotate: the open stream keeps writing its last bytes into the renamed file.
      this.stream?.end();
      this.stream = undefined;
      try {
        renameSync(this.file, this.file + ".1");
      } catch {
        // nothing written yet: nothing to rotate
      }
      this.size = 0;
    }
    if (!this.stream) {
      this.stream = createWriteStream(this.file, { flags: "a" });
      // A state folder removed under a running node must not crash the process.
      this.stream.on("error", () => {});
    }
    this.stream.write(text);
    this.size += Buffer.byteLength(text);
  }
}
