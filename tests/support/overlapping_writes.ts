// Concurrent writers whose transactions really overlap. On the memory engine
// a body that never waits runs and commits within its engine.write call, so
// writers started together would still run one after the other; here each
// one holds its transaction open until every writer has run its body once,
// as concurrent clients on FoundationDB would.
import type { Engine, MaybePromise, Txn } from "../../src/engine/contract.ts";

/** Runs `count` write transactions open at once; `body(tx, i)` is writer i's body. Their values, in order. */
export function overlappingWrites<T>(engine: Engine, count: number, body: (tx: Txn, index: number) => MaybePromise<T>): Promise<T[]> {
  let ran = 0;
  let release!: () => void;
  const everyoneRan = new Promise<void>((resolve) => (release = resolve));
  return Promise.all(Array.from({ length: count }, (_, i) =>
    engine.write(async (tx) => {
      const value = await body(tx, i);
      // A retried body finds the gate open already.
      if (++ran === count) release();
      await everyoneRan;
      return value;
    })));
}
