/** A running lab: its nodes, its inventory, and how to stop it. */
import { rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { EmulatedNode } from "./node.js";
import { inventoryYaml, labInventory, passwordFileFor, writeSecretFile, type LabInventory } from "./lab-inventory.js";
import { wireRequest, type WireReply } from "./wire-client.js";

export interface LabSettings {
  username: string;
  password: string;
  /** Set when the password came from this environment variable. */
  passwordEnv: string | undefined;
  requireLogin: boolean;
}

/** The handle startLab() returns. */
export class Lab {
  private stopped = false;
  private passwordFile: string | undefined;

  constructor(
    readonly master: EmulatedNode,
    readonly slaves: EmulatedNode[],
    readonly port: number,
    readonly stateDir: string,
    private readonly ownStateDir: boolean,
    /** Its user, password (for tests and for the password file; never printed) and login mode. */
    readonly settings: LabSettings,
  ) {}

  /** Every node, master first. */
  get nodes(): EmulatedNode[] {
    return [this.master, ...this.slaves];
  }

  /** The login every node asks for, also from 127.0.0.1; undefined when none asks (the lab is not in require-login mode). */
  get login(): { username: string; password: string } | undefined {
    const s = this.settings;
    return s.requireLogin ? { username: s.username, password: s.password } : undefined;
  }

  /** A node by name ("master", "slave-1"...). */
  node(name: string): EmulatedNode {
    const n = this.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`the lab has no node named ${name}`);
    return n;
  }

  /** The inventory for this lab as a plain object (credentials only in require-login mode). */
  inventory(passwordFile = this.passwordFile): LabInventory {
    const s = this.settings;
    let credentials: { username: string; passwordFile?: string; passwordEnv?: string } | undefined;
    if (s.requireLogin) {
      credentials = s.passwordEnv ? { username: s.username, passwordEnv: s.passwordEnv } : { username: s.username, passwordFile: passwordFile ?? "(written with the inventory)" };
    }
    return labInventory({
      port: this.port,
      master: { name: this.master.name, host: this.master.host },
      slaves: this.slaves.map((n) => ({ name: n.name, host: n.host })),
      ...(credentials ? { credentials } : {}),
    });
  }

  /** Sends one admin request to every node from 127.0.0.1 until each answers (any HTTP reply); returns the replies. */
  async waitUntilAnswering(timeoutMs = 15_000): Promise<Map<string, WireReply>> {
    const deadline = Date.now() + timeoutMs;
    const out = new Map<string, WireReply>();
    const auth = this.login;
    await Promise.all(
      this.nodes.map(async (n) => {
        for (;;) {
          try {
            out.set(n.name, await wireRequest({ host: n.host, port: n.port, params: { handler: "subscription", refresh: "false" }, timeoutMs: 5000, ...(auth ? { auth } : {}) }));
            return;
          } catch (e) {
            if (Date.now() > deadline) throw new Error(`${n.name} (${n.address}) does not answer: ${e instanceof Error ? e.message : String(e)}`);
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      }),
    );
    return out;
  }

  /**
   * Writes the inventory once every node answers an admin request. In require-login mode the
   * password goes to a 0600 file beside it (unless it came from $SAFESQUID_LAB_PASSWORD).
   */
  async writeInventory(file: string): Promise<{ file: string; passwordFile?: string }> {
    await this.waitUntilAnswering();
    const abs = resolve(file);
    if (this.settings.requireLogin && !this.settings.passwordEnv) this.savePassword(passwordFileFor(abs));
    writeFileSync(abs, inventoryYaml(this.inventory(), new Date().toISOString()));
    return { file: abs, ...(this.passwordFile ? { passwordFile: this.passwordFile } : {}) };
  }

  /** Writes the password to a 0600 file (removed again on stop()); the inventory then points at it. */
  savePassword(file: string): string {
    this.passwordFile = resolve(file);
    writeSecretFile(this.passwordFile, this.settings.password);
    return this.passwordFile;
  }

  /** Where the password was read from: its file, or its environment variable; undefined when login is not required. */
  get passwordSource(): string | undefined {
    if (!this.settings.requireLogin) return undefined;
    return this.settings.passwordEnv ? `$${this.settings.passwordEnv}` : this.passwordFile;
  }

  /** Stops every node; removes the password file it wrote and the state folder if the lab made it. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(this.nodes.map((n) => n.stop()));
    // The password file holds a throwaway secret that dies with the lab.
    if (this.passwordFile) rmSync(this.passwordFile, { force: true });
    if (this.ownStateDir) rmSync(this.stateDir, { recursive: true, force: true });
  }
}
