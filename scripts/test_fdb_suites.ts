// The suites `npm run test:fdb-sim` and `npm run test:fdb` run on the
// FoundationDB engine: its own, and those that do not depend on an engine.
export const FDB_SUITES = [
  "tests/engine/fdb_engine_test.ts",
  "tests/fdb/",
  "tests/commands/",
  "tests/server/",
  "tests/differential/",
  "tests/integration/",
];

/**
 * What `npm run test:fdb-sim` runs on Deno by default: the suites that
 * exercise the runtime's own FoundationDB binding (Deno.dlopen, where Bun
 * has bun:ffi) and cross-server behaviour. The command, server, differential
 * and integration suites above the engine run the same TypeScript on either
 * runtime; they run over the double on Bun, and on both runtimes over the
 * other engines in `npm test`. Keeps CI within its time budget.
 */
export const FDB_DENO_SUITES = [
  "tests/engine/fdb_engine_test.ts",
  "tests/fdb/",
  // Streams and consumer groups (issue 17 asks for them on both runtimes over the double).
  "tests/commands/streams_test.ts",
  "tests/commands/stream_groups_test.ts",
  // The commands of issue 18 that store data in new ways: field TTLs and their index, restored
  // values, the database map, BITFIELD's partial chunk writes, SORT ... STORE.
  "tests/commands/hash_field_expiry_test.ts",
  "tests/commands/dump_restore_test.ts",
  "tests/commands/databases_test.ts",
  "tests/commands/bitfield_test.ts",
  "tests/commands/sort_test.ts",
];
