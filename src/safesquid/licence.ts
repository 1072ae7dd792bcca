/**
 * The activation (handler `subscription`, docs/protocol.md "Licence"): master and slaves need
 * the same product activation key. The 2023 build's interface reads `Activation_Key_Name`,
 * `Service_ID`, `Status`, `Version` of an `information` element; an older file spells them in
 * lower case: names are read in any case, and `information` is found anywhere in the reply.
 */
import { badReply } from "./errors.js";
import { attr, findFirst, readReply } from "./replies.js";
import type { AdminTransport } from "./transport.js";

export interface Subscription {
  activationKeyName: string;
  serviceId: string;
  status: string;
  version: string;
}

/** Reads the node's activation details. */
export async function readSubscription(t: AdminTransport): Promise<Subscription> {
  const reply = await t.call([["handler", "subscription"], ["refresh", "false"]], { kind: "read" });
  const info = findFirst(readReply(t.node, "subscription", reply), "information");
  const key = info && attr(info, "Activation_Key_Name");
  if (!info || key === undefined) throw badReply(t.node, "subscription", "no <information Activation_Key_Name=...> in the reply");
  return {
    activationKeyName: key,
    serviceId: attr(info, "Service_ID") ?? "",
    status: attr(info, "Status") ?? "",
    version: attr(info, "Version") ?? "",
  };
}
