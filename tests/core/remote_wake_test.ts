// RemoteWake (core/remote_wake.ts) with a fake transaction that offers
// watch: watches are made only by attempts that block, on the keys' meta
// keys; the first to fire wakes once and cancels the rest; stop frees all.
// The real thing, across two FoundationDB engines: tests/fdb/blocking_test.ts.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { WOULD_BLOCK } from "../../src/core/executor.ts";
import type { OpContext, Operation } from "../../src/core/operation.ts";
import { RemoteWake } from "../../src/core/remote_wake.ts";
import type { KeyWatch, Txn } from "../../src/engine/contract.ts";
import { databaseMapKey } from "../../src/model/database_map.ts";
import { Keyspace } from "../../src/model/keyspace.ts";

const enc = (text: string): Uint8Array => new TextEncoder().encode(text);

class FakeWatch implements KeyWatch {
  readonly changed: Promise<void>;
  fire!: () => void;
  cancelled = false;
  constructor(readonly key: Uint8Array) {
    this.changed = new Promise((resolve) => (this.fire = resolve));
  }
  cancel(): void {
    this.cancelled = true;
  }
}

function fakeContext(watches: FakeWatch[]): OpContext {
  const tx = { watch: (key: Uint8Array) => watches[watches.push(new FakeWatch(key)) - 1]! } as unknown as Txn;
  return { tx, ks: new Keyspace("t", 0), nowMs: 0, effects: undefined as never };
}

describe("RemoteWake", () => {
  let answer: string | typeof WOULD_BLOCK = WOULD_BLOCK;
  const op: Operation<string[], string | typeof WOULD_BLOCK> = {
    name: "pop",
    access: "write",
    writes: true,
    reads: true,
    keys: (keys) => keys.map(enc),
    run: () => answer,
  };

  test("an attempt that blocks watches each key's meta key and the tenant's database map; the first fire wakes once and cancels the others", async () => {
    let woken = 0;
    const remote = new RemoteWake(op, WOULD_BLOCK, [enc("a"), enc("b")], () => woken++);
    const watches: FakeWatch[] = [];
    assert.equal(remote.op.run(fakeContext(watches), ["a", "b"]), WOULD_BLOCK);
    assert.equal(remote.op.name, "pop");
    const ks = new Keyspace("t", 0);
    assert.deepEqual(watches.map((w) => w.key), [ks.metaKey(enc("a")), ks.metaKey(enc("b")), databaseMapKey("t")]);
    remote.arm();
    watches[1]!.fire();
    watches[0]!.fire();
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.equal(woken, 1);
    assert.deepEqual(watches.map((w) => w.cancelled), [true, true, true]);
  });

  test("a SWAPDB (the database map's watch firing) wakes the waiter as a write of its first key", async () => {
    const wokenBy: string[] = [];
    const remote = new RemoteWake(op, WOULD_BLOCK, [enc("a"), enc("b")], (key) => wokenBy.push(new TextDecoder().decode(key)));
    const watches: FakeWatch[] = [];
    remote.op.run(fakeContext(watches), ["a", "b"]);
    remote.arm();
    watches[2]!.fire();
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(wokenBy, ["a"]);
  });

  test("an attempt that does something makes no watch; stop cancels an armed round", () => {
    const remote = new RemoteWake(op, WOULD_BLOCK, [enc("a"), enc("b")], () => {});
    const watches: FakeWatch[] = [];
    answer = "value";
    assert.equal(remote.op.run(fakeContext(watches), ["a"]), "value");
    assert.equal(watches.length, 0);
    answer = WOULD_BLOCK;
    remote.op.run(fakeContext(watches), ["a"]);
    remote.arm();
    remote.stop();
    assert.equal(watches[0]!.cancelled, true);
  });
});
