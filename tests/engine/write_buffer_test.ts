import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { KeyRange, KeyValue, RangeOptions } from "../../src/engine/contract.ts";
import { OrderedMap } from "../../src/engine/ordered_map.ts";
import { type BaseReader, WriteBuffer } from "../../src/engine/write_buffer.ts";
import { EngineError } from "../../src/engine/errors.ts";
import { MAX_TRANSACTION_MS } from "../../src/engine/limits.ts";
import { b, pairs } from "./conformance_cases.ts";

/** A base over an OrderedMap that counts what it is asked to read. */
class CountingBase implements BaseReader {
  readonly map = new OrderedMap<Uint8Array>();
  pairsRead = 0;
  scans = 0;
  get(key: Uint8Array): Uint8Array | undefined {
    return this.map.get(key);
  }
  scan(range: KeyRange, options: RangeOptions): KeyValue[] {
    this.scans++;
    const out = this.map.scan(range, options);
    this.pairsRead += out.length;
    return out;
  }
}

const key = (n: number): Uint8Array => b(`k${String(n).padStart(6, "0")}`);

function bigBase(n: number): CountingBase {
  const base = new CountingBase();
  for (let i = 0; i < n; i++) base.map.set(key(i), b(String(i)));
  return base;
}

describe("WriteBuffer", () => {
  test("a limited getRange over a large base reads about what it returns, not the whole range", () => {
    const base = bigBase(100_000);
    const tx = new WriteBuffer(base, { clock: () => 0 });
    tx.set(key(5), b("mine"));
    tx.clear(key(2));
    const page = tx.getRangeNow({ start: key(0), end: key(100_000) }, { limit: 10 }, false);
    assert.deepEqual(
      pairs(page).slice(0, 4),
      ["k000000=0", "k000001=1", "k000003=3", "k000004=4"],
    );
    assert.equal(page.length, 10);
    assert.ok(base.pairsRead <= 40, `read ${base.pairsRead} pairs for 10`);
    base.pairsRead = 0;
    const back = tx.getRangeNow({ start: key(0), end: key(100_000) }, { limit: 3, reverse: true }, false);
    assert.deepEqual(pairs(back), ["k099999=99999", "k099998=99998", "k099997=99997"]);
    assert.ok(base.pairsRead <= 12);
  });

  test("buffered clears hiding many base keys make later pages bigger, not more numerous", () => {
    const base = bigBase(20_000);
    const tx = new WriteBuffer(base, { clock: () => 0 });
    for (let i = 0; i < 5000; i++) tx.clear(key(i));
    const page = tx.getRangeNow({ start: key(0), end: key(20_000) }, { limit: 2 }, false);
    assert.deepEqual(pairs(page), ["k005000=5000", "k005001=5001"]);
    assert.ok(base.scans < 20, `${base.scans} scans`);
  });

  test("a cleared range is skipped in the base without reading it", () => {
    const base = bigBase(50_000);
    const tx = new WriteBuffer(base, { clock: () => 0 });
    tx.clearRange({ start: key(0), end: key(49_990) });
    const rest = tx.getRangeNow({ start: key(0), end: key(50_000) }, undefined, false);
    assert.equal(rest.length, 10);
    assert.equal(base.pairsRead, 10);
  });

  test("the final mutation list is cleared ranges first, then one entry per key in key order", () => {
    const tx = new WriteBuffer(new CountingBase(), { clock: () => 0 });
    tx.set(b("c"), b("1"));
    tx.add(b("a"), 2n);
    tx.clearRange({ start: b("b"), end: b("d") });
    tx.clearRange({ start: b("d"), end: b("e") });
    tx.set(b("bb"), b("2"));
    tx.clear(b("z"));
    tx.add(b("a"), 3n);
    assert.deepEqual(tx.mutations(), [
      { type: "clearRange", start: b("b"), end: b("e") },
      { type: "add", key: b("a"), delta: 5n },
      { type: "set", key: b("bb"), value: b("2") },
      { type: "clear", key: b("z") },
    ]);
  });

  test("reads record conflict ranges only when tracking, never for snapshot reads or own writes", () => {
    const base = bigBase(10);
    const tx = new WriteBuffer(base, { clock: () => 0, trackReads: true });
    tx.getNow(key(1), false);
    tx.getNow(key(2), true);
    tx.set(key(3), b("x"));
    tx.getNow(key(3), false);
    tx.add(key(4), 1n);
    tx.getRangeNow({ start: key(0), end: key(9) }, { limit: 2 }, false);
    tx.getRangeNow({ start: key(0), end: key(9) }, { limit: 2, reverse: true }, false);
    tx.getRangeNow({ start: key(0), end: key(9) }, undefined, true);
    assert.deepEqual(tx.readConflictStarts, [key(1), key(0), key(7)]);
    assert.deepEqual(tx.readConflictEnds, [null, b("k000001\0"), key(9)]);
  });

  test("reads and the final check after 5 s throw transaction_timed_out", () => {
    let now = 0;
    const tx = new WriteBuffer(new CountingBase(), { clock: () => now });
    tx.set(b("a"), b("1"));
    now = MAX_TRANSACTION_MS + 1;
    const timedOut = (e: unknown): boolean => e instanceof EngineError && e.code === "transaction_timed_out";
    assert.throws(() => tx.getNow(b("a"), false), timedOut);
    assert.throws(() => tx.getRangeNow({ start: b("a"), end: b("b") }, undefined, true), timedOut);
    assert.throws(() => tx.finish(), timedOut);
  });
});
