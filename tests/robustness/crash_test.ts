// Crash durability of `materia serve --engine sqlite` (crash_workload.ts
// says what is checked): SIGKILL at random moments under full-speed
// pipelined writers, restart on the same data, every acknowledged write
// checked; then SIGTERM, after which the check is exact. A failure names the
// seed; MATERIA_CRASH_SEED=S replays its timings and workload.
// Longer runs: npm run test:crash -- --cycles 100 (scripts/crash_test.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { runtimeName } from "../support/runtime.ts";
import { runCrashCycles } from "./crash_workload.ts";

const SEED = process.env.MATERIA_CRASH_SEED === undefined ? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0 : Number(process.env.MATERIA_CRASH_SEED);
const KILL_CYCLES = 20;
const TERM_CYCLES = 3;

test(`${KILL_CYCLES} SIGKILLs and ${TERM_CYCLES} SIGTERMs under pipelined writers lose no acknowledged write and apply nothing by halves (seed ${SEED})`, async () => {
  const result = await runCrashCycles({ killCycles: KILL_CYCLES, termCycles: TERM_CYCLES, seed: SEED, writeMs: [100, 500] });
  console.log(
    `crash test [${runtimeName}]: seed ${SEED}, ${result.cycles} cycles in ${(result.elapsedMs / 1000).toFixed(1)} s, ` +
      `${result.acknowledgedWrites} acknowledged writes checked of ${result.commandsSent} commands sent, ${result.keys} keys at the end`,
  );
  assert.ok(result.acknowledgedWrites >= 1_000, `the writers got replies: ${result.acknowledgedWrites} acknowledged writes`);
});
