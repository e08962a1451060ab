// COMMAND INFO and COMMAND DOCS entries, generated from the command table:
// nothing here is written per command.
import { MapReply, SetReply, SimpleString, type Reply } from "../resp/reply.ts";
import { ACL_CATEGORIES } from "./acl_rules.ts";
import type { ArgumentDoc } from "./arguments.ts";
import type { CommandSpec } from "./spec.ts";

/** ACL categories follow from the group and the flags, as in Redis; listed in Redis's order of categories (acl_rules.ts). */
export function aclCategories(spec: CommandSpec): string[] {
  const categories: string[] = [];
  if (spec.flags.includes("write")) categories.push("@write");
  if (spec.flags.includes("readonly")) categories.push("@read");
  const byGroup: Partial<Record<CommandSpec["group"], string>> = {
    string: "@string", bitmap: "@bitmap", list: "@list", hash: "@hash", set: "@set", "sorted-set": "@sortedset",
    hyperloglog: "@hyperloglog", geo: "@geo",
    generic: "@keyspace", connection: "@connection", transactions: "@transaction", json: "@json", pubsub: "@pubsub", stream: "@stream",
    scripting: "@scripting",
  };
  const groupCategory = byGroup[spec.group];
  if (groupCategory) categories.push(groupCategory);
  if (spec.flags.includes("admin")) categories.push("@admin", "@dangerous");
  categories.push(spec.flags.includes("fast") ? "@fast" : "@slow");
  if (spec.flags.includes("blocking")) categories.push("@blocking");
  const order = (category: string) => ACL_CATEGORIES.indexOf(category.slice(1));
  return categories.sort((a, b) => order(a) - order(b));
}

/** Redis's names of key-spec flags (COMMAND INFO key specs, COMMAND GETKEYSANDFLAGS): Materia declares reads and writes. */
export function keyFlags(spec: CommandSpec): string[] {
  return spec.flags.includes("write") ? ["RW", "update"] : ["RO", "access"];
}

function keySpecs(spec: CommandSpec): Reply[] {
  if (!spec.keys) return [];
  const { first, last, step } = spec.keys;
  return [new MapReply([
    ["flags", new SetReply(keyFlags(spec).map((f) => new SimpleString(f)))],
    ["begin_search", new MapReply([["type", "index"], ["spec", new MapReply([["index", first]])]])],
    ["find_keys", new MapReply([["type", "range"], ["spec", new MapReply([["lastkey", last < 0 ? last : last - first], ["keystep", step], ["limit", 0]])]])],
  ])];
}

/** One entry of COMMAND / COMMAND INFO. `parent` is set for subcommands ("client|id"). */
export function commandInfo(spec: CommandSpec, parent?: CommandSpec): Reply {
  const name = parent ? `${parent.name}|${spec.name}` : spec.name;
  const keys = spec.keys ?? { first: 0, last: 0, step: 0 };
  return [
    name,
    spec.arity,
    new SetReply(spec.flags.map((f) => new SimpleString(f))),
    keys.first,
    keys.last,
    keys.step,
    new SetReply(aclCategories(spec).map((c) => new SimpleString(c))),
    [],
    keySpecs(spec),
    (spec.subcommands ?? []).map((sub) => commandInfo(sub, spec)),
  ];
}

function argumentDoc(doc: ArgumentDoc): Reply {
  const entries: Array<[Reply, Reply]> = [["name", doc.name], ["type", doc.type]];
  if (doc.keySpecIndex !== undefined) entries.push(["key_spec_index", doc.keySpecIndex]);
  if (doc.token !== undefined) entries.push(["token", doc.token]);
  const flags: string[] = [];
  if (doc.optional) flags.push("optional");
  if (doc.multiple) flags.push("multiple");
  if (flags.length > 0) entries.push(["flags", flags.map((f) => new SimpleString(f))]);
  if (doc.arguments) entries.push(["arguments", doc.arguments.map(argumentDoc)]);
  return new MapReply(entries);
}

/** The docMap of COMMAND DOCS for one command. */
export function commandDocs(spec: CommandSpec): Reply {
  const entries: Array<[Reply, Reply]> = [
    ["summary", spec.summary],
    ["since", spec.since],
    ["group", spec.group],
    ["complexity", spec.complexity],
  ];
  if (spec.deprecated) {
    entries.push(
      ["doc_flags", new SetReply([new SimpleString("deprecated")])],
      ["deprecated_since", spec.deprecated.since],
      ["replaced_by", spec.deprecated.replacedBy],
    );
  }
  if (spec.arguments && spec.arguments.length > 0) entries.push(["arguments", spec.arguments.map(argumentDoc)]);
  if (spec.subcommands) {
    entries.push(["subcommands", new MapReply(spec.subcommands.map((sub) => [`${spec.name}|${sub.name}`, commandDocs(sub)] as const))]);
  }
  return new MapReply(entries);
}
