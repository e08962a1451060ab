// The command table: every command Materia knows, by lower-case name.
import { ACL_COMMANDS } from "./families/acl.ts";
import { BITFIELD_COMMANDS } from "./families/bitfield.ts";
import { BLOCKING_COMMANDS } from "./families/blocking.ts";
import { CONNECTION_COMMANDS } from "./families/connection.ts";
import { DIAGNOSTICS_COMMANDS } from "./families/diagnostics.ts";
import { DUMP_RESTORE_COMMANDS } from "./families/dump_restore.ts";
import { GEO_COMMANDS } from "./families/geo.ts";
import { HASH_COMMANDS } from "./families/hashes.ts";
import { HASH_FIELD_EXPIRY_COMMANDS } from "./families/hash_field_expiry.ts";
import { HYPERLOGLOG_COMMANDS } from "./families/hyperloglog.ts";
import { JSON_COMMANDS } from "./families/json.ts";
import { KEY_COMMANDS } from "./families/keys.ts";
import { LCS_COMMANDS } from "./families/lcs.ts";
import { DATABASE_COMMANDS } from "./families/databases.ts";
import { LIST_COMMANDS } from "./families/lists.ts";
import { PERSISTENCE_COMMANDS } from "./families/persistence.ts";
import { PUBSUB_COMMANDS } from "./families/pubsub.ts";
import { FUNCTION_COMMANDS, SCRIPTING_COMMANDS } from "./families/scripting.ts";
import { SERVER_COMMANDS } from "./families/server.ts";
import { SET_COMMANDS } from "./families/sets.ts";
import { SORTED_SET_COMMANDS } from "./families/sorted_sets.ts";
import { SORT_COMMANDS } from "./families/sort.ts";
import { STREAM_COMMANDS } from "./families/streams.ts";
import { STREAM_GROUP_COMMANDS } from "./families/stream_groups.ts";
import { STRING_COMMANDS } from "./families/strings.ts";
import { TRANSACTION_COMMANDS } from "./families/transactions.ts";
import type { CommandSpec, CommandTable } from "./spec.ts";
import { SentNames } from "./sent_names.ts";

export const ALL_COMMANDS: readonly CommandSpec[] = [
  ...CONNECTION_COMMANDS,
  ...SERVER_COMMANDS,
  ...DIAGNOSTICS_COMMANDS,
  ...KEY_COMMANDS,
  ...DUMP_RESTORE_COMMANDS,
  ...DATABASE_COMMANDS,
  ...STRING_COMMANDS,
  ...BITFIELD_COMMANDS,
  ...LCS_COMMANDS,
  ...SORT_COMMANDS,
  ...LIST_COMMANDS,
  ...HASH_COMMANDS,
  ...HASH_FIELD_EXPIRY_COMMANDS,
  ...SET_COMMANDS,
  ...HYPERLOGLOG_COMMANDS,
  ...SORTED_SET_COMMANDS,
  ...GEO_COMMANDS,
  ...TRANSACTION_COMMANDS,
  ...PUBSUB_COMMANDS,
  ...JSON_COMMANDS,
  ...STREAM_COMMANDS,
  ...STREAM_GROUP_COMMANDS,
  ...BLOCKING_COMMANDS,
  ...SCRIPTING_COMMANDS,
  ...FUNCTION_COMMANDS,
  ...ACL_COMMANDS,
  ...PERSISTENCE_COMMANDS,
];

export function buildCommandTable(specs: readonly CommandSpec[] = ALL_COMMANDS): CommandTable {
  const byName = new Map<string, CommandSpec>();
  for (const spec of specs) {
    if (byName.has(spec.name)) throw new Error(`command '${spec.name}' is declared twice`);
    byName.set(spec.name, spec);
  }
  const bySentName = new SentNames(specs);
  const sorted = [...specs].sort((a, b) => (a.name < b.name ? -1 : 1));
  return {
    lookup: (name) => byName.get(name),
    lookupSent: (name) => bySentName.find(name),
    all: () => sorted,
  };
}
