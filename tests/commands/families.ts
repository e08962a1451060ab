// The command families as src/commands/families/ declares them: one module per
// family, and tests/commands/<family>_test.ts holds each family's tests. Read
// from the modules' exports (every exported array of command specs), so a new
// family or command needs no list here.
import { readdirSync } from "node:fs";
import type { CommandSpec } from "../../src/commands/spec.ts";
import { ALL_COMMANDS } from "../../src/commands/table.ts";

export interface FamilyCommand {
  /** As a client sends it and as tests name it: "HSET", "CLIENT SETNAME", "JSON.SET". */
  readonly name: string;
  /** Lower-case, subcommands after a bar, as COMMAND INFO names them: "hset", "client|setname". */
  readonly fullName: string;
  /** The words a client sends: ["CLIENT", "SETNAME"]. */
  readonly words: readonly string[];
  readonly spec: CommandSpec;
  /** A container command (CLIENT, OBJECT) that does nothing without a subcommand: its subcommands stand for it. */
  readonly containerOnly: boolean;
}

export interface Family {
  /** The module's name: "hashes" for src/commands/families/hashes.ts. */
  readonly name: string;
  /** Its top-level commands, in declaration order. */
  readonly specs: readonly CommandSpec[];
  /** Its commands and their subcommands. */
  readonly commands: readonly FamilyCommand[];
}

const FAMILIES_DIR = new URL("../../src/commands/families/", import.meta.url);

function isSpec(value: unknown): value is CommandSpec {
  return typeof value === "object" && value !== null && typeof (value as CommandSpec).name === "string" && typeof (value as CommandSpec).arity === "number";
}

function exportedSpecs(module: Record<string, unknown>): CommandSpec[] {
  const found = new Set<CommandSpec>();
  for (const value of Object.values(module)) {
    if (Array.isArray(value) && value.length > 0 && value.every(isSpec)) for (const spec of value) found.add(spec);
  }
  return [...found];
}

/** Every command of a top-level spec: itself, then its subcommands. */
export function commandsOf(spec: CommandSpec): FamilyCommand[] {
  const subs = spec.subcommands ?? [];
  const own: FamilyCommand = {
    name: spec.name.toUpperCase(),
    fullName: spec.name,
    words: [spec.name.toUpperCase()],
    spec,
    // COMMAND alone lists every command (arity -1); CLIENT alone is an arity error.
    containerOnly: subs.length > 0 && spec.arity !== -1,
  };
  return [own, ...subs.map((sub) => ({
    name: `${spec.name} ${sub.name}`.toUpperCase(),
    fullName: `${spec.name}|${sub.name}`,
    words: [spec.name.toUpperCase(), sub.name.toUpperCase()],
    spec: sub,
    containerOnly: false,
  }))];
}

async function loadFamilies(): Promise<Family[]> {
  const names = readdirSync(FAMILIES_DIR).filter((file) => file.endsWith(".ts")).map((file) => file.slice(0, -3)).sort();
  const exported = new Map<string, CommandSpec[]>();
  for (const name of names) exported.set(name, exportedSpecs(await import(new URL(`${name}.ts`, FAMILIES_DIR).href)));
  // A module may re-export another's commands (server.ts spreads cluster.ts's): a command belongs to
  // the family that exports the fewest commands among those exporting it, the module that declares it.
  const owner = new Map<CommandSpec, string>();
  for (const spec of ALL_COMMANDS) {
    const holders = names.filter((name) => exported.get(name)!.includes(spec));
    holders.sort((a, b) => exported.get(a)!.length - exported.get(b)!.length);
    if (holders[0] !== undefined) owner.set(spec, holders[0]);
  }
  return names.map((name) => {
    const specs = exported.get(name)!.filter((spec) => owner.get(spec) === name);
    return { name, specs, commands: specs.flatMap(commandsOf) };
  });
}

export const FAMILIES: readonly Family[] = await loadFamilies();

export function family(name: string): Family {
  const found = FAMILIES.find((f) => f.name === name);
  if (!found) throw new Error(`no command family ${name} in src/commands/families/`);
  return found;
}
