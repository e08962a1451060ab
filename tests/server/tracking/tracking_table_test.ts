// The default-mode tracking table (src/server/tracking/tracking_table.ts) and
// the BCAST batches (broadcasts.ts): limits, eviction order, tenants,
// databases, batching.
import { test } from "node:test";
import assert from "node:assert/strict";
import { effectiveMaxKeys, TRACKING_TABLE_HARD_MAX_KEYS, TrackingTable } from "../../../src/server/tracking/tracking_table.ts";
import { BroadcastTable } from "../../../src/server/tracking/broadcasts.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

test("a key is remembered once per tenant and database, with every reader, and forgotten when taken", () => {
  const table = new TrackingTable();
  const a0 = { tenant: "a", db: 0 };
  assert.deepEqual(table.remember(a0, bytes("k"), 1, 10), []);
  assert.deepEqual(table.remember(a0, bytes("k"), 2, 10), []);
  table.remember({ tenant: "a", db: 1 }, bytes("k"), 1, 10);
  table.remember({ tenant: "b", db: 0 }, bytes("k"), 3, 10);
  assert.equal(table.size, 3);
  assert.deepEqual([...table.take("a", 0, bytes("k"))!.readers], [1, 2]);
  assert.equal(table.take("a", 0, bytes("k")), undefined, "invalidated once, then forgotten");
  assert.deepEqual([...table.take("b", 0, bytes("k"))!.readers], [3]);
  assert.equal(table.size, 1);
});

test("past the limit the oldest key of the reading tenant is evicted first, else one of the tenant holding most", () => {
  const table = new TrackingTable();
  table.remember({ tenant: "big", db: 0 }, bytes("b1"), 1, 3);
  table.remember({ tenant: "big", db: 0 }, bytes("b2"), 1, 3);
  table.remember({ tenant: "small", db: 0 }, bytes("s1"), 2, 3);
  const evicted = table.remember({ tenant: "small", db: 0 }, bytes("s2"), 2, 3);
  assert.deepEqual(evicted.map((e) => `${e.tenant}:${text(e.key)}`), ["small:s1"]);
  const fromBig = table.remember({ tenant: "new", db: 0 }, bytes("n1"), 3, 3);
  assert.deepEqual(fromBig.map((e) => `${e.tenant}:${text(e.key)}`), ["big:b1"]);
  assert.equal(table.size, 3);
  // A lowered limit evicts down to it at the next key.
  assert.equal(table.remember({ tenant: "new", db: 0 }, bytes("n2"), 3, 1).length, 3);
  assert.equal(table.size, 1);
});

test("FLUSHDB forgets one database of the tenant, FLUSHALL all of them, other tenants untouched", () => {
  const table = new TrackingTable();
  for (const db of [0, 1]) for (const tenant of ["a", "b"]) table.remember({ tenant, db }, bytes("k"), 1, 100);
  table.forget("a", 1);
  assert.equal(table.size, 3);
  assert.ok(table.take("a", 0, bytes("k")));
  table.remember({ tenant: "a", db: 0 }, bytes("k"), 1, 100);
  table.forget("a", undefined);
  assert.equal(table.size, 2);
  assert.ok(table.take("b", 1, bytes("k")));
});

test("tracking-table-max-keys 0 (Redis: no limit) and huge values are capped", () => {
  assert.equal(effectiveMaxKeys(0), TRACKING_TABLE_HARD_MAX_KEYS);
  assert.equal(effectiveMaxKeys(Number.MAX_SAFE_INTEGER), TRACKING_TABLE_HARD_MAX_KEYS);
  assert.equal(effectiveMaxKeys(5), 5);
});

test("BCAST batches: per prefix in byte order, keys sorted and once each with their last writer, per tenant", () => {
  const table = new BroadcastTable<{ id: number; noloop: boolean }>();
  const x = { id: 1, noloop: false };
  const y = { id: 2, noloop: true };
  table.add("t", bytes("user:"), x);
  table.add("t", bytes("a"), x);
  table.add("t", bytes(""), y);
  assert.equal(table.written("t", bytes("user:2"), 7), true);
  table.written("t", bytes("user:1"), 7);
  table.written("t", bytes("user:2"), 2);
  table.written("t", bytes("zz"), undefined);
  assert.equal(table.written("other", bytes("user:3"), 7), false, "another tenant's write reaches no prefix of this one");
  const batches = table.take();
  assert.deepEqual(batches.map((b) => ({ clients: b.clients.map((c) => c.id), keys: b.keys.map((k) => `${text(k.key)}@${k.writer}`) })), [
    { clients: [2], keys: ["user:1@7", "user:2@2", "zz@undefined"] },
    { clients: [1], keys: ["user:1@7", "user:2@2"] },
  ]);
  assert.deepEqual(table.take(), [], "a batch is sent once");
  table.remove("t", bytes("user:"), x);
  table.remove("t", bytes("a"), x);
  table.remove("t", bytes(""), y);
  assert.equal(table.empty, true);
});
