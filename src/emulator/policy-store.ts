/**
 * The node's in-memory policy document (docs/protocol.md "The policy document"): its document time (for
 * Last-Modified / If-Modified-Since), the global id counter, and caches of its text and of
 * its access section (the gate reads it on every request).
 */
import type { AccessSection } from "../safesquid/access.js";
import { formatPolicy, maxId, parsePolicy, readAccess, sections } from "../safesquid/policy.js";
import { elements, type XmlElement } from "../safesquid/xml.js";
import type { NodeClock } from "./clock.js";

/**
 * Gives every entry whose id is already taken a new id above every other one, keeping the
 * first holder. `first` names sections whose ids are kept in preference (a slave keeps the
 * master's ids). Returns how many entries were renumbered.
 */
export function dedupeIds(root: XmlElement, first: ReadonlySet<string> = new Set()): number {
  let next = maxId(root) + 1;
  const taken = new Set<string>();
  const ordered = [...sections(root).filter((s) => first.has(s.name)), ...sections(root).filter((s) => !first.has(s.name))];
  let changed = 0;
  for (const s of ordered) {
    for (const e of elements(s)) {
      const id = e.attrs.id;
      if (id === undefined) continue;
      if (taken.has(id)) {
        e.attrs.id = String(next++);
        changed++;
      }
      taken.add(e.attrs.id!);
    }
  }
  return changed;
}

/** Gives every entry a new id, in document order, starting at `start` ([chosen] ids are not stable across restarts). */
export function renumberAll(root: XmlElement, start: number): void {
  let next = start;
  for (const s of sections(root)) for (const e of elements(s)) if (e.attrs.id !== undefined) e.attrs.id = String(next++);
}

/** The running document of one node. */
export class PolicyStore {
  private root: XmlElement = { name: "safesquid", attrs: {}, children: [] };
  private nextIdValue = 1;
  private timeMs = 0;
  private textCache: string | undefined;
  private accessCache: AccessSection | undefined;

  constructor(private readonly clock: NodeClock) {}

  /**
   * Replaces the document with a parsed text (throws XmlError / PolicyShapeError). Duplicate
   * ids are renumbered at load: that is how a document with duplicate ids (the vendor's
   * demo-setup) becomes usable; with `renumber`, every id is given anew.
   */
  load(text: string, opts: { renumber?: boolean } = {}): { renumbered: number } {
    const root = parsePolicy(text);
    let renumbered = 0;
    if (opts.renumber) renumberAll(root, this.nextIdValue + 1);
    else renumbered = dedupeIds(root);
    this.replace(root);
    return { renumbered };
  }

  /** Installs a new document tree (already checked) and bumps the time. */
  replace(root: XmlElement): void {
    this.root = root;
    this.nextIdValue = Math.max(this.nextIdValue, maxId(root) + 1);
    this.touch();
  }

  /** Gives every entry a new id above every id used so far ([chosen]: the alt dialect does it at each save). */
  renumber(): void {
    renumberAll(this.root, this.nextIdValue);
    this.replace(this.root);
  }

  /** The live tree: callers that change it must call touch(). */
  get tree(): XmlElement {
    return this.root;
  }

  /**
   * Marks a change: the new document time is max(now rounded up to the second, previous + 1 s),
   * so times strictly increase in whole seconds and a change in the same second as a fetch is
   * never hidden by a second-resolution If-Modified-Since (docs/protocol.md "The policy document").
   */
  touch(): void {
    const now = Math.ceil(this.clock.now() / 1000) * 1000;
    this.timeMs = Math.max(now, this.timeMs + 1000);
    this.textCache = undefined;
    this.accessCache = undefined;
  }

  /** The document time (ms, whole seconds, node clock). */
  get time(): number {
    return this.timeMs;
  }

  /** A fresh id from the global counter, unique across the document. */
  allocateId(): string {
    return String(this.nextIdValue++);
  }

  /** The document as config.xml lays it out. */
  text(): string {
    return (this.textCache ??= formatPolicy(this.root));
  }

  /** The access section as the gate reads it. */
  access(): AccessSection {
    return (this.accessCache ??= readAccess(this.root));
  }
}
