// Differential scripts for the errors of every command, generated from the
// command table so that a new command gets them without anyone writing them:
// - wrong arity: one argument too few, and one too many for a fixed arity;
// - wrong-type keys: a plausible call (built from the command's documented
//   arguments) against a string, a list, a hash and a set;
// - bad numbers: each integer or double argument replaced by a non-number,
//   an out-of-range integer, a fraction, infinities and NaN.
// Each command's scripts run against redis-server and Materia like every
// other case, in its family's test (tests/commands/<family>_test.ts, through
// suite.ts); only the groups Redis 7.0 has without modules take part.
import type { ArgumentDoc } from "../../src/commands/arguments.ts";
import type { CommandSpec } from "../../src/commands/spec.ts";
import type { Arg, CasesByCommand, DifferentialCase, Step } from "./case_types.ts";

/** Groups compared: JSON needs a Redis module; cluster answers differ by design (tests/commands/cluster_cases.ts). */
const GROUPS = new Set(["generic", "string", "bitmap", "list", "hash", "set", "connection", "server", "transactions"]);

/**
 * Commands left out, each with why: their replies differ by nature (time,
 * ids, memory, server state), or they would end or change the connection
 * the script runs on.
 */
const LEFT_OUT: Readonly<Record<string, string>> = {
  quit: "closes the connection",
  reset: "resets the connection (tested in connection_cases.ts)",
  "client|kill": "kills connections (tested in connection_cases.ts)",
  "client|list": "lists ports and ids",
  "client|info": "lists ports and ids",
  "client|id": "an id",
  "client|setinfo": "a Redis 7.2 subcommand (tested in connection_test.ts)",
  "client|no-touch": "a Redis 7.2 subcommand; the reference 7.0.15 does not have it",
  info: "server state",
  time: "the time",
  lolwut: "art differs by version",
  hello: "server version and id (tested with masking in connection_cases.ts)",
  auth: "no password is set on either server",
  "memory|usage": "byte counts differ by design (docs/COMPATIBILITY.md)",
  "object|freq": "needs an LFU policy",
  "object|idletime": "a time",
  "object|encoding": "encodings differ for some sizes (docs/COMPATIBILITY.md)",
  "config|set": "changes the server (tested in server_test.ts and tests/robustness)",
  "config|resetstat": "server state",
  "config|rewrite": "Redis rewrites its config file",
  "config|get": "values differ by design",
  flushall: "tested in server_cases.ts",
  flushdb: "tested in server_cases.ts",
  "command|docs": "documentation texts differ",
  "command|count": "Materia has fewer commands",
  "command|list": "Materia has fewer commands",
  "command|info": "compared field by field in every family's test (suite.ts)",
  "command|getkeys": "tested in server_cases.ts",
  "module|list": "no modules loaded on either side (tested in server_test.ts)",
  multi: "opens a transaction (tested in transactions_cases.ts)",
  exec: "tested in transactions_cases.ts",
  discard: "tested in transactions_cases.ts",
  watch: "tested in transactions_cases.ts",
  unwatch: "tested in transactions_cases.ts",
  select: "changes the database of the script (tested in connection_cases.ts)",
  randomkey: "random",
  keys: "tested in keys_cases.ts",
  scan: "tested in keys_cases.ts",
  waitaof: "a Redis 7.2 command; the reference 7.0.15 does not have it (tested in persistence_test.ts)",
  shutdown: "would stop redis-server (its errors are in persistence_cases.ts)",
  "acl|genpass": "random (its errors are in acl_cases.ts)",
};

interface Named {
  readonly name: string;
  readonly words: readonly string[];
  readonly spec: CommandSpec;
}

function commandsOf(specs: readonly CommandSpec[]): Named[] {
  return specs.flatMap((spec): Named[] => {
    if (!GROUPS.has(spec.group)) return [];
    const subs = (spec.subcommands ?? []).map((sub) => ({ name: `${spec.name}|${sub.name}`, words: [spec.name, sub.name], spec: sub }));
    const own = spec.subcommands && spec.arity !== -1 ? [] : [{ name: spec.name, words: [spec.name], spec }];
    return [...own, ...subs].filter((c) => LEFT_OUT[c.name] === undefined && !(c.words.length === 2 && c.words[1] === "help"));
  });
}

/** Keys of every type, each made fresh before the call that uses it. */
const TYPED_KEYS: ReadonlyArray<{ key: string; make: Arg[] }> = [
  { key: "str", make: ["SET", "str", "12"] },
  { key: "list", make: ["RPUSH", "list", "12"] },
  { key: "hash", make: ["HSET", "hash", "f", "12"] },
  { key: "set", make: ["SADD", "set", "12"] },
];

/** The key of the type a command's family works on, for calls meant to get past the type check. */
const HOME_KEY: Readonly<Record<string, string>> = { string: "str", bitmap: "str", list: "list", hash: "hash", set: "set" };

type Slot = { kind: "key" } | { kind: "number"; type: "integer" | "double" | "unix-time"; value: string } | { kind: "fixed"; value: string };

/** A valid value for a number argument: long enough times that nothing expires while the script runs. */
function plausibleNumber(doc: ArgumentDoc): string {
  return /seconds|milliseconds|time/.test(doc.name) || doc.type === "unix-time" ? "100000000000" : "1";
}

/**
 * A call following the documented syntax: required arguments only, each once,
 * plus `extra` (an optional argument, or one choice of an optional one-of).
 */
function callWith(docs: readonly ArgumentDoc[], extra?: ArgumentDoc): Slot[] {
  const slots: Slot[] = [];
  const visit = (doc: ArgumentDoc): void => {
    if (doc.optional && doc !== extra) return;
    if (doc.token !== undefined) slots.push({ kind: "fixed", value: doc.token });
    switch (doc.type) {
      case "pure-token":
        return;
      case "oneof":
        if (doc.arguments?.[0]) visit(doc.arguments[0]);
        return;
      case "block":
        for (const part of doc.arguments ?? []) visit(part);
        return;
      case "key":
        slots.push({ kind: "key" });
        return;
      case "integer":
      case "double":
      case "unix-time":
        // A SCAN cursor Materia did not issue is an error by design (docs/COMPATIBILITY.md): only 0 is compared.
        slots.push(doc.name === "cursor" ? { kind: "fixed", value: "0" } : { kind: "number", type: doc.type, value: plausibleNumber(doc) });
        return;
      case "pattern":
        slots.push({ kind: "fixed", value: "*" });
        return;
      default:
        slots.push({ kind: "fixed", value: "12" });
    }
  };
  for (const doc of docs) {
    if (extra !== undefined && doc.optional && doc.type === "oneof" && doc.arguments?.includes(extra)) visit(extra);
    else visit(doc);
  }
  return slots;
}

/** The minimal call, then one call per optional argument (per choice, for an optional one-of) that holds a number. */
function calls(docs: readonly ArgumentDoc[]): Slot[][] {
  const holdsNumber = (doc: ArgumentDoc): boolean =>
    ["integer", "double", "unix-time"].includes(doc.type) || (doc.arguments ?? []).some(holdsNumber);
  const extras = docs.filter((d) => d.optional).flatMap((d) => (d.type === "oneof" ? d.arguments ?? [] : [d])).filter(holdsNumber);
  return [callWith(docs), ...extras.map((extra) => callWith(docs, extra))];
}

/** The call with its keys filled in; `bad` replaces one number. */
function fill(slots: readonly Slot[], key: string, bad?: { index: number; value: string }): string[] {
  return slots.map((slot, i) => {
    if (bad && bad.index === i) return bad.value;
    return slot.kind === "key" ? key : slot.value;
  });
}

const BAD_INTEGERS = ["abc", "", "1.5", "9223372036854775808", "-9223372036854775809", "0x10", " 1"];
const BAD_DOUBLES = ["abc", "", "inf", "-inf", "nan", "1e400", "1,5"];

function arityCase(command: Named): DifferentialCase {
  const arity = command.spec.arity;
  const needed = Math.abs(arity);
  const steps: Step[] = [];
  const filler = (n: number): string[] => Array.from({ length: Math.max(0, n) }, (_, i) => `a${i}`);
  if (needed > command.words.length) steps.push([...command.words, ...filler(needed - command.words.length - 1)]);
  if (arity > 0) steps.push([...command.words, ...filler(needed - command.words.length + 1)]);
  return { name: `${command.name.toUpperCase()}: wrong number of arguments`, steps };
}

function wrongTypeCase(command: Named, slots: readonly Slot[]): DifferentialCase {
  const steps: Step[] = [];
  for (const typed of TYPED_KEYS) {
    steps.push(["DEL", typed.key], typed.make, [...command.words, ...fill(slots, typed.key)], ["TYPE", typed.key]);
  }
  return { name: `${command.name.toUpperCase()}: against a string, a list, a hash and a set`, steps };
}

function badNumberCase(command: Named, variants: readonly Slot[][]): DifferentialCase | undefined {
  const key = HOME_KEY[command.spec.group] ?? "str";
  const make = TYPED_KEYS.find((t) => t.key === key)!.make;
  const steps: Step[] = [];
  const seen = new Set<string>();
  for (const slots of variants) {
    slots.forEach((slot, index) => {
      if (slot.kind !== "number") return;
      for (const value of slot.type === "double" ? BAD_DOUBLES : BAD_INTEGERS) {
        const argv = [...command.words, ...fill(slots, key, { index, value })];
        if (seen.has(argv.join("\0"))) continue;
        seen.add(argv.join("\0"));
        steps.push(["DEL", key], make, argv);
      }
    });
  }
  return steps.length === 0 ? undefined : { name: `${command.name.toUpperCase()}: numbers that are not numbers or out of range`, steps };
}

function casesOf(command: Named): DifferentialCase[] {
  const cases = [arityCase(command)].filter((c) => c.steps.length > 0);
  const variants = calls(command.spec.arguments ?? []);
  const slots = variants[0]!;
  if (slots.some((s) => s.kind === "key")) cases.push(wrongTypeCase(command, slots));
  const numbers = badNumberCase(command, variants);
  if (numbers) cases.push(numbers);
  return cases;
}

/** The generated error cases of these commands, by the command's name as sent ("HSET", "CLIENT SETNAME"). */
export function errorCases(specs: readonly CommandSpec[]): CasesByCommand {
  const byCommand: Record<string, readonly DifferentialCase[]> = {};
  for (const command of commandsOf(specs)) {
    const cases = casesOf(command);
    if (cases.length > 0) byCommand[command.words.join(" ").toUpperCase()] = cases;
  }
  return byCommand;
}
