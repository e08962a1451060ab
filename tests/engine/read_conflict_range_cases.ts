// Txn.addReadConflictRange on the engines that run transactions at once
// (memory, FoundationDB): it conflicts as a read of the range would, without
// reading, and only with writes inside the range.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Engine } from "../../src/engine/contract.ts";
import { b, s } from "./conformance_cases.ts";

function gate(): { wait: Promise<void>; open: () => void } {
  let open = (): void => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

/** Runs a transaction that declares [a, c) read, lets `other` commit meanwhile, and counts its runs. */
async function runsWhile(engine: Engine, other: (engine: Engine) => unknown): Promise<number> {
  const declared = gate();
  const otherCommitted = gate();
  let runs = 0;
  const first = engine.write(async (tx) => {
    runs++;
    await tx.get(b("z")); // takes the read version
    tx.addReadConflictRange({ start: b("a"), end: b("c") });
    if (runs === 1) {
      declared.open();
      await otherCommitted.wait;
    }
    tx.set(b("result"), b(String(runs)));
  });
  await declared.wait;
  await other(engine);
  otherCommitted.open();
  await first;
  assert.equal(s(await engine.read((tx) => tx.get(b("result")))), String(runs));
  return runs;
}

export function readConflictRangeCases(name: string, open: () => Promise<Engine>): void {
  test(`${name}: a read conflict range conflicts with a write inside it, not with one outside`, async () => {
    const engine = await open();
    try {
      assert.equal(await runsWhile(engine, (e) => e.write(async (tx) => tx.set(b("b"), b("new")))), 2, "a write inside the range: retried");
      assert.equal(await runsWhile(engine, (e) => e.write(async (tx) => tx.set(b("c"), b("new")))), 1, "the end is excluded");
      assert.equal(await runsWhile(engine, (e) => e.write(async (tx) => tx.add(b("a"), 1n))), 2, "an atomic add inside it too");
    } finally {
      await engine.close();
    }
  });
}
