// Each tenant's notify-keyspace-events: its own setting kept in the engine
// (it outlives the server and FLUSHALL), the server's default for the rest,
// and, on an engine several servers share, a cache re-read at most once a
// second so that a change made through one server reaches the others.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { NotificationSettings, SHARED_REFRESH_MS } from "../../src/core/notification_settings.ts";
import { NOTIFY_NONE, parseNotifyFlags } from "../../src/core/notify_keyspace_events.ts";
import type { Engine, EventLog } from "../../src/engine/contract.ts";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { flushTenant } from "../../src/model/keys.ts";

const flags = (text: string) => parseNotifyFlags(text)!;

/** The memory engine dressed as one that several servers share (an event log present). */
function sharedEngine(inner: MemoryEngine): Engine {
  const eventLog: EventLog = { append: () => Promise.resolve(), follow: () => ({ ready: Promise.resolve(), stop() {} }) };
  return { name: "shared", read: (body, options) => inner.read(body, options), write: (body, options) => inner.write(body, options), eventLog, close: () => inner.close() };
}

describe("NotificationSettings", () => {
  test("a tenant without its own setting follows the server's default, which the operator changes", () => {
    const settings = new NotificationSettings({ engine: new MemoryEngine(), clock: () => 0, defaultFlags: flags("KEA") });
    assert.equal(settings.effectiveFor("t1"), flags("KEA"));
    assert.equal(settings.notifying("t1"), true);
    settings.setDefault(NOTIFY_NONE);
    assert.equal(settings.effectiveFor("t1"), NOTIFY_NONE);
    assert.equal(settings.notifying("t1"), false);
  });

  test("a tenant's own setting applies to it alone, wins over the default, and outlives the server and FLUSHALL", async () => {
    const engine = new MemoryEngine();
    const settings = new NotificationSettings({ engine, clock: () => 0 });
    await settings.set("t1", flags("Kx"));
    assert.equal(settings.effectiveFor("t1"), flags("Kx"));
    assert.equal(settings.effectiveFor("t2"), NOTIFY_NONE);
    settings.setDefault(flags("KEA"));
    assert.equal(settings.effectiveFor("t1"), flags("Kx"));
    assert.equal(settings.effectiveFor("t2"), flags("KEA"));
    // Off by its own choice: the default does not turn it back on.
    await settings.set("t2", NOTIFY_NONE);
    assert.equal(settings.notifying("t2"), false);

    await engine.write((tx) => flushTenant(tx, "t1"));
    const restarted = new NotificationSettings({ engine, clock: () => 0, defaultFlags: flags("KEA") });
    assert.equal(restarted.effectiveFor("t1"), flags("Kx"));
    assert.equal(restarted.effectiveFor("t2"), NOTIFY_NONE);
    assert.equal(restarted.effectiveFor("t3"), flags("KEA"));
  });

  test("on a shared engine, a change made through another server applies here within a second", async () => {
    const engine = sharedEngine(new MemoryEngine());
    let now = 1_000;
    const here = new NotificationSettings({ engine, clock: () => now });
    const there = new NotificationSettings({ engine, clock: () => now });
    assert.equal(here.effectiveFor("t1"), NOTIFY_NONE);
    await there.set("t1", flags("KEA"));
    now += SHARED_REFRESH_MS - 1;
    assert.equal(here.effectiveFor("t1"), NOTIFY_NONE, "cached for up to a second");
    now += 1;
    // The re-read starts on this call; the memory engine answers it at once.
    here.effectiveFor("t1");
    await Promise.resolve();
    assert.equal(here.effectiveFor("t1"), flags("KEA"));
  });

  test("an engine that owns its data is read once per tenant: nobody else changes it", async () => {
    const inner = new MemoryEngine();
    let reads = 0;
    const counting: Engine = { name: "memory", read: (body, options) => (reads++, inner.read(body, options)), write: (body, options) => inner.write(body, options), close: () => inner.close() };
    let now = 0;
    const settings = new NotificationSettings({ engine: counting, clock: () => now });
    for (let i = 0; i < 5; i++) {
      settings.effectiveFor("t1");
      now += 10 * SHARED_REFRESH_MS;
    }
    assert.equal(reads, 1);
  });
});
