// Coverage meta-tests over the command table: every command is fully
// declared, and every command (and subcommand) is tested in its family's file.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { ALL_COMMANDS, buildCommandTable } from "../../src/commands/table.ts";
import type { CommandSpec } from "../../src/commands/spec.ts";
import type { Arg, CasesByCommand, DifferentialCase, FamilyCases } from "../differential/case_types.ts";
import { FAMILIES } from "./families.ts";
import { namesCommand, sendsCommand, testCalls } from "./test_calls.ts";

const testsDir = new URL("../", import.meta.url).pathname;

function allSpecs(): Array<{ spec: CommandSpec; fullName: string }> {
  return ALL_COMMANDS.flatMap((spec) => [
    { spec, fullName: spec.name },
    ...(spec.subcommands ?? []).map((sub) => ({ spec: sub, fullName: `${spec.name}|${sub.name}` })),
  ]);
}

function testSourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testSourceFiles(path);
    return name.endsWith("_test.ts") ? [path] : [];
  });
}

/** Whether a case sends the command, in an argv step or in raw bytes (RESP or an inline line). */
function caseSends(script: DifferentialCase, words: readonly string[]): boolean {
  const text = (arg: Arg) => (typeof arg === "string" ? arg : typeof arg === "function" ? "" : String.fromCharCode(...arg.subarray(0, 64)));
  return script.steps.some((step) => {
    let argv: string[];
    if (Array.isArray(step)) argv = (step as readonly Arg[]).map(text);
    else if ("argv" in step) argv = step.argv.map(text);
    else if ("raw" in step) argv = step.raw.startsWith("*") ? step.raw.split("\r\n").filter((_, i) => i % 2 === 0).slice(1) : step.raw.split(/\s+/);
    else return false;
    return words.every((word, i) => argv[i]?.toUpperCase() === word);
  });
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

/**
 * Commands Redis flags readonly that still write, each with why: they run in a
 * write transaction and write only when the caller holds the write right.
 */
const READONLY_WRITERS: Readonly<Record<string, string>> = {
  pfcount: "stores the estimate in the HyperLogLog's cache, as Redis does (docs/COMPATIBILITY.md)",
};

test("commands that touch keys declare key positions, and write commands are flagged", () => {
  for (const { spec, fullName } of allSpecs()) {
    if (spec.arguments?.some((a) => a.type === "key")) assert.ok(spec.keys ?? spec.movableKeys, `${fullName}: key arguments without key positions`);
    if (spec.movableKeys) assert.ok(spec.flags.includes("movablekeys"), `${fullName}: movable keys without the movablekeys flag`);
    if (spec.access === "write" && READONLY_WRITERS[fullName] === undefined && spec.runsCommands !== true) {
      assert.ok(spec.flags.includes("write"), `${fullName}: writes without the write flag`);
    }
    if (spec.flags.includes("write")) assert.notEqual(spec.access, "read", `${fullName}: write flag on a read-only transaction`);
  }
});

test("the table refuses a command declared twice", () => {
  assert.throws(() => buildCommandTable([ALL_COMMANDS[0]!, ALL_COMMANDS[0]!]), /declared twice/);
});

// Each command's tests are in its family's file, tests/commands/<family>_test.ts,
// named by the command's exact name and sending it. A command counts as tested when
// - a differential case of the family (tests/commands/<family>_cases.ts; not a
//   generated error case, not a skipped one) is keyed by its name or names it in
//   its title, and sends it; or
// - a test() or describe() of the family's test file names it in its title, and
//   that call's own code sends it.
// "Names" means the exact name as a whole word: "HSETNX" does not name HSET, and
// "JSON.SET" does not name SET. A container command that does nothing alone
// (CLIENT, OBJECT) is tested through its subcommands.
describe("every command is tested in its family's file, by its exact name", () => {
  test("every command of the table belongs to one family of src/commands/families/", () => {
    const owned = FAMILIES.flatMap((f) => f.specs);
    assert.equal(new Set(owned).size, owned.length, "a command is in two families");
    assert.deepEqual(ALL_COMMANDS.filter((spec) => !owned.includes(spec)).map((spec) => spec.name), []);
  });

  const testFiles = testSourceFiles(testsDir);
  for (const family of FAMILIES) {
    test(`${family.name}: tests/commands/${family.name}_test.ts names and sends each of its commands`, async () => {
      const testFile = join(testsDir, "commands", `${family.name}_test.ts`);
      assert.ok(existsSync(testFile), `tests/commands/${family.name}_test.ts is missing`);
      const source = readFileSync(testFile, "utf8");
      const calls = testCalls(source);

      const casesFile = join(testsDir, "commands", `${family.name}_cases.ts`);
      let hand: CasesByCommand = {};
      if (existsSync(casesFile)) {
        hand = ((await import(new URL(`./${family.name}_cases.ts`, import.meta.url).href)) as FamilyCases).CASES;
        const importers = testFiles.filter((file) => readFileSync(file, "utf8").includes(`/${family.name}_cases.ts"`)).map((file) => relative(testsDir, file));
        assert.deepEqual(importers, [`commands/${family.name}_test.ts`], `${family.name}_cases.ts runs in ${family.name}_test.ts, and only there (each case runs once)`);
        assert.match(source, new RegExp(`differentialSuite\\("${family.name}"`), `${family.name}_test.ts runs its cases with differentialSuite`);
      }
      const commandNames = new Set(family.commands.map((c) => c.name));
      const strayKeys = Object.keys(hand).filter((key) => key !== key.toLowerCase() && !commandNames.has(key));
      assert.deepEqual(strayKeys, [], `upper-case keys of ${family.name}_cases.ts are command names of the family; group other cases under a lower-case key`);

      const untested = family.commands.filter((command) => {
        if (command.containerOnly) return false;
        const byCase = Object.entries(hand).some(([key, cases]) =>
          cases.some((c) => !c.skip && (key === command.name || namesCommand(c.name, command.words)) && caseSends(c, command.words))
        );
        const byTest = calls.some((call) => namesCommand(call.title, command.words) && sendsCommand(call.text, command.words));
        return !byCase && !byTest;
      });
      assert.deepEqual(untested.map((c) => c.name), [], `commands of ${family.name} without a test that names and sends them`);
    });
  }
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
  // CONFIG SET declares who may set what per parameter (config_set.ts): notify-keyspace-events is each tenant's.
  assert.deepEqual(carrying((s) => s.operatorOnly), ["config|resetstat", "shutdown"]);
  assert.deepEqual(carrying((s) => s.allowedUnauthenticated), ["ping"]);
  assert.deepEqual(carrying((s) => s.changesCredentials), ["auth", "hello"]);
  // MONITOR and SLOWLOG show these arguments as "(redacted)" (Redis's redactClientCommandArgument).
  assert.deepEqual(carrying((s) => s.redactedArguments), ["auth", "config|set", "hello"]);
});
