/**
 * Options declared once (docs/architecture.md "Adding a command"): every option a command has
 * comes from its one declaration (src/commands/options.ts), no name is declared twice, every
 * declared option is in the command's --help unless it is declined, and a command's flags type
 * is the one its declaration gives. The type-level half is checked by `tsc -p test` (npm test
 * runs it first): the `@ts-expect-error` lines fail the compile when what they show compiles.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Command, Option } from "commander";
import { registerCommands } from "../../src/commands/index.js";
import type { CommandContext } from "../../src/commands/common.js";
import { declaredOptions, defineCommand, option, optionList, type FlagsOf, type Same } from "../../src/commands/options.js";
import type { FleetFlags, FleetFormat } from "../../src/commands/fleet-options.js";
import type { VerifyFlags } from "../../src/commands/verify.js";
import type { Shard } from "../../src/fleet/shard.js";

/** Compiles only when T is `true`. */
function typeCheck<T extends true>(): T | undefined {
  return undefined;
}

/** Every command of the program (groups such as `inventory` included), with its path. */
function commands(): [string, Command][] {
  const program = new Command("safesquid-fleet");
  registerCommands(program);
  const out: [string, Command][] = [];
  const walk = (c: Command, path: string): void => {
    for (const s of c.commands) {
      const p = path ? `${path} ${s.name()}` : s.name();
      out.push([p, s]);
      walk(s, p);
    }
  };
  walk(program, "");
  return out;
}

test("every option a command has comes from its declaration, in the declared order", () => {
  for (const [path, cmd] of commands()) {
    const expected = declaredOptions(cmd).flatMap((o) => o.toCommander().map((c) => c.flags));
    assert.deepEqual(
      cmd.options.map((o) => o.flags),
      expected,
      `${path}: its options are exactly those declared for it`,
    );
  }
});

test("no command declares a name or a flag twice", () => {
  for (const [path, cmd] of commands()) {
    const names = declaredOptions(cmd).map((o) => new Option(o.flags).attributeName());
    assert.deepEqual(names, [...new Set(names)], `${path}: a name declared twice`);
    const flags = cmd.options.flatMap((o) => [o.short, o.long]).filter((f): f is string => f !== undefined);
    assert.deepEqual(flags, [...new Set(flags)], `${path}: a flag declared twice`);
  }
});

test("every declared option is in the command's --help, unless it is declined (then it is not)", () => {
  let declined = 0;
  for (const [path, cmd] of commands()) {
    const help = cmd.helpInformation();
    const listed = (flags: string): boolean => help.split("\n").some((line) => line.trimStart().startsWith(`${flags} `) || line.trim() === flags);
    for (const o of declaredOptions(cmd)) {
      const all = o.toCommander().map((c) => c.flags);
      if (o.refusal) {
        declined++;
        assert.ok(!help.includes(o.flags.replace(/ .*/, "")), `${path}: declined ${o.flags} is not in --help`);
        assert.ok(o.refusal.reason.length > 0, `${path}: declined ${o.flags} says why`);
      } else {
        for (const f of all) assert.ok(listed(f), `${path}: ${f} is in --help`);
      }
    }
  }
  // allow declines --shard and --concurrency, verify --yes, undo / restart / detach / promote --shard.
  assert.equal(declined, 7);
});

test("the flags type is read off the declaration", () => {
  const list = optionList(
    option("-i, --inventory <file>", "a value"),
    option("--wait <duration>", "a parsed value", (v: string) => Number(v)),
    option("--watch [interval]", "an optional value", (v: string) => Number(v)),
    option("--summary", "a switch"),
    option("--no-restart", "a negated switch"),
    option("--backup-to-cloud", "both ways").orNo("not"),
    option("--limit <names>", "repeatable", (v: string, prev: string[] = []) => [...prev, v]),
    option("--restart-timeout <duration>", "with a default", (v: string) => Number(v)).default(1, "1ms"),
  );
  type Expected = {
    restart: boolean;
    restartTimeout: number;
    inventory?: string;
    wait?: number;
    watch?: number | true;
    summary?: true;
    backupToCloud?: boolean;
    limit?: string[];
  };
  typeCheck<Same<FlagsOf<typeof list>, Expected>>();
  // The real commands: verify's own options and the shared ones.
  typeCheck<Same<VerifyFlags["watch"], number | true | undefined>>();
  typeCheck<Same<VerifyFlags["diff"], string | true | undefined>>();
  typeCheck<Same<VerifyFlags["output"], FleetFormat>>();
  typeCheck<Same<FleetFlags["shard"], Shard | undefined>>();
  typeCheck<Same<FleetFlags["lockTimeout"], number | undefined>>();
  // A name declared twice does not compile.
  // @ts-expect-error -- --wait twice
  optionList(option("--wait <duration>", "one"), option("--wait <duration>", "two"));
  // An action whose flags type differs from the declaration does not compile, even by one option fewer.
  const program = new Command();
  const options = optionList(option("--wait <d>", "", Number), option("--summary", ""));
  defineCommand(program, { name: "a", description: "", options }, async (_ctx: CommandContext, _flags: FlagsOf<typeof options>) => 0);
  // @ts-expect-error -- --summary missing from a type written by hand
  defineCommand(program, { name: "b", description: "", options }, async (_ctx: CommandContext, _flags: { wait?: number }) => 0);
  // @ts-expect-error -- --wait of the wrong type
  defineCommand(program, { name: "c", description: "", options }, async (_ctx: CommandContext, _flags: { wait?: string; summary?: true }) => 0);
  assert.deepEqual(
    program.commands.map((c) => c.name()),
    ["a", "b", "c"],
  );
});
