// The conformance suite on a memory engine that fails one commit in ten
// (seeded), so every case also passes through the retry paths.
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { engineConformance } from "./conformance_cases.ts";

const seed = 1337;

engineConformance(`memory with injected faults (seed ${seed}, rate 0.1)`, {
  open: (options) => Promise.resolve(new MemoryEngine({ clock: options?.clock, faults: { seed, rate: 0.1 } })),
  atLeastOnce: "commit_unknown_result may apply a body twice, so non-idempotent counts differ",
});
