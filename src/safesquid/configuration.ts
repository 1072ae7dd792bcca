/**
 * Editing access rows (handler `configuration`, admin-endpoint.md §5): add, edit, delete,
 * shift, with the F0..F15 form. Edits change the running document only; `save` persists.
 * Ids are not stable: callers re-read the document and find rows by content.
 */
import { encodeRowForm, type RowValues } from "./access.js";
import { badReply } from "./errors.js";
import { readReply } from "./replies.js";
import type { AdminTransport, Params } from "./transport.js";

export type Subsection = "allow" | "deny";
export type ShiftDirection = "top" | "up" | "down" | "bottom";

async function configure(t: AdminTransport, form: Params): Promise<string> {
  const reply = await t.call([["handler", "configuration"], ["section", "access"], ...form], { kind: "write" });
  const root = readReply(t.node, "configuration", reply.body, "configuration");
  if (root.attrs.result !== "ok") throw badReply(t.node, "configuration", `result "${root.attrs.result ?? ""}" instead of "ok"`);
  return root.attrs.id ?? "";
}

/** Appends a row at the bottom of its subsection; returns the new id. */
export function addRow(t: AdminTransport, sub: Subsection, values: RowValues): Promise<string> {
  return configure(t, [["subsection", sub], ["action", "add"], ...encodeRowForm(values)]);
}

/** Replaces every field of a row. */
export async function editRow(t: AdminTransport, sub: Subsection, id: string, values: RowValues): Promise<void> {
  await configure(t, [["subsection", sub], ["action", "edit"], ["id", id], ...encodeRowForm(values)]);
}

/** Deletes a row. */
export async function deleteRow(t: AdminTransport, sub: Subsection, id: string): Promise<void> {
  await configure(t, [["subsection", sub], ["action", "delete"], ["id", id]]);
}

/** Moves a row within its subsection. */
export async function shiftRow(t: AdminTransport, sub: Subsection, id: string, direction: ShiftDirection): Promise<void> {
  await configure(t, [["subsection", sub], ["action", "shift"], ["direction", direction], ["id", id]]);
}
