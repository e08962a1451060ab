// WATCH + FLUSHDB used to be quadratic: one connection watching 40,000 keys
// made another tenant's FLUSHDB walk every watched key of every watcher once
// per watched key (13 s with 40,000 keys, every client frozen). FLUSHDB and
// FLUSHALL now touch each watching connection of their scope once.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { InMemoryWatchRegistry } from "../../src/server/watch_registry.ts";
import type { WatchState } from "../../src/commands/spec.ts";
import { keyId as watchId } from "../../src/core/key_id.ts";
import type { Keyspace } from "../../src/model/keyspace.ts";
import { type AuthServer, OK, rawAuthed, startAuthServer } from "../auth/support.ts";

const enc = new TextEncoder();

describe("WATCH and FLUSHDB", () => {
  let s: AuthServer;
  before(async () => {
    s = await startAuthServer();
  });
  after(() => s.stop());

  test("FLUSHDB of one tenant while another watches 10,000 keys in several connections answers at once, and only that tenant's watches break", async () => {
    const watcherToken = await s.mint("kv_watcher");
    const flusherToken = await s.mint("kv_flusher");
    const watchers = await Promise.all(Array.from({ length: 4 }, () => rawAuthed(s.port, watcherToken)));
    const flusher = await rawAuthed(s.port, flusherToken);
    const flusherWatch = await rawAuthed(s.port, flusherToken);
    try {
      const keys = Array.from({ length: 10_000 }, (_, i) => `key:${i}`);
      for (const w of watchers) assert.equal(await w.call("WATCH", ...keys), OK);
      assert.equal(await flusherWatch.call("WATCH", "key:1"), OK);
      const started = performance.now();
      for (let i = 0; i < 20; i++) assert.equal(await flusher.call("FLUSHDB"), OK);
      const elapsedMs = performance.now() - started;
      // Quadratic bookkeeping took minutes here; linear takes well under a second on any machine.
      assert.ok(elapsedMs < 5_000, `20 FLUSHDB took ${elapsedMs.toFixed(0)} ms`);
      // The flushing tenant's own watch broke; the other tenant's did not.
      assert.equal(await flusherWatch.call("MULTI"), OK);
      assert.equal(await flusherWatch.call("EXEC"), "*-1\r\n");
      for (const w of watchers) {
        assert.equal(await w.call("MULTI"), OK);
        assert.equal(await w.call("EXEC"), "*0\r\n");
      }
    } finally {
      for (const w of watchers) w.close();
      flusher.close();
      flusherWatch.close();
    }
  });
});

test("the watch registry touches each watching connection of a tenant once per FLUSHDB, whatever the number of keys", () => {
  const registry = new InMemoryWatchRegistry();
  const ks = (tenant: string, db: number) => ({ tenant, db }) as unknown as Keyspace;
  let reads = 0;
  const state = { keys: new Map(), keyBytes: 0, changed: false } as WatchState;
  // Count how often the registry looks at the watch's keys: FLUSHDB must not walk them.
  const keys = new Map<string, { ks: Keyspace; key: Uint8Array; existed: boolean }>();
  for (let i = 0; i < 50_000; i++) {
    const key = enc.encode(`k${i}`);
    const entry = { ks: ks("t", i % 2), key, existed: false };
    keys.set(watchId(entry.ks, key), entry);
    registry.add(state, entry.ks, key);
  }
  Object.defineProperty(state, "keys", { get: () => (reads++, keys) });
  registry.touchAll("other", undefined);
  assert.equal(state.changed, false);
  registry.touchAll("t", 5);
  assert.equal(state.changed, false);
  registry.touchAll("t", 1);
  assert.equal(state.changed, true);
  assert.equal(reads, 0);
  registry.remove(state);
  assert.equal(registry.watching, false);
  state.changed = false;
  registry.touchAll("t", undefined);
  assert.equal(state.changed, false, "a removed watch is no longer touched");
});
