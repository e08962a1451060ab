// The access times behind OBJECT IDLETIME (src/core/access_times.ts): bounded,
// the least recently used forgotten, and a forgotten key never reported as
// idle for less than it may have been.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { AccessTimes } from "../../src/core/access_times.ts";
import { Keyspace } from "../../src/model/keyspace.ts";

const key = (name: string): Uint8Array => new TextEncoder().encode(name);

describe("AccessTimes", () => {
  test("a key not used since the start reports the time since the start", () => {
    const times = new AccessTimes({ startedAtMs: 1_000 });
    assert.equal(times.idleMs(new Keyspace("t", 0), key("k"), 6_000), 5_000);
  });

  test("keys are remembered per tenant and database: a use in one is not a use in another", () => {
    const times = new AccessTimes({ startedAtMs: 0 });
    times.touch(new Keyspace("a", 0), key("k"), 9_000);
    assert.equal(times.idleMs(new Keyspace("a", 0), key("k"), 10_000), 1_000);
    assert.equal(times.idleMs(new Keyspace("b", 0), key("k"), 10_000), 10_000);
    assert.equal(times.idleMs(new Keyspace("a", 1), key("k"), 10_000), 10_000);
    // By slot: database 1 stored in slot 0 (after a SWAPDB) holds what database 0 held.
    assert.equal(times.idleMs(new Keyspace("a", 1, undefined, undefined, 0), key("k"), 10_000), 1_000);
  });

  test("past its bound it forgets the least recently used keys, and reports forgotten ones idle at least since the latest forgotten use", () => {
    const times = new AccessTimes({ startedAtMs: 0, maxKeys: 100 });
    const ks = new Keyspace("t", 0);
    for (let i = 0; i < 100; i++) times.touch(ks, key(`old${i}`), 1_000 + i);
    // The first ten are used again late: they get a second chance.
    for (let i = 0; i < 10; i++) times.touch(ks, key(`old${i}`), 50_000);
    for (let i = 0; i < 50; i++) times.touch(ks, key(`new${i}`), 60_000 + i);
    assert.equal(times.size, 100);
    for (let i = 0; i < 10; i++) assert.equal(times.idleMs(ks, key(`old${i}`), 70_000), 20_000, `old${i} was used recently`);
    for (let i = 0; i < 50; i++) assert.equal(times.idleMs(ks, key(`new${i}`), 70_000), 10_000 - i);
    // The fifty least recently used (old10..old59) were forgotten: each is reported idle since the latest of them
    // (never longer than it is); the others exactly.
    for (let i = 10; i < 60; i++) assert.equal(times.idleMs(ks, key(`old${i}`), 70_000), 70_000 - 1_059, `old${i}`);
    for (let i = 60; i < 100; i++) assert.equal(times.idleMs(ks, key(`old${i}`), 70_000), 70_000 - (1_000 + i), `old${i}`);
  });

  test("a tenant's forgotten keys move only its own bound, not another tenant's", () => {
    const times = new AccessTimes({ startedAtMs: 0, maxKeys: 10 });
    const busy = new Keyspace("busy", 0);
    times.touch(new Keyspace("quiet", 0), key("q"), 100);
    for (let i = 0; i < 100; i++) times.touch(busy, key(`k${i}`), 1_000 + i);
    // The shared bound forgot the quiet tenant's key: its bound is that key's use (100), not the busy tenant's (1,0xx).
    assert.equal(times.idleMs(new Keyspace("quiet", 0), key("never-used"), 5_000), 4_900);
    assert.equal(times.idleMs(new Keyspace("untouched", 0), key("k0"), 5_000), 5_000);
    assert.ok(times.idleMs(busy, key("k0"), 5_000) < 5_000 - 1_000, "the busy tenant's forgotten key is bounded by its forgotten uses");
  });
});
