/**
 * Deciding whether a write landed by reading the node's state back (docs/protocol.md "Deciding
 * by reading back"). A write's reply is never believed either way beyond an `<error>`: after
 * every write, whatever its reply (fine, refused, unexpected, lost, cut short), the state is
 * read again and the read-back decides. A write is never sent again blindly.
 */
import { FleetError } from "../errors.js";

/** What reading back shows: the change is there, the state is as before, or something else. */
export type Seen = { kind: "landed" } | { kind: "absent" } | { kind: "other"; what: string };

export interface Landing {
  /** The reply problem the read-back overruled ("the reply was lost (RESET)..."), for the report's steps. */
  note?: string;
}

/**
 * Sends a write, then reads back. Landed: resolves (with a note when the reply was not a plain
 * success). Absent: throws the write's own error, or NOT_APPLIED when the node had answered
 * without complaint. Other: CONFLICT. A read-back that itself fails leaves the outcome unknown,
 * which the error says.
 */
export async function writeAndReadBack(
  node: string,
  what: string,
  write: () => Promise<void>,
  readBack: () => Promise<Seen>,
  check: (text: string) => void = () => {},
): Promise<Landing> {
  let replyError: FleetError | undefined;
  try {
    await write();
  } catch (e) {
    if (!(e instanceof FleetError) || e.code === "INTERRUPTED") throw e;
    replyError = e;
  }
  let seen: Seen;
  try {
    seen = await readBack();
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const reply = replyError ? `the write failed (${replyError.message}) and ` : "";
    throw new FleetError(replyError?.code ?? "UNREACHABLE", `${what}: ${reply}reading it back failed, so whether it landed is unknown: ${why}`, {
      node,
      cause: e,
      hint: "check the node's state (the run record holds the values before the write), then run the command again",
    });
  }
  check(`${what}: ${replyError ? `reply ${replyError.code}; ` : ""}read back: ${seen.kind === "other" ? seen.what : seen.kind === "landed" ? "the change is in place" : "the change is not there"}`);
  if (seen.kind === "landed") return replyError ? { note: `${what}: the reply was ${replyError.code.toLowerCase().replace("_", " ")}; read back, the change is in place` } : {};
  if (seen.kind === "absent") {
    if (replyError) throw replyError;
    throw new FleetError("NOT_APPLIED", `${what}: the node answered, but reading back does not show the change`, {
      node,
      hint: "the node may not support this change, or someone changed it back at the same time; look at the node, then run the command again",
    });
  }
  throw new FleetError("CONFLICT", `${what}: read back, ${seen.what}${replyError ? ` (the write's reply: ${replyError.message})` : ""}`, {
    node,
    hint: "someone else may be changing this node at the same time; look at it, then run the command again",
  });
}
