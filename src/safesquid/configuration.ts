/**
 * Editing access rows (handler `configuration`, docs/protocol.md "The policy document"): add,
 * edit, delete, shift, with the F0..F15 form, in the vendor's parameter order (safesquid.js
 * `save_policies`: the F fields, then handler, section, subsection, id, action, direction).
 * Edits change the running document only; `save` persists. The reply is not believed: only an
 * `<error>` is a failure; the caller re-reads the document and finds rows by content (ids are
 * not stable, and where a new row lands is the node's choice).
 */
import { encodeRowForm, type RowValues } from "./access.js";
import { checkWriteReply } from "./replies.js";
import type { AdminTransport, Params } from "./transport.js";

export type Subsection = "allow" | "deny";
export type ShiftDirection = "top" | "up" | "down" | "bottom";

async function configure(t: AdminTransport, form: Params): Promise<void> {
  const reply = await t.call(form, { kind: "write" });
  checkWriteReply(t.node, "configuration", reply);
}

function target(sub: Subsection, id?: string): Params {
  return [["handler", "configuration"], ["section", "access"], ["subsection", sub], ...(id === undefined ? [] : [["id", id] as [string, string]])];
}

/** Adds a row (where it lands is the node's choice: re-read to find it). */
export function addRow(t: AdminTransport, sub: Subsection, values: RowValues): Promise<void> {
  return configure(t, [...encodeRowForm(values), ...target(sub), ["action", "add"]]);
}

/** Replaces every field of a row. */
export function editRow(t: AdminTransport, sub: Subsection, id: string, values: RowValues): Promise<void> {
  return configure(t, [...encodeRowForm(values), ...target(sub, id), ["action", "edit"]]);
}

/** Deletes a row. */
export function deleteRow(t: AdminTransport, sub: Subsection, id: string): Promise<void> {
  return configure(t, [...target(sub, id), ["action", "delete"]]);
}

/** Moves a row one place (up, down) or to an end (top, bottom) of its subsection. */
export function shiftRow(t: AdminTransport, sub: Subsection, id: string, direction: ShiftDirection): Promise<void> {
  return configure(t, [...target(sub, id), ["action", "shift"], ["direction", direction]]);
}
