// `npm run test:crash -- --cycles 100`: the crash test for longer than the
// suite runs it (tests/robustness/crash_test.ts runs the same cycles).
// Usage: bun scripts/crash_test.ts [--cycles N] [--term-cycles N] [--seed S] [--writers N]
//        deno run -A scripts/crash_test.ts ...   (the server then runs on Deno)
import process from "node:process";
import { parseArgs } from "node:util";
import { runCrashCycles } from "../tests/robustness/crash_workload.ts";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { cycles: { type: "string" }, "term-cycles": { type: "string" }, seed: { type: "string" }, writers: { type: "string" } },
});
const killCycles = Number(values.cycles ?? 100);
const termCycles = Number(values["term-cycles"] ?? Math.max(1, Math.round(killCycles / 10)));
const writers = Number(values.writers ?? 4);
const seed = Number(values.seed ?? process.env.MATERIA_CRASH_SEED ?? ((Date.now() ^ (Math.random() * 0x7fffffff)) | 0));
if (![killCycles, termCycles, writers].every((n) => Number.isInteger(n) && n >= 0) || writers < 1 || !Number.isInteger(seed)) {
  console.error("usage: scripts/crash_test.ts [--cycles N] [--term-cycles N] [--seed INTEGER] [--writers N>0]");
  process.exit(2);
}

console.log(`crash test: ${killCycles} SIGKILL and ${termCycles} SIGTERM cycles, ${writers} writers, seed ${seed}`);
try {
  const result = await runCrashCycles({ killCycles, termCycles, writers, seed, log: (line) => console.log(line) });
  console.log(
    `crash test: ${result.cycles} cycles in ${(result.elapsedMs / 1000).toFixed(1)} s; ${result.acknowledgedWrites} acknowledged writes checked ` +
      `of ${result.commandsSent} commands sent; ${result.keys} keys checked at the end (seed ${seed})`,
  );
} catch (error) {
  console.error(`crash test: FAILED (seed ${seed}; replay: --seed ${seed})\n${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  process.exit(1);
}
