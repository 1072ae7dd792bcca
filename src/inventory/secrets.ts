/**
 * Passwords, read only when a command needs them: `passwordEnv` from the environment,
 * `passwordFile` from a file (trailing newline trimmed). A missing one is a CREDENTIALS error
 * (exit 2) naming the variable or path, never a value; on an interactive terminal it may be
 * asked for instead (hidden input), never in CI (docs/output.md "Questions").
 */
import { statSync, accessSync, constants } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { FleetError } from "../errors.js";
import { Secret } from "../util/secret.js";
import type { CredentialsSpec, Inventory, InventoryIssue, NodeSpec, PasswordRef, ResolvedCredentials } from "./types.js";

const MAX_PASSWORD_FILE = 64 * 1024;

export interface CredentialOptions {
  env: NodeJS.ProcessEnv;
  /** A question may be asked (CommandContext.interactive). */
  interactive: boolean;
  /**
   * Asks for the password of `label` ("fleet on hq (environment variable X is not set)") with
   * hidden input; without it (or without a terminal) a missing password is an error.
   */
  ask?: (label: string, signal?: AbortSignal) => Promise<string>;
  signal?: AbortSignal;
  /** Shared between nodes so one variable or file is read (or asked) once per run. */
  cache?: Map<string, Secret>;
  /** Where warnings go (a password file others may read); default: stderr. */
  warn?: (message: string) => void;
}

/** Where a password comes from, safe to print: "env SAFESQUID_PASSWORD", "file /etc/fleet/pw". */
export function describeRef(ref: PasswordRef): string {
  return ref.kind === "env" ? `env ${ref.name}` : `file ${ref.path}`;
}

/** Reads the node's password; undefined when the node has no credentials. Throws FleetError("CREDENTIALS"). */
export async function resolveCredentials(node: NodeSpec, opts: CredentialOptions): Promise<ResolvedCredentials | undefined> {
  const c = node.credentials;
  if (!c) return undefined;
  const key = describeRef(c.password);
  const cached = opts.cache?.get(key);
  if (cached) return { username: c.username, password: cached };
  let secret: Secret;
  try {
    secret = await readSecret(c.password, opts);
  } catch (e) {
    if (!(e instanceof FleetError) || !opts.interactive || !opts.ask) throw withNode(e, node);
    const value = await opts.ask(`${c.username} on ${node.name} (${e.message})`, opts.signal);
    if (value === "") throw withNode(e, node);
    secret = new Secret(value, `asked for ${c.username}`, { typed: true });
  }
  opts.cache?.set(key, secret);
  return { username: c.username, password: secret };
}

/** How many passwords a person may type for one password source before the run gives up. */
export const PASSWORD_TRIES = 3;

/**
 * The passwords of one run: each source read (or asked for) once, and a typed password asked
 * again when a node refuses it, on the terminal it was typed on, up to PASSWORD_TRIES in all
 * (one question at a time, however many nodes met the refusal). A refused password read from
 * the environment or a file is not asked again: it is fixed where it is kept.
 */
export class RunPasswords {
  /** Source ("env X", "file P") to its secret. */
  readonly cache = new Map<string, Secret>();
  private readonly tries = new Map<string, number>();
  private readonly asking = new Map<string, Promise<Secret | undefined>>();

  constructor(private readonly opts: Omit<CredentialOptions, "cache">) {}

  /** The node's credentials, read before anything is touched (resolveCredentials). */
  read(node: NodeSpec): Promise<ResolvedCredentials | undefined> {
    return resolveCredentials(node, { ...this.opts, cache: this.cache });
  }

  /** The node refused `rejected`: other credentials to send, or undefined to give up. */
  async again(node: NodeSpec, rejected: ResolvedCredentials): Promise<ResolvedCredentials | undefined> {
    const c = node.credentials;
    const ask = this.opts.ask;
    if (!c || !rejected.password.typed || !this.opts.interactive || !ask) return undefined;
    const key = describeRef(c.password);
    const current = this.cache.get(key);
    if (current && current !== rejected.password) return { username: c.username, password: current };
    let next = this.asking.get(key);
    if (!next) {
      next = (async () => {
        const tried = this.tries.get(key) ?? 1;
        if (tried >= PASSWORD_TRIES) return undefined;
        this.tries.set(key, tried + 1);
        const value = await ask(`${c.username} on ${node.name} (not accepted; try ${tried + 1} of ${PASSWORD_TRIES})`, this.opts.signal);
        if (value === "") return undefined;
        const secret = new Secret(value, `asked for ${c.username}`, { typed: true });
        this.cache.set(key, secret);
        return secret;
      })().finally(() => this.asking.delete(key));
      this.asking.set(key, next);
    }
    const secret = await next;
    return secret ? { username: c.username, password: secret } : undefined;
  }
}

async function readSecret(ref: PasswordRef, opts: CredentialOptions): Promise<Secret> {
  if (ref.kind === "env") {
    const v = opts.env[ref.name];
    if (v === undefined) throw credError(`environment variable ${ref.name} is not set`, `export ${ref.name}=... before running, or set passwordFile instead`);
    if (v === "") throw credError(`environment variable ${ref.name} is empty`, `set ${ref.name} to the password`);
    return new Secret(v, `env ${ref.name}`);
  }
  let text: string;
  try {
    const st = await stat(ref.path);
    if (!st.isFile()) throw credError(`password file ${ref.path} is not a regular file`);
    if (st.size > MAX_PASSWORD_FILE) throw credError(`password file ${ref.path} is too big to be a password (${st.size} bytes)`);
    const problem = permissionProblem(st.mode, ref.path);
    if (problem) (opts.warn ?? ((m: string) => process.stderr.write(`warning: ${m}\n`)))(problem);
    text = await readFile(ref.path, "utf8");
  } catch (e) {
    if (e instanceof FleetError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw credError(`password file ${ref.path} does not exist`, "create it (chmod 600) or fix passwordFile");
    if (code === "EACCES" || code === "EPERM") throw credError(`password file ${ref.path} cannot be read (permission denied)`);
    throw credError(`password file ${ref.path} cannot be read (${code ?? "error"})`);
  }
  // `echo pw > file` leaves a newline; a password never ends with one.
  const value = text.replace(/[\r\n]+$/, "");
  if (value === "") throw credError(`password file ${ref.path} is empty`);
  return new Secret(value, `file ${ref.path}`);
}

/** A warning when group or others may read (or change) a password file; undefined when private. */
export function permissionProblem(mode: number, path: string): string | undefined {
  if (process.platform === "win32" || (mode & 0o077) === 0) return undefined;
  return `password file ${path} can be read by other users (mode ${(mode & 0o777).toString(8).padStart(4, "0")}): run chmod 600 ${path}`;
}

function credError(message: string, hint?: string): FleetError {
  return new FleetError("CREDENTIALS", message, hint === undefined ? {} : { hint });
}

function withNode(e: unknown, node: NodeSpec): unknown {
  if (!(e instanceof FleetError)) return e;
  return new FleetError(e.code, `${node.name}: ${e.message}`, { ...e.opts, node: node.name });
}

/**
 * Checks every password source without reading a secret: missing variables and files are
 * `problems` (errors when a command needs them), loose file modes `warnings`.
 */
export function checkSecrets(
  inventory: Inventory,
  env: NodeJS.ProcessEnv,
  file: string = inventory.file,
): { problems: InventoryIssue[]; warnings: InventoryIssue[] } {
  const problems: InventoryIssue[] = [];
  const warnings: InventoryIssue[] = [];
  const seen = new Set<string>();
  for (const node of [inventory.master, ...inventory.slaves]) {
    const c = node.credentials;
    if (!c || seen.has(describeRef(c.password))) continue;
    seen.add(describeRef(c.password));
    const issue = (message: string, accepted?: string): InventoryIssue => at(file, c, message, accepted);
    if (c.password.kind === "env") {
      const v = env[c.password.name];
      if (v === undefined || v === "") problems.push(issue(`environment variable ${c.password.name} is ${v === undefined ? "not set" : "empty"}`, "set it where the fleet commands run"));
      continue;
    }
    const path = c.password.path;
    try {
      const st = statSync(path);
      accessSync(path, constants.R_OK);
      if (!st.isFile() || st.size === 0) problems.push(issue(`password file ${path} is ${st.isFile() ? "empty" : "not a regular file"}`));
      const loose = permissionProblem(st.mode, path);
      if (loose) warnings.push(issue(loose));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      problems.push(issue(`password file ${path} ${code === "ENOENT" ? "does not exist" : "cannot be read"}`, "a file holding the password, chmod 600"));
    }
  }
  return { problems, warnings };
}

function at(file: string, c: CredentialsSpec, message: string, accepted?: string): InventoryIssue {
  const path = c.field ?? (c.password.kind === "env" ? "passwordEnv" : "passwordFile");
  return { file, line: c.pos?.line ?? 0, column: c.pos?.column ?? 0, path, message, ...(accepted ? { accepted } : {}) };
}
