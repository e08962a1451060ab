// The protocol fuzzer, bounded in time (fuzz_inputs.ts makes the inputs,
// fuzz_harness.ts runs them against a spawned `materia serve`). A failure
// prints the seed and the last inputs; the same seed replays the same inputs.
// Environment:
//   MATERIA_FUZZ_SECONDS=N  run for N seconds (default 10)
//   MATERIA_FUZZ_SEED=S     replay a seed
// Longer runs: npm run test:fuzz -- --seconds 600 (scripts/fuzz.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { runtimeName } from "../support/runtime.ts";
import { runFuzz } from "./fuzz_harness.ts";

const SECONDS = Number(process.env.MATERIA_FUZZ_SECONDS ?? 10);
const SEED = process.env.MATERIA_FUZZ_SEED === undefined ? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0 : Number(process.env.MATERIA_FUZZ_SEED);
/**
 * Far above what the fuzzer needs (measured: about 200 MiB peak on either
 * runtime, with 5 MiB values and a FLUSHALL every 200 inputs) and far below
 * what a leak or an unbounded buffer reaches within the run.
 */
const MAX_RSS_BYTES = 768 * 2 ** 20;

if (!(SECONDS > 0) || !Number.isInteger(SEED)) throw new Error("MATERIA_FUZZ_SECONDS must be > 0 and MATERIA_FUZZ_SEED an integer");

test(`protocol fuzzer: ${SECONDS} s of hostile input leave the server answering everyone, memory bounded (seed ${SEED})`, async () => {
  const result = await runFuzz({ seed: SEED, seconds: SECONDS, maxRssBytes: MAX_RSS_BYTES });
  console.log(
    `fuzz [${runtimeName}]: seed ${SEED}, ${result.cases} inputs in ${(result.elapsedMs / 1000).toFixed(1)} s, ` +
      `server RSS ${(result.startRssBytes / 2 ** 20).toFixed(0)} MiB at start, peak ${(result.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
  );
  assert.ok(result.cases >= 100, `only ${result.cases} inputs ran in ${SECONDS} s`);
  assert.ok(result.byKind.size >= 8, `every kind of input ran: ${[...result.byKind.keys()].join(", ")}`);
});
