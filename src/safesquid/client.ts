/**
 * The admin client of one node: every handler the fleet commands use, over one transport
 * (one keep-alive agent). The only door to the wire format for src/fleet/.
 */
import type { Endpoint } from "./endpoint.js";
import type { RowValues } from "./access.js";
import { addRow, deleteRow, editRow, shiftRow, type ShiftDirection, type Subsection } from "./configuration.js";
import { fetchDocument, type FetchedDocument } from "./document.js";
import { readSubscription, type Subscription } from "./licence.js";
import { readLog, type LogRead, type ReadLogOptions } from "./log.js";
import { readParams, writeParams, type StartupParam } from "./params.js";
import { cloudBackup, restart, save } from "./service.js";
import { AdminTransport, type TransportOptions } from "./transport.js";

export class SafeSquidClient {
  readonly transport: AdminTransport;
  constructor(
    readonly node: Endpoint,
    opts: TransportOptions = {},
  ) {
    this.transport = new AdminTransport(node, opts);
  }
  /** Startup parameters, in the node's order. */
  readParams(): Promise<StartupParam[]> {
    return readParams(this.transport);
  }
  /** Writes the whole parameter list back. */
  writeParams(params: readonly StartupParam[]): Promise<void> {
    return writeParams(this.transport, params);
  }
  /** The running policy document (or "not-modified"). */
  fetchDocument(ifModifiedSince?: string): Promise<FetchedDocument | "not-modified"> {
    return fetchDocument(this.transport, ifModifiedSince);
  }
  addRow(sub: Subsection, values: RowValues): Promise<void> {
    return addRow(this.transport, sub, values);
  }
  editRow(sub: Subsection, id: string, values: RowValues): Promise<void> {
    return editRow(this.transport, sub, id, values);
  }
  deleteRow(sub: Subsection, id: string): Promise<void> {
    return deleteRow(this.transport, sub, id);
  }
  shiftRow(sub: Subsection, id: string, direction: ShiftDirection): Promise<void> {
    return shiftRow(this.transport, sub, id, direction);
  }
  save(): Promise<void> {
    return save(this.transport);
  }
  restart(): Promise<void> {
    return restart(this.transport);
  }
  cloudBackup(): Promise<string> {
    return cloudBackup(this.transport);
  }
  subscription(): Promise<Subscription> {
    return readSubscription(this.transport);
  }
  /** Reads the native log stream for a bounded time. */
  readLog(o: ReadLogOptions): Promise<LogRead> {
    return readLog(this.transport, o);
  }
  close(): void {
    this.transport.close();
  }
}
