/**
 * The policy document (handler `conf_xml`, docs/protocol.md "The policy document") with its
 * times: `Last-Modified` (the document time, when the node sends it) and `Date` (the node's
 * clock), so the document's age is known in the node's own clock whatever the skew.
 */
import { badReply } from "./errors.js";
import { findFirst, readReply } from "./replies.js";
import type { AdminTransport } from "./transport.js";
import type { XmlElement } from "./xml.js";
import { ROOT } from "./policy.js";

export interface FetchedDocument {
  root: XmlElement;
  /** The Last-Modified header, as sent (for If-Modified-Since); absent when the node sends none. */
  lastModified?: string;
  /** When the document last changed, in THIS machine's clock (Last-Modified shifted by the node's clock offset). */
  changedAt?: number;
  bytes: number;
}

/** Fetches the running document; `"not-modified"` when If-Modified-Since says so. */
export async function fetchDocument(t: AdminTransport, ifModifiedSince?: string): Promise<FetchedDocument | "not-modified"> {
  const reply = await t.call([["handler", "conf_xml"]], { kind: "read", ...(ifModifiedSince ? { ifModifiedSince } : {}) });
  if (reply.status === 304) return "not-modified";
  const doc = readReply(t.node, "conf_xml", reply);
  const root = findFirst(doc, ROOT);
  if (!root) throw badReply(t.node, "conf_xml", `no <${ROOT}> policy document in the reply (root <${doc.name}>)`);
  const lm = header(reply.headers["last-modified"]);
  const lmMs = lm ? Date.parse(lm) : NaN;
  const fetched: FetchedDocument = { root, bytes: Buffer.byteLength(reply.body) };
  if (lm) fetched.lastModified = lm;
  if (Number.isFinite(lmMs) && t.clockOffsetMs !== undefined) fetched.changedAt = lmMs - t.clockOffsetMs;
  return fetched;
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
