/**
 * Errors are data: a code, a message that says what went wrong and what to do, the node it
 * concerns, and a cause. Only src/cli.ts maps them to exit codes (docs/architecture.md "Principles").
 */

/**
 * Every error code, as data: the report schema lists them (src/fleet/report-schema.ts), the
 * type below is made from them.
 */
export const ERROR_CODES = [
  // nothing was touched: exit 2
  "USAGE", // bad flags or arguments
  "INVENTORY", // the inventory file is missing or invalid
  "CREDENTIALS", // a secret could not be read
  "NEEDS_INPUT", // a question would be asked, but there is no terminal (or CI is set)
  "LOCKED", // another run holds this inventory's lock (src/fleet/run-lock.ts)
  "NO_RECORD_DIR", // no folder the run records can be written to (src/fleet/record-dir.ts)
  // talking to a node
  "UNREACHABLE", // connection refused, host unreachable, name does not resolve
  "TIMEOUT", // no reply in time
  "RESET", // the connection dropped mid-reply
  "TLS", // the https tunnel's certificate could not be verified
  "NEEDS_CREDENTIALS", // 407 and the inventory has no credentials for this node
  "BAD_CREDENTIALS", // 407 although credentials were sent (stopping the run: exit 2)
  "ACCESS_DENIED", // 403
  "SERVER_ERROR", // 5xx
  "HANDLER_REFUSED", // 200 with <error .../> or a result that is not success
  "BAD_REPLY", // not the XML the handler answers with
  "REPLY_TOO_LARGE", // a reply past its size bound: reading stopped (src/safesquid/transport.ts)
  "NOT_APPLIED", // a write the node answered without complaint, which reading back does not show
  // the job
  "NOT_A_MASTER", // the master is itself a slave
  "LICENSE_MISMATCH", // activation keys differ
  "LOCKOUT", // a change would shut the tool out of the master
  "CONFLICT", // the node's state makes the change unsafe (e.g. a deny row), or changed since the run being undone
  "JOINED_ELSEWHERE", // the slave is joined to another master: moving it needs --move
  "SYNC_FAILED", // after its restart the slave answers, but does not sync with its master
  "INTERRUPTED", // SIGINT / SIGTERM / Ctrl-C at a prompt
  "SHARD_FAILED", // report merge: every shard stopped with an error, there is no report to merge
  "INTERNAL",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The exit code for errors that stop a whole run (docs/output.md "Exit codes"). */
export function exitCodeFor(code: ErrorCode): 1 | 2 | 130 {
  switch (code) {
    case "USAGE":
    case "INVENTORY":
    case "CREDENTIALS":
    case "NEEDS_INPUT":
    case "LOCKED":
    case "NO_RECORD_DIR":
    // A run stops on a refused login only when it is the master's, at the run's first reads:
    // the master refuses every request, so nothing was written anywhere. (A slave that refuses
    // it is that slave's failure in the report: exit 1.)
    case "BAD_CREDENTIALS":
      return 2;
    case "INTERRUPTED":
      return 130;
    default:
      return 1;
  }
}

export class FleetError extends Error {
  override name = "FleetError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly opts: { node?: string; hint?: string; cause?: unknown; details?: string[] } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
  }
  get node(): string | undefined {
    return this.opts.node;
  }
  /** What to do next, when there is something to say. */
  get hint(): string | undefined {
    return this.opts.hint;
  }
  /** Further lines, e.g. one per inventory error. */
  get details(): string[] {
    return this.opts.details ?? [];
  }
}

/** Wraps anything thrown into a FleetError (unknown errors become INTERNAL). */
export function asFleetError(e: unknown): FleetError {
  if (e instanceof FleetError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new FleetError("INTERNAL", `unexpected error: ${msg}`, {
    cause: e,
    hint: "this is a bug in safesquid-fleet; please report it with the command you ran (run with --verbose for details)",
  });
}
