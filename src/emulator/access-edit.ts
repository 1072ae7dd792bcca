/**
 * `handler=configuration` on the access section's allow and deny lists (docs/protocol.md
 * §5): add / edit / delete / clone / shift with the F0..F15 form. New rows (add, clone) go
 * to the bottom of their subsection (the alt dialect: the top; docs/emulator.md "Dialects")
 * and take ids from the document's global counter ([chosen]).
 * Other sections are not editable in the emulator. Edits change memory only, until `save`.
 */
import { decodeRowForm, ROW_FIELDS, type RowValues } from "../safesquid/access.js";
import { entries } from "../safesquid/policy.js";
import { child, el, type XmlElement } from "../safesquid/xml.js";
import type { AdminCall, NodeCore, Reply } from "./core.js";
import { THREAD } from "./native-log.js";
import { xmlError } from "./reply.js";

const DIRECTIONS = ["top", "up", "down", "bottom"] as const;

/** The row's field elements, in F0..F15 order, empty fields left out (§5). */
function fieldElements(values: RowValues): XmlElement[] {
  return ROW_FIELDS.filter((f) => (values[f] ?? "") !== "").map((f) => el(f, {}, [values[f]!]));
}

/** Puts an entry after the last one of its subsection (allow rows before deny rows when alone). */
function insertAtBottom(section: XmlElement, sub: string, entry: XmlElement): void {
  const kids = section.children;
  let at = -1;
  kids.forEach((c, i) => {
    if (typeof c !== "string" && c.name === sub && c.attrs.id !== undefined) at = i;
  });
  if (at < 0 && sub === "allow") {
    const firstDeny = kids.findIndex((c) => typeof c !== "string" && c.name === "deny" && c.attrs.id !== undefined);
    if (firstDeny >= 0) at = firstDeny - 1;
    else at = kids.length - 1;
  } else if (at < 0) at = kids.length - 1;
  kids.splice(at + 1, 0, entry);
}

/** Puts an entry before the first one of its subsection (after the others when it has none). */
function insertAtTop(section: XmlElement, sub: string, entry: XmlElement): void {
  const first = section.children.findIndex((c) => typeof c !== "string" && c.name === sub && c.attrs.id !== undefined);
  if (first < 0) insertAtBottom(section, sub, entry);
  else section.children.splice(first, 0, entry);
}

/** Moves an entry among the entries of its subsection; other children keep their places. */
function shift(section: XmlElement, sub: string, entry: XmlElement, direction: (typeof DIRECTIONS)[number]): void {
  const list = entries(section, sub);
  const from = list.indexOf(entry);
  const last = list.length - 1;
  const to = direction === "top" ? 0 : direction === "bottom" ? last : direction === "up" ? Math.max(0, from - 1) : Math.min(last, from + 1);
  const reordered = [...list];
  reordered.splice(from, 1);
  reordered.splice(to, 0, entry);
  let k = 0;
  section.children.forEach((c, i) => {
    if (typeof c !== "string" && list.includes(c)) section.children[i] = reordered[k++]!;
  });
}

/** The configuration handler. */
export function configure(core: NodeCore, call: AdminCall): Reply {
  const p = call.params;
  const sectionName = p.get("section") ?? "";
  if (sectionName !== "access") return xmlError(`the emulated node edits only the access section, not "${sectionName}"`);
  const sub = p.get("subsection") ?? "";
  if (sub !== "allow" && sub !== "deny") return xmlError(`subsection must be allow or deny, not "${sub}"`);
  const section = child(core.policy.tree, "access");
  if (!section) return xmlError("the document has no access section");
  const action = p.get("action") ?? "";
  let target: XmlElement | undefined;
  if (action !== "add") {
    const id = p.get("id") ?? "";
    target = entries(section, sub).find((e) => e.attrs.id === id);
    if (!target) return xmlError(`no ${sub} row with id "${id}" in section access`);
  }
  const insert = core.rules.newRows === "top" ? insertAtTop : insertAtBottom;
  let id: string;
  switch (action) {
    case "add":
    case "edit": {
      const { values, problems } = decodeRowForm(p);
      if (problems.length) return xmlError(`the row is not valid: ${problems.join("; ")}`);
      if (action === "add") {
        id = core.policy.allocateId();
        insert(section, sub, el(sub, { id }, fieldElements(values)));
      } else {
        // Fields this build does not know (not F0..F15) are kept as they were.
        const known: readonly string[] = ROW_FIELDS;
        const kept = target!.children.filter((c) => typeof c !== "string" && !known.includes(c.name));
        target!.children = [...fieldElements(values), ...kept];
        id = target!.attrs.id!;
      }
      break;
    }
    case "delete":
      section.children.splice(section.children.indexOf(target!), 1);
      id = target!.attrs.id!;
      break;
    case "clone": {
      id = core.policy.allocateId();
      const copy = structuredClone(target!);
      copy.attrs.id = id;
      insert(section, sub, copy);
      break;
    }
    case "shift": {
      const direction = p.get("direction") ?? "";
      if (!(DIRECTIONS as readonly string[]).includes(direction)) return xmlError(`direction must be top, up, down or bottom, not "${direction}"`);
      shift(section, sub, target!, direction as (typeof DIRECTIONS)[number]);
      id = target!.attrs.id!;
      break;
    }
    default:
      return xmlError(`action must be add, edit, delete, clone or shift, not "${action}"`);
  }
  core.policy.touch();
  core.log.write(THREAD.admin, "config", `access ${sub} row ${id}: ${action}${action === "shift" ? " " + p.get("direction") : ""} (not saved yet)`);
  return { body: core.rules.configured(id) };
}
