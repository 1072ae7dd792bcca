/**
 * What the request pipeline and the handlers see of a node. EmulatedNode implements it;
 * keeping it an interface keeps each handler file small and testable on its own.
 */
import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import type { CapturedRequest } from "./capture.js";
import type { NodeClock } from "./clock.js";
import type { DialectRules } from "./dialect.js";
import type { Faults } from "./faults.js";
import type { NativeLog } from "./native-log.js";
import type { ParamLine } from "./params.js";
import type { PolicyStore } from "./policy-store.js";
import type { StateFolder } from "./state-folder.js";

/** The licence a node reports (docs/protocol.md "Licence"). */
export interface Subscription {
  activationKeyName: string;
  serviceId: string;
  version: string;
}

export interface NodeCore {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly build: string;
  readonly edition: string;
  readonly subscription: Subscription;
  readonly clock: NodeClock;
  readonly log: NativeLog;
  readonly faults: Faults;
  readonly folder: StateFolder;
  readonly policy: PolicyStore;
  /** The dialect's choices on every [chosen] point (docs/emulator.md "Dialects"). */
  readonly rules: DialectRules;
  /** Lines of backlog `handler=log` sends first. */
  readonly logBacklogLines: number;
  /** Called with every admin request as it arrived (request capture). */
  captureRequest(r: CapturedRequest): void;
  /** The startup parameters as the files say now (defaults merged with startup.ini). */
  fileParams(): ParamLine[];
  /** The name in X-SafeSquid-Instance. */
  instanceName(): string;
  /** Checks a login against the node's own user table. */
  checkLogin(username: string, password: string): boolean;
  /** Starts a restart now (the restart handler calls it once its reply is flushed). */
  requestRestart(): void;
}

/** Who sent a request, as the access gate sees it. */
export interface ClientInfo {
  /** The client address (X-Forwarded-For applied), no ::ffff: prefix. */
  ip: string;
  /** The listen address:port the connection came in on. */
  local: string;
  username?: string;
  password?: string;
}

/** One admin request, parsed. */
export interface AdminCall {
  params: Map<string, string>;
  headers: IncomingHttpHeaders;
  client: ClientInfo;
}

/** A complete reply. */
export interface Reply {
  status?: number;
  body: string;
  /** Default text/xml. */
  contentType?: string;
  headers?: Record<string, string>;
  /** Close the connection without any reply (afterFlush still runs). */
  hangUp?: boolean;
  /** Runs once the reply has been handed to the socket (a restart waits for it). */
  afterFlush?: () => void;
}

/** A reply that streams (handler=log): the handler writes and ends it itself. */
export interface StreamReply {
  stream: (res: ServerResponse) => void;
}

export type Handler = (core: NodeCore, call: AdminCall) => Reply | StreamReply;
