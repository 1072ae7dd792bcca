/**
 * The master's policy document as one run knows it: its section digests, its access rows, and
 * when it last changed (this machine's clock). Re-read cheaply: with If-Modified-Since where the
 * master sends Last-Modified (a 304 costs no document), in full where it does not; without
 * Last-Modified the time of a change is known only when this run sees the content change.
 */
import { FleetError } from "../errors.js";
import type { AccessSection } from "../safesquid/access.js";
import type { SafeSquidClient } from "../safesquid/client.js";
import { readAccess, sectionDigests } from "../safesquid/policy.js";
import type { XmlElement } from "../safesquid/xml.js";

export interface MasterState {
  root: XmlElement;
  digests: Map<string, string>;
  access: AccessSection;
  /**
   * When the document last changed, local clock: from Last-Modified, else the time this run
   * saw its content change; undefined when neither tells (no Last-Modified, no change seen).
   */
  changedAt?: number;
  /** When it was read (local clock). */
  readAt: number;
}

/** The master's document, re-read at most once per `maxAgeMs`. */
export class MasterDocument {
  private state: MasterState | undefined;
  private lastModified: string | undefined;
  private inFlight: Promise<MasterState> | undefined;

  constructor(private readonly client: SafeSquidClient) {}

  /** The document, read again when the copy is older than `maxAgeMs` (0: always ask the master). */
  async current(maxAgeMs = 0): Promise<MasterState> {
    if (this.state && Date.now() - this.state.readAt <= maxAgeMs) return this.state;
    this.inFlight ??= this.read().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async read(): Promise<MasterState> {
    const doc = await this.client.fetchDocument(this.state ? this.lastModified : undefined);
    const now = Date.now();
    if (doc === "not-modified") {
      if (!this.state) throw new FleetError("BAD_REPLY", "the master answered 304 to a plain conf_xml request", { node: this.client.node.name });
      this.state = { ...this.state, readAt: now };
      return this.state;
    }
    this.lastModified = doc.lastModified;
    const digests = sectionDigests(doc.root);
    const same = this.state !== undefined && sameDigests(this.state.digests, digests);
    const changedAt = doc.changedAt ?? (this.state === undefined ? undefined : same ? this.state.changedAt : now);
    this.state = { root: doc.root, digests, access: readAccess(doc.root), readAt: now, ...(changedAt === undefined ? {} : { changedAt }) };
    return this.state;
  }
}

function sameDigests(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
