/**
 * The policy document (handler `conf_xml`, admin-endpoint.md §5) with its times:
 * `Last-Modified` (the document time) and `Date` (the node's clock), both in the node's
 * clock, so their difference is the document's age whatever the skew to this machine.
 */
import { readReply } from "./replies.js";
import type { AdminTransport } from "./transport.js";
import type { XmlElement } from "./xml.js";

export interface FetchedDocument {
  root: XmlElement;
  /** The Last-Modified header, as sent (for If-Modified-Since). */
  lastModified?: string;
  /** Milliseconds from the document time to the node's Date (its age, node clock). */
  ageMs?: number;
  bytes: number;
}

/** Fetches the running document; `"not-modified"` when If-Modified-Since says so. */
export async function fetchDocument(t: AdminTransport, ifModifiedSince?: string): Promise<FetchedDocument | "not-modified"> {
  const reply = await t.call([["handler", "conf_xml"]], { kind: "read", ...(ifModifiedSince ? { ifModifiedSince } : {}) });
  if (reply.status === 304) return "not-modified";
  const root = readReply(t.node, "conf_xml", reply.body, "safesquid");
  const lm = header(reply.headers["last-modified"]);
  const date = header(reply.headers.date);
  const lmMs = lm ? Date.parse(lm) : NaN;
  const dateMs = date ? Date.parse(date) : NaN;
  const doc: FetchedDocument = { root, bytes: Buffer.byteLength(reply.body) };
  if (lm) doc.lastModified = lm;
  if (Number.isFinite(lmMs) && Number.isFinite(dateMs)) doc.ageMs = Math.max(0, dateMs - lmMs);
  return doc;
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
