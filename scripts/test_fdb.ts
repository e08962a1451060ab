// `npm run test:fdb`: the FoundationDB engine's suites against a real
// cluster, where the FoundationDB client is installed:
//   FDB_CLUSTER_FILE=/etc/foundationdb/fdb.cluster npm run test:fdb
// The tests clear the whole user keyspace of the cluster before each engine
// they open, so this refuses a cluster that holds any key unless --wipe is
// given: use a scratch cluster (`fdbserver` on one machine is enough).
// Tests that need the test double's fault injection are skipped.
// Usage: bun scripts/test_fdb.ts [--wipe] [--only bun|deno] [paths...]
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { loadFdbLibrary } from "../src/adapter/bun/fdb_ffi.ts";
import { openFdbEngine } from "../src/engine/fdb/open_engine.ts";
import { FDB_SUITES } from "./test_fdb_suites.ts";

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  options: { only: { type: "string" }, wipe: { type: "boolean" } },
  allowPositionals: true,
});

const clusterFile = process.env.FDB_CLUSTER_FILE;
if (clusterFile === undefined || clusterFile === "") {
  console.error("test:fdb: set FDB_CLUSTER_FILE to the cluster file of a scratch FoundationDB cluster (its data will be deleted)");
  process.exit(2);
}

const engine = await openFdbEngine({ clusterFile, env: process.env, loadLibrary: loadFdbLibrary });
try {
  const first = await engine.read((tx) => tx.getRange({ start: new Uint8Array(0), end: new Uint8Array([0xff]) }, { limit: 1 }));
  if (first.length > 0 && !values.wipe) {
    console.error(`test:fdb: the cluster of ${clusterFile} holds data; the tests delete every key. Use a scratch cluster, or pass --wipe.`);
    process.exit(2);
  }
} finally {
  await engine.close();
}

const env = { ...(process.env as Record<string, string>), MATERIA_TEST_ENGINE: "fdb" };
const args = [new URL("./test.ts", import.meta.url).pathname, ...(values.only ? ["--only", values.only] : []), ...(positionals.length > 0 ? positionals : FDB_SUITES)];
const run = spawnSync(process.execPath, args, { stdio: "inherit", env });
process.exit(run.status ?? 1);
