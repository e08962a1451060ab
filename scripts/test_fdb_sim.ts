// `npm run test:fdb-sim`: builds the FoundationDB test double
// (tests/fdb-sim/build/libfdb_c.so), then runs the engine conformance suite
// and the command suites on the FDB engine over it, under Bun and Deno, with
// faults injected in the background (every kind, commit_unknown_result too),
// and ends with scripts/test.ts's line `N passed, M failed`.
// Usage: bun scripts/test_fdb_sim.ts [--only bun|deno] [--no-faults] [paths...]
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { FDB_SUITES } from "./test_fdb_suites.ts";

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  options: { only: { type: "string" }, "no-faults": { type: "boolean" } },
  allowPositionals: true,
});

const root = new URL("..", import.meta.url).pathname;


const build = spawnSync("sh", [`${root}tests/fdb-sim/build.sh`], { stdio: "inherit", cwd: root });
if (build.status !== 0) {
  console.error("test:fdb-sim: building the test double failed (npm run build:fdb-sim)");
  console.log("0 passed, 1 failed");
  process.exit(1);
}

const simDir = `${root}tests/fdb-sim/build`;
const env: Record<string, string> = {
  ...(process.env as Record<string, string>),
  MATERIA_TEST_ENGINE: "fdb",
  // libfdb_c.so by name resolves to the double, for spawned servers too.
  LD_LIBRARY_PATH: [simDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(":"),
};
// The real-cluster variables would point the tests elsewhere.
delete env.FDB_CLUSTER_FILE;
delete env.FDB_LIBRARY_PATH;
if (!values["no-faults"]) {
  // Background faults for every transaction of the run; tests that count exactly set their own and restore these.
  env.FDB_SIM_SEED ??= "20260101";
  env.FDB_SIM_FAULT_RATE ??= "0.02";
  env.FDB_SIM_FAULTS ??= "not_committed,commit_unknown_result_applied,commit_unknown_result_not_applied,transaction_too_old";
}

const args = [`${root}scripts/test.ts`, ...(values.only ? ["--only", values.only] : []), ...(positionals.length > 0 ? positionals : FDB_SUITES)];
console.log(
  `test:fdb-sim: MATERIA_TEST_ENGINE=fdb LD_LIBRARY_PATH=${simDir}` +
    (values["no-faults"] ? "" : ` FDB_SIM_FAULT_RATE=${env.FDB_SIM_FAULT_RATE} FDB_SIM_FAULTS=${env.FDB_SIM_FAULTS}`),
);
const run = spawnSync(process.execPath, args, { stdio: "inherit", cwd: root, env });
process.exit(run.status ?? 1);
