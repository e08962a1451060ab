// Coverage meta-tests over the command table: every command is fully
// declared, and every command (and subcommand) is exercised by some test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ALL_COMMANDS, buildCommandTable } from "../../src/commands/table.ts";
import type { CommandSpec } from "../../src/commands/spec.ts";

const testsDir = new URL("../", import.meta.url).pathname;

function allSpecs(): Array<{ spec: CommandSpec; fullName: string }> {
  return ALL_COMMANDS.flatMap((spec) => [
    { spec, fullName: spec.name },
    ...(spec.subcommands ?? []).map((sub) => ({ spec: sub, fullName: `${spec.name}|${sub.name}` })),
  ]);
}

function testSources(dir: string): string {
  let text = "";
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) text += testSources(path);
    else if (name.endsWith(".ts") && !path.endsWith("commands/table_test.ts")) text += readFileSync(path, "utf8");
  }
  return text;
}

test("every command declares arity, group, summary, since and complexity", () => {
  for (const { spec, fullName } of allSpecs()) {
    assert.notEqual(spec.arity, 0, `${fullName}: arity`);
    assert.ok(spec.summary.length > 10, `${fullName}: summary`);
    assert.match(spec.since, /^\d+\.\d+\.\d+$/, `${fullName}: since`);
    assert.ok(spec.complexity.length > 0, `${fullName}: complexity`);
    assert.equal(spec.name, spec.name.toLowerCase(), `${fullName}: names are lower-case`);
  }
});

test("commands that touch keys declare key positions, and write commands are flagged", () => {
  for (const { spec, fullName } of allSpecs()) {
    if (spec.arguments?.some((a) => a.type === "key")) assert.ok(spec.keys ?? spec.movableKeys, `${fullName}: key arguments without key positions`);
    if (spec.movableKeys) assert.ok(spec.flags.includes("movablekeys"), `${fullName}: movable keys without the movablekeys flag`);
    if (spec.access === "write") assert.ok(spec.flags.includes("write"), `${fullName}: writes without the write flag`);
    if (spec.flags.includes("write")) assert.notEqual(spec.access, "read", `${fullName}: write flag on a read-only transaction`);
  }
});

test("the table refuses a command declared twice", () => {
  assert.throws(() => buildCommandTable([ALL_COMMANDS[0]!, ALL_COMMANDS[0]!]), /declared twice/);
});

test("every command and subcommand is exercised by a test", () => {
  const sources = testSources(testsDir).toUpperCase();
  const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const untested = allSpecs().filter(({ fullName }) => {
    const words = fullName.toUpperCase().split("|").map(escape);
    // A test sends the command as argv, "GET" or ["CLIENT", "SETNAME", ...], or as a command line, "CLIENT SETNAME x".
    // The name must end where the argument ends: "GETEX" does not count for GET.
    const asArgv = new RegExp(`["'\`]${words.join(`["'\`],\\s*["'\`]`)}["'\`]`);
    const asLine = new RegExp(`["'\`]${words.join(" ")}[ "'\`]`);
    return !asArgv.test(sources) && !asLine.test(sources);
  });
  assert.deepEqual(untested.map((u) => u.fullName), []);
});

test("the README's command list matches the command table (run `bun scripts/command_list.ts --write`)", async () => {
  const { readmeWithCommandList } = await import("../../scripts/command_list.ts");
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  assert.equal(readme, readmeWithCommandList(readme));
});

test("behaviour declared on commands, not chosen by their names: the commands carrying each declaration", () => {
  const carrying = (has: (spec: CommandSpec) => unknown): string[] => allSpecs().filter(({ spec }) => has(spec)).map(({ fullName }) => fullName).sort();
  // Redis runs these at once between MULTI and EXEC (multi.c, processCommand); everything else is queued.
  assert.deepEqual(carrying((s) => s.runsInsideMulti), ["discard", "exec", "multi", "quit", "reset", "watch"]);
  assert.deepEqual(carrying((s) => s.endsTransaction), ["exec"]);
  assert.deepEqual(carrying((s) => s.operatorOnly), ["config|resetstat", "config|set"]);
  assert.deepEqual(carrying((s) => s.allowedUnauthenticated), ["ping"]);
  assert.deepEqual(carrying((s) => s.changesCredentials), ["auth", "hello"]);
});
