// The conformance suite on a memory engine that fails one commit in ten
// (seeded), so every case also passes through the retry paths.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { FaultInjector, type InjectedFault } from "../../src/engine/memory/fault_injector.ts";
import { engineConformance } from "./conformance_cases.ts";

const seed = 1337;

engineConformance(`memory with injected faults (seed ${seed}, rate 0.1)`, {
  open: (options) => Promise.resolve(new MemoryEngine({ clock: options?.clock, faults: { seed, rate: 0.1 } })),
  atLeastOnce: "commit_unknown_result may apply a body twice, so non-idempotent counts differ",
});

describe("fault injector restricted to some codes", () => {
  test("injects only the listed codes on writes, and nothing on reads without transaction_too_old", () => {
    const injector = new FaultInjector({ seed: 7, rate: 0.5, codes: ["not_committed"] });
    const seen = new Set<string | null>();
    for (let i = 0; i < 1_000; i++) seen.add(injector.next(false));
    assert.deepEqual([...seen].sort(), ["not_committed", null]);
    for (let i = 0; i < 1_000; i++) assert.equal(injector.next(true), null);
  });

  test("reads may fail with transaction_too_old when it is listed", () => {
    const injector = new FaultInjector({ seed: 7, rate: 0.5, codes: ["not_committed", "transaction_too_old"] });
    const reads = new Set<string | null>();
    for (let i = 0; i < 1_000; i++) reads.add(injector.next(true));
    assert.deepEqual([...reads].sort(), [null, "transaction_too_old"]);
  });

  test("an empty or unknown code list is refused", () => {
    assert.throws(() => new FaultInjector({ seed: 1, rate: 0.5, codes: [] }), /non-empty subset/);
    assert.throws(
      () => new FaultInjector({ seed: 1, rate: 0.5, codes: ["storage_failure" as InjectedFault] }),
      /non-empty subset/,
    );
  });

  test("without commit_unknown_result, a non-idempotent body applies exactly once per call", async () => {
    const engine = new MemoryEngine({ faults: { seed, rate: 0.3, codes: ["not_committed", "transaction_too_old"] } });
    const counter = new Uint8Array([1]);
    const calls = 200;
    for (let i = 0; i < calls; i++) {
      await engine.write(async (tx) => {
        await tx.get(counter);
        tx.add(counter, 1n);
      });
    }
    const value = await engine.read((tx) => tx.get(counter));
    assert.ok(engine.stats.injectedFaults > 20, `expected faults, got ${engine.stats.injectedFaults}`);
    assert.equal(value === undefined ? 0n : new DataView(value.buffer, value.byteOffset, 8).getBigInt64(0, true), BigInt(calls));
    await engine.close();
  });
});
