/** The activation (handler `subscription`, admin-endpoint.md §7): master and slaves need the same key. */
import { badReply } from "./errors.js";
import { readReply } from "./replies.js";
import type { AdminTransport } from "./transport.js";
import { child } from "./xml.js";

export interface Subscription {
  activationKeyName: string;
  serviceId: string;
  version: string;
}

/** Reads the node's activation details. */
export async function readSubscription(t: AdminTransport): Promise<Subscription> {
  const reply = await t.call([["handler", "subscription"], ["refresh", "false"]], { kind: "read" });
  const root = readReply(t.node, "subscription", reply.body, "subscription_details");
  const info = child(root, "information");
  if (!info || info.attrs.activation_key_name === undefined) throw badReply(t.node, "subscription", "no <information activation_key_name=...>");
  return {
    activationKeyName: info.attrs.activation_key_name,
    serviceId: info.attrs.service_id ?? "",
    version: info.attrs.version ?? "",
  };
}
