/**
 * The inventory after `promote NEW_MASTER`: the promoted slave becomes the master (its own
 * entry, without `sourceIp`; slaves get its host and port as MASTER_IP / MASTER_PORT), it
 * leaves `slaves`, and the old master leaves the fleet. Both as the normalised inventory the
 * run works with, and as the user's YAML file edited in place (comments and `defaults` kept),
 * checked like any inventory before it is offered.
 */
import { isMap, isSeq, parseDocument, type YAMLMap } from "yaml";
import { FleetError } from "../errors.js";
import { parseInventory } from "./parse.js";
import type { Inventory, MasterSpec } from "./types.js";

/** The inventory as it is once `name` is the master. */
export function promotedInventory(inv: Inventory, name: string): Inventory {
  const slave = inv.slaves.find((x) => x.name === name);
  if (!slave) throw new FleetError("USAGE", `${name} is not a slave of ${inv.file}`, { hint: `slaves: ${inv.slaves.map((x) => x.name).join(", ")}` });
  const { sourceIp: _sourceIp, role: _role, ...rest } = slave;
  const master: MasterSpec = { ...rest, role: "master", advertise: { ip: slave.host, port: slave.port } };
  return { ...inv, master, slaves: inv.slaves.filter((x) => x !== slave) };
}

/**
 * The inventory file's text with `name` promoted; throws when the result would not be a valid
 * inventory (e.g. no slave left), saying what to do instead.
 */
export function promotedYaml(text: string, file: string, name: string, oldMaster: string): string {
  const doc = parseDocument(text);
  const slaves = doc.get("slaves", true);
  if (!isSeq(slaves)) throw new FleetError("INVENTORY", `${file}: no slaves list to take ${name} from`);
  const i = slaves.items.findIndex((it) => isMap(it) && it.get("name") === name);
  if (i < 0) throw new FleetError("INVENTORY", `${file}: ${name} is not listed under slaves`);
  const entry = (slaves.items[i] as YAMLMap).clone() as YAMLMap;
  slaves.items.splice(i, 1);
  entry.delete("sourceIp");
  entry.commentBefore = ` promoted by safesquid-fleet promote; the master was ${oldMaster}`;
  doc.set("master", entry);
  const out = doc.toString();
  const check = parseInventory(out, file);
  if (check.errors.length) {
    throw new FleetError("INVENTORY", `the inventory with ${name} as its master would not be valid: ${check.errors.map((e) => e.message).join("; ")}`, {
      hint: "edit the inventory by hand: make the promoted slave the master, and list the slaves it will have",
    });
  }
  return out;
}
