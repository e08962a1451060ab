// `npm run test:fuzz`: the protocol fuzzer for longer than the suite runs it.
// Usage: bun scripts/fuzz.ts [--seconds N] [--seed S] [--max-rss-mb M]
//        deno run -A scripts/fuzz.ts ...   (the server then runs on Deno)
// Environment: MATERIA_FUZZ_SECONDS and MATERIA_FUZZ_SEED, as in the test.
import process from "node:process";
import { parseArgs } from "node:util";
import { FuzzFailure, runFuzz } from "../tests/robustness/fuzz_harness.ts";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { seconds: { type: "string" }, seed: { type: "string" }, "max-rss-mb": { type: "string" } },
});
const seconds = Number(values.seconds ?? process.env.MATERIA_FUZZ_SECONDS ?? 300);
const seed = Number(values.seed ?? process.env.MATERIA_FUZZ_SEED ?? ((Date.now() ^ (Math.random() * 0x7fffffff)) | 0));
const maxRssMb = Number(values["max-rss-mb"] ?? 1024);
if (!(seconds > 0) || !Number.isInteger(seed) || !(maxRssMb > 0)) {
  console.error("usage: scripts/fuzz.ts [--seconds N>0] [--seed INTEGER] [--max-rss-mb M>0]");
  process.exit(2);
}

console.log(`fuzz: seed ${seed}, ${seconds} s`);
try {
  const result = await runFuzz({ seed, seconds, maxRssBytes: maxRssMb * 2 ** 20, log: (line) => console.log(line) });
  const kinds = [...result.byKind].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${n} ${kind}`).join(", ");
  console.log(
    `fuzz: ${result.cases} cases in ${(result.elapsedMs / 1000).toFixed(1)} s, seed ${seed}; ` +
      `server RSS ${(result.startRssBytes / 2 ** 20).toFixed(0)} MiB at start, peak ${(result.peakRssBytes / 2 ** 20).toFixed(0)} MiB\n  ${kinds}`,
  );
} catch (error) {
  if (!(error instanceof FuzzFailure)) throw error;
  console.error(`fuzz: FAILED\n${error.message}`);
  process.exit(1);
}
