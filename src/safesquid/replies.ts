/**
 * Reading handler replies: a handler's failure is in the payload, not the HTTP status
 * (admin-endpoint.md §1), so every reply is parsed and checked here before it is believed.
 */
import type { NodeSpec } from "../inventory/types.js";
import { badReply, handlerRefused } from "./errors.js";
import { parseXml, XmlError, type XmlElement } from "./xml.js";

/** Parses a reply body; `<error message=.../>` becomes HANDLER_REFUSED, another root BAD_REPLY. */
export function readReply(node: NodeSpec, handler: string, body: string, root: string): XmlElement {
  let doc: XmlElement;
  try {
    doc = parseXml(body);
  } catch (e) {
    const why = e instanceof XmlError ? e.message : String(e);
    throw badReply(node, handler, `not well-formed XML (${why}): ${preview(body)}`);
  }
  if (doc.name === "error") throw handlerRefused(node, handler, doc.attrs.message ?? "no message");
  if (doc.name !== root) throw badReply(node, handler, `<${doc.name}> where <${root}> was expected`);
  return doc;
}

function preview(body: string): string {
  const s = body.replace(/\s+/g, " ").trim();
  return s.length > 60 ? s.slice(0, 60) + "..." : s || "(empty)";
}
