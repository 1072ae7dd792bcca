/**
 * `safesquid-fleet completion bash|zsh`: the script loads in a real bash (and zsh, where it is
 * installed) and completes commands, subcommands, options, option values (formats, files)
 * and slave names from the inventory on the command line, else from the default inventory.
 * The shells call the BUILT tool (`npm run build` first) through a `safesquid-fleet` on PATH.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, runCli } from "../helpers/cli.js";
import { needTool } from "../helpers/required.js";
import { tempDir } from "./helpers.js";

const HAVE_ZSH = spawnSync("zsh", ["--version"]).status === 0;

const INVENTORY = "version: 1\nmaster:\n  name: hq\n  host: 192.0.2.10\nslaves:\n  - name: pune-1\n    host: 192.0.2.11\n  - name: pune-2\n    host: 192.0.2.12\n";

/** A folder with the tool on PATH as `safesquid-fleet`, two inventories, and the script for `shell`. */
async function setUp(t: TestContext, shell: "bash" | "zsh"): Promise<{ dir: string; env: NodeJS.ProcessEnv; script: string }> {
  const dir = tempDir(t, "ssf-completion-");
  symlinkSync(BIN, join(dir, "safesquid-fleet"));
  writeFileSync(join(dir, "other.yaml"), INVENTORY.replace(/pune/g, "mumbai"));
  writeFileSync(join(dir, "safesquid-fleet.yaml"), INVENTORY);
  const r = await runCli(["completion", shell]);
  assert.equal(r.code, 0, r.stderr);
  const script = join(dir, `completion.${shell}`);
  writeFileSync(script, r.stdout);
  return { dir, env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, SAFESQUID_FLEET_INVENTORY: "" }, script };
}

test("bash: commands, options, values, files and slave names (from -i, else the default inventory)", async (t) => {
  const { dir, env, script } = await setUp(t, "bash");
  const cases: [string, string][] = [
    ["safesquid-fleet ''", "join-slave allow verify apply undo restart detach promote inventory report lab completion"],
    ["safesquid-fleet restart ''", "pune-1 pune-2"],
    ["safesquid-fleet detach --limit pu", "pune-1 pune-2"],
    ["safesquid-fleet promote ''", "pune-1 pune-2"],
    ["safesquid-fleet undo oth", "other.yaml"],
    ["safesquid-fleet ve", "verify"],
    ["safesquid-fleet inventory ''", "validate init"],
    ["safesquid-fleet lab ''", "control"],
    ["safesquid-fleet verify --ou", "--output --output-file"],
    ["safesquid-fleet verify -o ''", "text json junit prometheus nagios"],
    ["safesquid-fleet allow -o ''", "text json"],
    ["safesquid-fleet completion ''", "bash zsh"],
    ["safesquid-fleet verify ''", "pune-1 pune-2"],
    ["safesquid-fleet verify -i other.yaml --limit ''", "mumbai-1 mumbai-2"],
    ["safesquid-fleet join-slave --inventory=other.yaml mu", "mumbai-1 mumbai-2"],
    ["safesquid-fleet verify -i oth", "other.yaml"],
    ["safesquid-fleet -v verify -o json --wait 5m pune-2 --sum", "--summary"],
  ];
  const body = [
    `source ${JSON.stringify(script)}`,
    `cd ${JSON.stringify(dir)}`,
    't() { eval "COMP_WORDS=($1)"; COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=(); _safesquid_fleet; echo "${COMPREPLY[*]}"; }',
    ...cases.map(([words]) => `t ${JSON.stringify(words)}`),
  ].join("\n");
  const r = spawnSync("bash", ["--norc", "--noprofile", "-c", body], { env, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const got = r.stdout.split("\n");
  cases.forEach(([words, want], i) => assert.equal(got[i], want, words));
  assert.equal(r.stderr, "", "nothing on the user's terminal but the completions");
  assert.equal(spawnSync("bash", ["-n", script]).status, 0);
});

test("bash: no inventory anywhere completes no slave names, and prints no error", async (t) => {
  const { env, script } = await setUp(t, "bash");
  const empty = tempDir(t, "ssf-completion-empty-");
  const r = spawnSync("bash", ["--norc", "-c", `source ${script}; cd ${empty}; COMP_WORDS=(safesquid-fleet verify ''); COMP_CWORD=2; _safesquid_fleet; echo "[\${COMPREPLY[*]}]"`], { env, encoding: "utf8" });
  assert.equal(r.stdout, "[]\n");
  assert.equal(r.stderr, "");
});

test("zsh: the same completions through compadd, _describe and _files", async (t) => {
  if (!needTool(t, "zsh", HAVE_ZSH, "zsh is not installed (apt-get install -y zsh): the bash test covers the shared tables")) return;
  const { dir, env, script } = await setUp(t, "zsh");
  assert.equal(spawnSync("zsh", ["-n", script]).status, 0, "the script parses");
  // Outside a completion widget the builtins do nothing: stand-ins record what would be offered.
  const body = [
    "compdef() { :; }",
    "typeset -ga got",
    'compadd() { [[ $1 == -- ]] && shift; got+=("$@"); }',
    '_describe() { local -a arr; arr=("${(@P)4}"); got+=("${arr[@]%%:*}"); }',
    '_files() { got+=("<files${1:+ $1}>"); }',
    `source ${script}`,
    `cd ${dir}`,
    't() { words=("$@"); CURRENT=${#words}; got=(); _safesquid_fleet; print -r -- "${got[*]}"; }',
    't safesquid-fleet ""',
    't safesquid-fleet verify -o ""',
    't safesquid-fleet verify ""',
    't safesquid-fleet verify -i other.yaml --limit ""',
    't safesquid-fleet verify -i ""',
    't safesquid-fleet lab --state-dir ""',
    't safesquid-fleet promote ""',
  ].join("\n");
  const r = spawnSync("zsh", ["-f", "-c", body], { env, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.split("\n").slice(0, 7), [
    "join-slave allow verify apply undo restart detach promote inventory report lab completion",
    "text json junit prometheus nagios",
    "pune-1 pune-2",
    "mumbai-1 mumbai-2",
    "<files>",
    "<files -/>",
    "pune-1 pune-2",
  ]);
});
