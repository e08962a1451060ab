// The suites `npm run test:fdb-sim` and `npm run test:fdb` run on the
// FoundationDB engine, under Bun and under Deno (each runtime has its own
// binding: bun:ffi, Deno.dlopen): its own, and those that do not depend on an engine.
export const FDB_SUITES = [
  "tests/engine/fdb_engine_test.ts",
  "tests/fdb/",
  "tests/commands/",
  "tests/server/",
  "tests/differential/",
  "tests/integration/",
];
