// The engine conformance suite: one set of cases, run against every engine
// (memory, memory with injected faults, SQLite on each runtime) by the
// *_engine_test.ts files. A case that cannot hold for some engine is skipped
// there with the reason.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Engine, KeyValue, MaybePromise, Txn } from "../../src/engine/contract.ts";
import { EngineError } from "../../src/engine/errors.ts";
import {
  MAX_ENGINE_KEY_BYTES,
  MAX_RETRIES,
  MAX_TRANSACTION_BYTES,
  MAX_TRANSACTION_MS,
  MAX_VALUE_BYTES,
} from "../../src/engine/limits.ts";
import { compareBytes } from "../../src/engine/bytes.ts";
import { addToValue, decodeInt64, encodeInt64 } from "../../src/engine/atomic_add.ts";
import { SeededRandom } from "../../src/engine/seeded_random.ts";

export interface OpenOptions {
  /** Monotonic milliseconds for the engine's transaction clock. */
  readonly clock?: () => number;
}

export interface EngineHarness {
  /** Opens a fresh, empty engine. */
  open(options?: OpenOptions): Promise<Engine>;
  /** Releases what `open` created (files), after the engine is closed. */
  cleanup?(): Promise<void> | void;
  /**
   * Set when commits may report commit_unknown_result after applying (fault
   * injection): bodies may then apply twice, so cases that count
   * non-idempotent effects are skipped, with this reason.
   */
  readonly atLeastOnce?: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function b(text: string): Uint8Array {
  return encoder.encode(text);
}

export function s(bytes: Uint8Array | undefined): string | undefined {
  return bytes === undefined ? undefined : decoder.decode(bytes);
}

export function pairs(entries: readonly KeyValue[]): string[] {
  return entries.map((e) => `${s(e.key)}=${s(e.value)}`);
}

export async function withEngine<T>(
  harness: EngineHarness,
  fn: (engine: Engine) => Promise<T>,
  options?: OpenOptions,
): Promise<T> {
  const engine = await harness.open(options);
  try {
    return await fn(engine);
  } finally {
    await engine.close();
    await harness.cleanup?.();
  }
}

/**
 * Resolves with the EngineError a transaction fails with; fails if it
 * succeeds. Given a function, also catches a failure thrown synchronously
 * (engines answer synchronously when they can: engine/maybe_promise.ts).
 */
export async function engineError(run: MaybePromise<unknown> | (() => MaybePromise<unknown>)): Promise<EngineError> {
  try {
    await (typeof run === "function" ? run() : run);
  } catch (error) {
    assert.ok(error instanceof EngineError, `expected an EngineError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected the transaction to fail");
}

async function setAll(engine: Engine, entries: Record<string, string>): Promise<void> {
  await engine.write(async (tx) => {
    for (const [k, v] of Object.entries(entries)) tx.set(b(k), b(v));
  });
}

async function dump(engine: Engine): Promise<string[]> {
  return engine.read(async (tx) => pairs(await tx.getRange({ start: new Uint8Array(0), end: new Uint8Array([0xff]) })));
}

/** A sorted-map model of the keyspace, for the randomized case. */
class Model {
  readonly map = new Map<string, Uint8Array>();

  copy(): Model {
    const model = new Model();
    for (const [k, v] of this.map) model.map.set(k, v);
    return model;
  }

  range(start: Uint8Array, end: Uint8Array, limit: number, reverse: boolean): string[] {
    const keys = [...this.map.keys()]
      .map((k) => b(k))
      .filter((k) => compareBytes(k, start) >= 0 && compareBytes(k, end) < 0)
      .sort(compareBytes);
    if (reverse) keys.reverse();
    const picked = limit > 0 ? keys.slice(0, limit) : keys;
    return picked.map((k) => `${s(k)}=${s(this.map.get(s(k)!))}`);
  }

  clearRange(start: Uint8Array, end: Uint8Array): void {
    for (const k of [...this.map.keys()]) {
      const key = b(k);
      if (compareBytes(key, start) >= 0 && compareBytes(key, end) < 0) this.map.delete(k);
    }
  }
}

export function engineConformance(name: string, harness: EngineHarness): void {
  const idempotentOnly = harness.atLeastOnce === undefined ? {} : { skip: harness.atLeastOnce };

  describe(`engine conformance: ${name}`, () => {
    test("get of a missing key resolves undefined", async () => {
      await withEngine(harness, async (engine) => {
        assert.equal(await engine.read((tx) => tx.get(b("nope"))), undefined);
      });
    });

    test("a committed set is seen by later transactions and clear removes it", async () => {
      await withEngine(harness, async (engine) => {
        const result = await engine.write(async (tx) => {
          tx.set(b("k"), b("v1"));
          return "done";
        });
        assert.equal(result, "done");
        assert.equal(s(await engine.read((tx) => tx.get(b("k")))), "v1");
        await engine.write(async (tx) => tx.set(b("k"), b("v2")));
        assert.equal(s(await engine.read((tx) => tx.get(b("k")))), "v2");
        await engine.write(async (tx) => tx.clear(b("k")));
        assert.equal(await engine.read((tx) => tx.get(b("k"))), undefined);
      });
    });

    test("keys and values are bytes: empty, zero bytes and 0xff survive", async () => {
      await withEngine(harness, async (engine) => {
        const key = new Uint8Array([0, 1, 0xfe, 0]);
        const value = new Uint8Array([0xff, 0, 0, 7]);
        await engine.write(async (tx) => {
          tx.set(key, value);
          tx.set(new Uint8Array([9]), new Uint8Array(0));
        });
        assert.deepEqual(await engine.read((tx) => tx.get(key)), value);
        assert.deepEqual(await engine.read((tx) => tx.get(new Uint8Array([9]))), new Uint8Array(0));
        const all = await engine.read((tx) => tx.getRange({ start: new Uint8Array(0), end: new Uint8Array([0xff]) }));
        assert.deepEqual(
          all.map((e) => [...e.key]),
          [[0, 1, 0xfe, 0], [9]],
        );
        for (const e of all) assert.equal(Object.getPrototypeOf(e.value), Uint8Array.prototype);
      });
    });

    test("a transaction reads its own set, clear and clearRange before commit", async () => {
      await withEngine(harness, async (engine) => {
        await setAll(engine, { a: "1", b: "2", c: "3" });
        await engine.write(async (tx) => {
          tx.set(b("a"), b("10"));
          assert.equal(s(await tx.get(b("a"))), "10");
          tx.clear(b("b"));
          assert.equal(await tx.get(b("b")), undefined);
          tx.clearRange({ start: b("c"), end: b("d") });
          assert.equal(await tx.get(b("c")), undefined);
          tx.set(b("c"), b("30"));
          assert.equal(s(await tx.get(b("c"))), "30");
          assert.equal(s(await tx.snapshot.get(b("c"))), "30");
        });
        assert.deepEqual(await dump(engine), ["a=10", "c=30"]);
      });
    });

    test("getRange merges buffered writes over committed keys, forward and reverse, with limits", async () => {
      await withEngine(harness, async (engine) => {
        await setAll(engine, { a: "1", b: "2", c: "3", d: "4", e: "5", f: "6", g: "7" });
        await engine.write(async (tx) => {
          tx.set(b("bb"), b("new"));
          tx.clear(b("c"));
          tx.clearRange({ start: b("d"), end: b("f") });
          tx.set(b("e"), b("50"));
          tx.set(b("a"), b("10"));
          const range = { start: b("a"), end: b("g") };
          const all = ["a=10", "b=2", "bb=new", "e=50", "f=6"];
          assert.deepEqual(pairs(await tx.getRange(range)), all);
          assert.deepEqual(pairs(await tx.getRange(range, { reverse: true })), [...all].reverse());
          for (let limit = 1; limit <= 6; limit++) {
            assert.deepEqual(pairs(await tx.getRange(range, { limit })), all.slice(0, limit), `limit ${limit}`);
            assert.deepEqual(
              pairs(await tx.getRange(range, { limit, reverse: true })),
              [...all].reverse().slice(0, limit),
              `reverse limit ${limit}`,
            );
          }
          assert.deepEqual(pairs(await tx.getRange({ start: b("b"), end: b("c") })), ["b=2", "bb=new"]);
          assert.deepEqual(pairs(await tx.getRange({ start: b("c"), end: b("e") })), []);
          assert.deepEqual(pairs(await tx.getRange({ start: b("g"), end: b("a") })), []);
          assert.deepEqual(pairs(await tx.snapshot.getRange(range, { limit: 2, reverse: true })), ["f=6", "e=50"]);
        });
        assert.deepEqual(await dump(engine), ["a=10", "b=2", "bb=new", "e=50", "f=6", "g=7"]);
      });
    });

    test("a limited getRange over many committed keys returns the first ones in order", async () => {
      await withEngine(harness, async (engine) => {
        await engine.write(async (tx) => {
          for (let i = 0; i < 3000; i++) tx.set(b(`k${String(i).padStart(5, "0")}`), b(String(i)));
        });
        await engine.write(async (tx) => {
          // Hide the first 1500 behind a buffered clearRange and some single clears.
          tx.clearRange({ start: b("k00000"), end: b("k01500") });
          for (let i = 1500; i < 1600; i += 2) tx.clear(b(`k${String(i).padStart(5, "0")}`));
          const page = await tx.getRange({ start: b("k"), end: b("l") }, { limit: 5 });
          assert.deepEqual(pairs(page), ["k01501=1501", "k01503=1503", "k01505=1505", "k01507=1507", "k01509=1509"]);
          const last = await tx.getRange({ start: b("k"), end: b("l") }, { limit: 2, reverse: true });
          assert.deepEqual(pairs(last), ["k02999=2999", "k02998=2998"]);
          assert.equal((await tx.getRange({ start: b("k"), end: b("l") })).length, 1450);
        });
      });
    });

    test("clearRange removes committed keys in [start, end) and keeps the end key", async () => {
      await withEngine(harness, async (engine) => {
        await setAll(engine, { a: "1", b: "2", ba: "3", c: "4" });
        await engine.write(async (tx) => tx.clearRange({ start: b("b"), end: b("c") }));
        assert.deepEqual(await dump(engine), ["a=1", "c=4"]);
        await engine.write(async (tx) => tx.clearRange({ start: b("z"), end: b("a") }));
        assert.deepEqual(await dump(engine), ["a=1", "c=4"]);
      });
    });

    test("add on a missing key stores the delta as 8 little-endian bytes", idempotentOnly, async () => {
      await withEngine(harness, async (engine) => {
        await engine.write(async (tx) => tx.add(b("n"), 5n));
        const value = await engine.read((tx) => tx.get(b("n")));
        assert.deepEqual(value, new Uint8Array([5, 0, 0, 0, 0, 0, 0, 0]));
      });
    });

    test("add with a negative delta goes below zero and wraps at 64 bits", idempotentOnly, async () => {
      await withEngine(harness, async (engine) => {
        await engine.write(async (tx) => tx.add(b("n"), -3n));
        assert.equal(decodeInt64((await engine.read((tx) => tx.get(b("n"))))!), -3n);
        await engine.write(async (tx) => tx.set(b("max"), encodeInt64(2n ** 63n - 1n)));
        await engine.write(async (tx) => tx.add(b("max"), 1n));
        assert.equal(decodeInt64((await engine.read((tx) => tx.get(b("max"))))!), -(2n ** 63n));
        await engine.write(async (tx) => tx.add(b("n"), 3n));
        assert.deepEqual(await engine.read((tx) => tx.get(b("n"))), new Uint8Array(8));
      });
    });

    test("add over a shorter value zero-extends it, as FoundationDB does", idempotentOnly, async () => {
      await withEngine(harness, async (engine) => {
        await engine.write(async (tx) => tx.set(b("n"), new Uint8Array([0xff, 0x01])));
        await engine.write(async (tx) => tx.add(b("n"), 1n));
        assert.deepEqual(await engine.read((tx) => tx.get(b("n"))), new Uint8Array([0, 2, 0, 0, 0, 0, 0, 0]));
      });
    });

    test("a read sees the writes made before it was called, not those made while it is answered", async () => {
      await withEngine(harness, async (engine) => {
        // More rows than one FoundationDB batch, so a range read needs several round trips.
        await engine.write(async (tx) => {
          for (let i = 0; i < 1_000; i++) tx.set(b(`r${String(i).padStart(4, "0")}`), b("old"));
        });
        await engine.write(async (tx) => {
          const before = tx.get(b("r0001"));
          const range = tx.getRange({ start: b("r"), end: b("s") });
          // Written after both reads were called: neither may see these.
          tx.clearRange({ start: b("r"), end: b("r0500") });
          tx.set(b("r0001"), b("new"));
          tx.set(b("r9999"), b("new"));
          assert.equal(s(await before), "old");
          const rows = await range;
          assert.equal(rows.length, 1_000);
          assert.ok(rows.every((row) => s(row.value) === "old"));
          // Called after the writes: sees them.
          assert.equal(s(await tx.get(b("r0001"))), "new");
          assert.equal((await tx.getRange({ start: b("r"), end: b("s") })).length, 502);
        });
        assert.equal((await engine.read((tx) => tx.getRange({ start: b("r"), end: b("s") }))).length, 502);
      });
    });

    test("adds in one transaction accumulate and show through get and getRange", idempotentOnly, async () => {
      await withEngine(harness, async (engine) => {
        await engine.write(async (tx) => tx.set(b("n"), encodeInt64(10n)));
        await engine.write(async (tx) => {
          tx.add(b("n"), 5n);
          tx.add(b("n"), -2n);
          tx.add(b("m"), 7n);
          assert.equal(decodeInt64((await tx.get(b("n")))!), 13n);
          const range = await tx.getRange({ start: b("m"), end: b("o") });
          assert.deepEqual(
            range.map((e) => [s(e.key), decodeInt64(e.value)]),
            [
              ["m", 7n],
              ["n", 13n],
            ],
          );
          tx.add(b("n"), 1n);
        });
        assert.equal(decodeInt64((await engine.read((tx) => tx.get(b("n"))))!), 14n);
        await engine.write(async (tx) => {
          tx.clearRange({ start: b("a"), end: b("z") });
          tx.add(b("n"), 2n);
          tx.clear(b("m"));
          tx.add(b("m"), 3n);
        });
        assert.equal(decodeInt64((await engine.read((tx) => tx.get(b("n"))))!), 2n);
        assert.equal(decodeInt64((await engine.read((tx) => tx.get(b("m"))))!), 3n);
      });
    });

    test("keys up to 10,000 bytes are accepted and longer ones refused with key_too_large", async () => {
      await withEngine(harness, async (engine) => {
        const longest = new Uint8Array(MAX_ENGINE_KEY_BYTES).fill(0x61);
        await engine.write(async (tx) => tx.set(longest, b("ok")));
        assert.equal(s(await engine.read((tx) => tx.get(longest))), "ok");
        const tooLong = new Uint8Array(MAX_ENGINE_KEY_BYTES + 1).fill(0x61);
        for (const op of [
          (tx: Txn) => tx.set(tooLong, b("x")),
          (tx: Txn) => tx.clear(tooLong),
          (tx: Txn) => tx.add(tooLong, 1n),
          (tx: Txn) => tx.clearRange({ start: tooLong, end: new Uint8Array(MAX_ENGINE_KEY_BYTES + 2) }),
        ]) {
          const error = await engineError(() => engine.write(async (tx) => op(tx)));
          assert.equal(error.code, "key_too_large");
          assert.equal(error.retryable, false);
        }
      });
    });

    test("values up to 100,000 bytes are accepted and longer ones refused with value_too_large", async () => {
      await withEngine(harness, async (engine) => {
        const largest = new Uint8Array(MAX_VALUE_BYTES).fill(7);
        await engine.write(async (tx) => tx.set(b("big"), largest));
        assert.equal((await engine.read((tx) => tx.get(b("big"))))!.length, MAX_VALUE_BYTES);
        const error = await engineError(() => engine.write(async (tx) => tx.set(b("bigger"), new Uint8Array(MAX_VALUE_BYTES + 1))),
        );
        assert.equal(error.code, "value_too_large");
        assert.equal(await engine.read((tx) => tx.get(b("bigger"))), undefined);
      });
    });

    test("a transaction over 10 MB is refused with transaction_too_large and writes nothing", async () => {
      await withEngine(harness, async (engine) => {
        const value = new Uint8Array(MAX_VALUE_BYTES);
        const count = Math.ceil(MAX_TRANSACTION_BYTES / MAX_VALUE_BYTES) + 1;
        const error = await engineError(() => engine.write(async (tx) => {
            for (let i = 0; i < count; i++) tx.set(b(`k${i}`), value);
          }),
        );
        assert.equal(error.code, "transaction_too_large");
        assert.equal(await engine.read((tx) => tx.get(b("k0"))), undefined);
        // Just under the limit is fine.
        await engine.write(async (tx) => {
          for (let i = 0; i < 90; i++) tx.set(b(`k${i}`), value);
        });
        assert.ok((await engine.read((tx) => tx.get(b("k89")))) !== undefined);
      });
    });

    test("a transaction older than 5 s fails with transaction_timed_out and is not retried", async () => {
      let now = 1_000_000;
      await withEngine(
        harness,
        async (engine) => {
          let runs = 0;
          const error = await engineError(() => engine.write(async (tx) => {
              runs++;
              tx.set(b("a"), b("1"));
              now += MAX_TRANSACTION_MS + 1;
              await tx.get(b("a"));
            }),
          );
          assert.equal(error.code, "transaction_timed_out");
          assert.equal(runs, 1);
          // A body that finishes late cannot commit either.
          const late = await engineError(() => engine.write(async (tx) => {
              tx.set(b("b"), b("1"));
              now += MAX_TRANSACTION_MS + 1;
            }),
          );
          assert.equal(late.code, "transaction_timed_out");
          assert.equal(await engine.read((tx) => tx.get(b("a"))), undefined);
          assert.equal(await engine.read((tx) => tx.get(b("b"))), undefined);
          // Just under the limit is fine.
          let slowRuns = 0;
          await engine.write(async (tx) => {
            if (slowRuns++ === 0) now += MAX_TRANSACTION_MS - 1;
            tx.set(b("c"), b("1"));
          });
          assert.equal(s(await engine.read((tx) => tx.get(b("c")))), "1");
        },
        { clock: () => now },
      );
    });

    test("a failing body rolls back only its own transaction", async () => {
      await withEngine(harness, async (engine) => {
        const boom = new Error("boom");
        const results = await Promise.allSettled([
          engine.write(async (tx) => tx.set(b("before"), b("1"))),
          engine.write(async (tx) => {
            tx.set(b("failed"), b("1"));
            tx.clear(b("before"));
            await tx.get(b("before"));
            throw boom;
          }),
          engine.write(async (tx) => tx.set(b("after"), b("1"))),
        ]);
        assert.equal(results[0].status, "fulfilled");
        assert.equal(results[1].status, "rejected");
        assert.equal((results[1] as PromiseRejectedResult).reason, boom);
        assert.equal(results[2].status, "fulfilled");
        assert.deepEqual(await dump(engine), ["after=1", "before=1"]);
      });
    });

    test("a retryable error runs the body again", async () => {
      await withEngine(harness, async (engine) => {
        let runs = 0;
        const result = await engine.write(async (tx) => {
          runs++;
          tx.set(b(`attempt${runs}`), b("x"));
          if (runs < 3) throw new EngineError("not_committed", "simulated conflict");
          return runs;
        });
        assert.equal(result, 3);
        // Only the successful attempt's writes exist.
        assert.deepEqual(await dump(engine), ["attempt3=x"]);
      });
    });

    test("retries run out with retries_exhausted naming the last cause", async () => {
      await withEngine(harness, async (engine) => {
        let runs = 0;
        const error = await engineError(() => engine.write(async () => {
            runs++;
            throw new EngineError("transaction_too_old", "simulated");
          }),
        );
        assert.equal(error.code, "retries_exhausted");
        assert.match(error.message, /transaction_too_old/);
        assert.ok(error.cause instanceof EngineError);
        assert.equal(runs, MAX_RETRIES + 1);
      });
    });

    test("an error that is not retryable fails at once", async () => {
      await withEngine(harness, async (engine) => {
        let runs = 0;
        await assert.rejects(async () => engine.write(async () => {
            runs++;
            throw new TypeError("bug");
          }),
          TypeError,
        );
        assert.equal(runs, 1);
      });
    });

    test("50 concurrent get+set increments of one key end at 50", idempotentOnly, async () => {
      await withEngine(harness, async (engine) => {
        const increments = Array.from({ length: 50 }, () =>
          engine.write(async (tx) => {
            const current = await tx.get(b("counter"));
            const next = (current === undefined ? 0 : Number(s(current))) + 1;
            tx.set(b("counter"), b(String(next)));
            return next;
          }),
        );
        const seen = await Promise.all(increments);
        assert.equal(s(await engine.read((tx) => tx.get(b("counter")))), "50");
        // Serializable: every increment saw a distinct predecessor.
        assert.deepEqual(
          [...seen].sort((x, y) => x - y),
          Array.from({ length: 50 }, (_, i) => i + 1),
        );
      });
    });

    test("concurrent writers of different keys all commit", async () => {
      await withEngine(harness, async (engine) => {
        await Promise.all(
          Array.from({ length: 200 }, (_, i) => engine.write(async (tx) => tx.set(b(`k${1000 + i}`), b(String(i))))),
        );
        assert.equal((await dump(engine)).length, 200);
      });
    });

    test("onApplied runs once per successful transaction, before it resolves, never on failure", async () => {
      await withEngine(harness, async (engine) => {
        const calls: string[] = [];
        const ok = engine.write(async (tx) => tx.set(b("a"), b("1")), { onApplied: () => calls.push("write") });
        const read = engine.read(async (tx) => tx.get(b("a")), { onApplied: () => calls.push("read") });
        const failed = engine.write(
          async () => {
            throw new Error("no");
          },
          { onApplied: () => calls.push("failed") },
        );
        // Handled from the start: an engine may reject it before `ok` settles (Deno and Bun report unhandled rejections).
        const rejected = assert.rejects(failed);
        await ok;
        assert.ok(calls.includes("write"));
        await read;
        await rejected;
        assert.deepEqual(calls.sort(), ["read", "write"]);
      });
    });

    test("writing inside engine.read is refused", async () => {
      await withEngine(harness, async (engine) => {
        await assert.rejects(async () => engine.read(async (tx) => tx.set(b("a"), b("1"))), /engine\.write/);
        assert.equal(await engine.read((tx) => tx.get(b("a"))), undefined);
      });
    });

    test("a transaction object used after its body returned throws", async () => {
      await withEngine(harness, async (engine) => {
        let leaked: Txn | undefined;
        await engine.write(async (tx) => {
          leaked = tx;
        });
        assert.throws(() => leaked!.set(b("a"), b("1")), /after it finished/);
        await assert.rejects(async () => leaked!.get(b("a")), /after it finished/);
      });
    });

    test("after close, transactions are refused with engine_closed", async () => {
      const engine = await harness.open();
      try {
        const pending = engine.write(async (tx) => tx.set(b("a"), b("1")));
        const closing = engine.close();
        await pending;
        await closing;
        const error = await engineError(() => engine.read(async (tx) => tx.get(b("a"))));
        assert.equal(error.code, "engine_closed");
      } finally {
        await harness.cleanup?.();
      }
    });

    test("random transactions agree with a sorted-map model", idempotentOnly, async () => {
      const seed = 20240601;
      await withEngine(harness, async (engine) => {
        const random = new SeededRandom(seed);
        let committed = new Model();
        const key = (): Uint8Array => {
          const length = 1 + random.int(3);
          const bytes = new Uint8Array(length);
          for (let i = 0; i < length; i++) bytes[i] = 0x61 + random.int(5);
          return bytes;
        };
        for (let round = 0; round < 60; round++) {
          const ops = Array.from({ length: 1 + random.int(25) }, () => ({
            op: random.int(100),
            a: key(),
            b: key(),
            n: random.int(1000),
            limit: random.int(3) === 0 ? 0 : 1 + random.int(6),
            reverse: random.int(2) === 0,
          }));
          const fail = random.int(8) === 0;
          const attempt = engine.write(async (tx) => {
            const local = committed.copy();
            for (const [i, o] of ops.entries()) {
              const where = `seed ${seed} round ${round} op ${i}`;
              if (o.op < 30) {
                const value = b(`v${o.n}`);
                tx.set(o.a, value);
                local.map.set(s(o.a)!, value);
              } else if (o.op < 40) {
                tx.clear(o.a);
                local.map.delete(s(o.a)!);
              } else if (o.op < 47) {
                tx.clearRange({ start: o.a, end: o.b });
                local.clearRange(o.a, o.b);
              } else if (o.op < 57) {
                tx.add(o.a, BigInt(o.n - 500));
                local.map.set(s(o.a)!, addToValue(local.map.get(s(o.a)!), BigInt(o.n - 500)));
              } else if (o.op < 75) {
                assert.deepEqual(await tx.get(o.a), local.map.get(s(o.a)!), where);
              } else {
                const [start, end] = compareBytes(o.a, o.b) <= 0 ? [o.a, o.b] : [o.b, o.a];
                const got = await tx.getRange({ start, end }, { limit: o.limit, reverse: o.reverse });
                assert.deepEqual(pairs(got), local.range(start, end, o.limit, o.reverse), where);
              }
            }
            if (fail) throw new Error("rolled back on purpose");
            return local;
          });
          if (fail) await assert.rejects(async () => attempt, /on purpose/);
          else committed = await attempt;
        }
        const everything = { start: new Uint8Array(0), end: new Uint8Array([0xff]) };
        assert.deepEqual(await dump(engine), committed.range(everything.start, everything.end, 0, false));
      });
    });
  });
}
