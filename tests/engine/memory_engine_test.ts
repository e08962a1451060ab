// The conformance suite on the memory engine, plus what only it has:
// optimistic concurrency (snapshots, read conflicts), fault injection.
import { readConflictRangeCases } from "./read_conflict_range_cases.ts";
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { MAX_RETRIES } from "../../src/engine/limits.ts";
import { decodeInt64 } from "../../src/engine/atomic_add.ts";
import { b, engineConformance, engineError, s } from "./conformance_cases.ts";

engineConformance("memory", {
  open: (options) => Promise.resolve(new MemoryEngine({ clock: options?.clock })),
});

/** A promise and the function that resolves it, to interleave two transactions by hand. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = (): void => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

readConflictRangeCases("memory engine", async () => new MemoryEngine());

describe("memory engine concurrency", () => {
  test("a transaction whose read key was written after its read version is retried", async () => {
    const engine = new MemoryEngine();
    await engine.write(async (tx) => tx.set(b("k"), b("0")));
    const readDone = gate();
    const otherCommitted = gate();
    let runs = 0;
    const slow = engine.write(async (tx) => {
      runs++;
      const value = s(await tx.get(b("k")));
      if (runs === 1) {
        readDone.open();
        await otherCommitted.wait;
      }
      tx.set(b("k"), b(`${value}+slow`));
    });
    await readDone.wait;
    await engine.write(async (tx) => tx.set(b("k"), b("fast")));
    otherCommitted.open();
    await slow;
    assert.equal(runs, 2);
    assert.equal(s(await engine.read((tx) => tx.get(b("k")))), "fast+slow");
    assert.equal(engine.stats.conflicts, 1);
  });

  test("a transaction reads one consistent snapshot while others commit", async () => {
    const engine = new MemoryEngine();
    await engine.write(async (tx) => {
      tx.set(b("a"), b("1"));
      tx.set(b("b"), b("1"));
    });
    const firstRead = gate();
    const otherCommitted = gate();
    const reader = engine.read(async (tx) => {
      const a = s(await tx.get(b("a")));
      firstRead.open();
      await otherCommitted.wait;
      const rest = await tx.getRange({ start: b("b"), end: b("z") });
      return [a, ...rest.map((e) => s(e.value))];
    });
    await firstRead.wait;
    await engine.write(async (tx) => {
      tx.set(b("a"), b("2"));
      tx.set(b("b"), b("2"));
      tx.set(b("c"), b("2"));
    });
    otherCommitted.open();
    // Read-only transactions never conflict: they are serialized at their read version.
    assert.deepEqual(await reader, ["1", "1"]);
  });

  test("snapshot reads add no read conflict", async () => {
    const engine = new MemoryEngine();
    const readDone = gate();
    const otherCommitted = gate();
    let runs = 0;
    const tx1 = engine.write(async (tx) => {
      runs++;
      await tx.snapshot.get(b("k"));
      await tx.snapshot.getRange({ start: b("a"), end: b("z") });
      readDone.open();
      await otherCommitted.wait;
      tx.set(b("mine"), b("1"));
    });
    await readDone.wait;
    await engine.write(async (tx) => tx.set(b("k"), b("theirs")));
    otherCommitted.open();
    await tx1;
    assert.equal(runs, 1);
    assert.equal(engine.stats.conflicts, 0);
  });

  test("add adds no read conflict: concurrent adds to one counter never retry", async () => {
    const engine = new MemoryEngine();
    let runs = 0;
    await Promise.all(
      Array.from({ length: 100 }, () =>
        engine.write(async (tx) => {
          runs++;
          await tx.snapshot.get(b("counter"));
          tx.add(b("counter"), 1n);
        }),
      ),
    );
    assert.equal(runs, 100);
    assert.equal(decodeInt64((await engine.read((tx) => tx.get(b("counter"))))!), 100n);
  });

  test("blind writes never conflict", async () => {
    const engine = new MemoryEngine();
    let runs = 0;
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        engine.write(async (tx) => {
          runs++;
          tx.set(b("same"), b(String(i)));
        }),
      ),
    );
    assert.equal(runs, 50);
  });

  test("a range read conflicts with a key inserted into the range later (phantom)", async () => {
    const engine = new MemoryEngine();
    const readDone = gate();
    const otherCommitted = gate();
    let runs = 0;
    const tx1 = engine.write(async (tx) => {
      runs++;
      const found = await tx.getRange({ start: b("a"), end: b("c") });
      if (runs === 1) {
        readDone.open();
        await otherCommitted.wait;
      }
      tx.set(b("count"), b(String(found.length)));
    });
    await readDone.wait;
    await engine.write(async (tx) => tx.set(b("b"), b("new")));
    otherCommitted.open();
    await tx1;
    assert.equal(runs, 2);
    assert.equal(s(await engine.read((tx) => tx.get(b("count")))), "1");
  });

  test("a limited range read conflicts only up to the last key it returned", async () => {
    const engine = new MemoryEngine();
    await engine.write(async (tx) => {
      tx.set(b("a"), b("1"));
      tx.set(b("m"), b("1"));
    });
    const readDone = gate();
    const otherCommitted = gate();
    let runs = 0;
    const tx1 = engine.write(async (tx) => {
      runs++;
      await tx.getRange({ start: b("a"), end: b("z") }, { limit: 1 });
      readDone.open();
      await otherCommitted.wait;
      tx.set(b("x"), b("1"));
    });
    await readDone.wait;
    await engine.write(async (tx) => tx.set(b("q"), b("beyond the first key")));
    otherCommitted.open();
    await tx1;
    assert.equal(runs, 1);
  });

  test("reading a key the transaction wrote itself adds no conflict", async () => {
    const engine = new MemoryEngine();
    const readDone = gate();
    const otherCommitted = gate();
    let runs = 0;
    const tx1 = engine.write(async (tx) => {
      runs++;
      tx.set(b("k"), b("mine"));
      assert.equal(s(await tx.get(b("k"))), "mine");
      readDone.open();
      await otherCommitted.wait;
    });
    await readDone.wait;
    await engine.write(async (tx) => tx.set(b("k"), b("theirs")));
    otherCommitted.open();
    await tx1;
    assert.equal(runs, 1);
    assert.equal(s(await engine.read((tx) => tx.get(b("k")))), "mine");
  });

  test("a read version older than the conflict history fails with transaction_too_old and is retried", async () => {
    const engine = new MemoryEngine({ maxHistory: 10 });
    const readDone = gate();
    const othersCommitted = gate();
    let runs = 0;
    const old = engine.write(async (tx) => {
      runs++;
      await tx.get(b("k"));
      if (runs === 1) {
        readDone.open();
        await othersCommitted.wait;
      }
      tx.set(b("k"), b("old"));
    });
    await readDone.wait;
    for (let i = 0; i < 20; i++) await engine.write(async (tx) => tx.set(b(`other${i}`), b("1")));
    othersCommitted.open();
    await old;
    assert.equal(runs, 2);
  });

  test("values read cannot be used to change the store", async () => {
    const engine = new MemoryEngine();
    const value = b("abc");
    await engine.write(async (tx) => tx.set(b("k"), value));
    value[0] = 0x7a;
    const read = (await engine.read((tx) => tx.get(b("k"))))!;
    assert.equal(s(read), "abc");
    read[0] = 0x7a;
    assert.equal(s(await engine.read((tx) => tx.get(b("k")))), "abc");
  });

  test("holds 200,000 keys written in transactions of 1,000 and scans them in order", { timeout: 60_000 }, async () => {
    const engine = new MemoryEngine();
    const key = (n: number): Uint8Array => new Uint8Array([0x6b, n >>> 16, (n >>> 8) & 255, n & 255]);
    for (let t = 0; t < 200; t++) {
      await engine.write(async (tx) => {
        for (let i = 0; i < 1000; i++) tx.set(key(t * 1000 + i), b("v"));
      });
    }
    assert.equal(engine.size, 200_000);
    const page = await engine.read((tx) => tx.getRange({ start: key(150_000), end: key(200_000) }, { limit: 3 }));
    assert.deepEqual(
      page.map((e) => e.key),
      [key(150_000), key(150_001), key(150_002)],
    );
    await engine.write(async (tx) => tx.clearRange({ start: key(0), end: key(199_999) }));
    assert.equal(engine.size, 1);
  });
});

describe("memory engine fault injection", () => {
  test("at rate 1 every commit fails and retries run out", async () => {
    const engine = new MemoryEngine({ faults: { seed: 3, rate: 1 } });
    let runs = 0;
    const error = await engineError(() => engine.write(async (tx) => {
        runs++;
        tx.set(b("k"), b("v"));
      }),
    );
    assert.equal(error.code, "retries_exhausted");
    assert.match(error.message, /not_committed|commit_unknown_result|transaction_too_old/);
    assert.equal(runs, MAX_RETRIES + 1);
    assert.equal(engine.stats.injectedFaults, MAX_RETRIES + 1);
  });

  test("the same seed injects the same faults", async () => {
    const outcomes = async (seed: number): Promise<string[]> => {
      const engine = new MemoryEngine({ faults: { seed, rate: 0.5 } });
      const seen: string[] = [];
      for (let i = 0; i < 30; i++) {
        let runs = 0;
        await Promise.resolve(engine
          .write(async (tx) => {
            runs++;
            tx.set(b(`k${i}`), b("v"));
          }))
          .then(
            () => seen.push(`ok after ${runs}`),
            (error: Error) => seen.push(error.message),
          );
      }
      return seen;
    };
    const first = await outcomes(42);
    assert.deepEqual(await outcomes(42), first);
    assert.ok(first.some((o) => o !== "ok after 1"), "some commits were retried");
  });

  test("commit_unknown_result sometimes follows a commit that happened: adds apply at least once", async () => {
    const engine = new MemoryEngine({ faults: { seed: 9, rate: 0.4 } });
    let attempts = 0;
    let succeeded = 0;
    for (let i = 0; i < 100; i++) {
      await Promise.resolve(engine
        .write(async (tx) => {
          attempts++;
          tx.add(b("n"), 1n);
        }))
        .then(
          () => succeeded++,
          () => {},
        );
    }
    const total = Number(decodeInt64((await engine.read((tx) => tx.get(b("n"))))!));
    assert.ok(total >= succeeded, `${total} >= ${succeeded}`);
    assert.ok(total <= attempts);
    assert.ok(total > succeeded, "an unknown result that committed made an add count twice (seed 9)");
  });
});
