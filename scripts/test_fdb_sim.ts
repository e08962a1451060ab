// `npm run test:fdb-sim`: builds the FoundationDB test double
// (tests/fdb-sim/build/libfdb_c.so), then runs the engine conformance suite
// and the command suites on the FDB engine over it, with faults injected in
// the background (every kind, commit_unknown_result too): every suite under
// Bun and under Deno, and ends with one line `N passed, M failed` for both. The two runtimes run at
// the same time, Bun's output first (as scripts/test.ts does); `--serial`
// runs one after the other.
// Usage: bun scripts/test_fdb_sim.ts [--only bun|deno] [--no-faults] [--serial] [paths...]
import { spawn, spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { FDB_SUITES } from "./test_fdb_suites.ts";
import { OutputTurn } from "./support/output_turn.ts";

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  options: { only: { type: "string" }, "no-faults": { type: "boolean" }, serial: { type: "boolean" } },
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

/** Runs scripts/test.ts on one runtime, its output passed through as it comes; its `N passed, M failed` counts. */
function runOn(runtime: "bun" | "deno", paths: readonly string[], turn: OutputTurn): Promise<{ passed: number; failed: number }> {
  return new Promise((resolve) => {
    // What test.ts passes on from its runner's stderr waits for the turn too.
    const child = spawn(process.execPath, [`${root}scripts/test.ts`, "--only", runtime, ...paths], { stdio: ["ignore", "pipe", "pipe"], cwd: root, env });
    child.stderr.on("data", (chunk: Buffer) => turn.write(process.stderr, chunk));
    let tail = "";
    child.stdout.on("data", (chunk: Buffer) => {
      turn.write(process.stdout, chunk);
      tail = (tail + chunk.toString()).slice(-4096);
    });
    child.on("close", (code) => {
      const counted = /(\d+) passed, (\d+) failed\s*$/.exec(tail);
      if (counted === null) return resolve({ passed: 0, failed: 1 });
      const failed = Number(counted[2]);
      resolve({ passed: Number(counted[1]), failed: failed + (code !== 0 && failed === 0 ? 1 : 0) });
    });
  });
}

const explicit = positionals.length > 0 ? positionals : undefined;
const runtimes = (["bun", "deno"] as const).filter((runtime) => values.only === undefined || values.only === runtime);
const start = (runtime: "bun" | "deno", turn: OutputTurn) => runOn(runtime, explicit ?? FDB_SUITES, turn);
const outcomes: Array<{ passed: number; failed: number }> = [];
if (values.serial) {
  for (const runtime of runtimes) outcomes.push(await start(runtime, new OutputTurn(true)));
} else {
  const turns = runtimes.map((_, i) => new OutputTurn(i === 0));
  const started = runtimes.map((runtime, i) => start(runtime, turns[i]!));
  for (let i = 0; i < runtimes.length; i++) {
    turns[i]!.goLive();
    outcomes.push(await started[i]!);
  }
}
const totals = { passed: 0, failed: 0 };
for (const outcome of outcomes) {
  totals.passed += outcome.passed;
  totals.failed += outcome.failed;
}
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed === 0 ? 0 : 1);
