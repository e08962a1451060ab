// The keyspace events of each command family against a real redis-server
// 7.0: the same sequence runs on both, and the messages a `__key*__:*`
// subscriber of Redis receives must equal the messages Materia's events
// give (recorded after commit, turned into channel messages under the
// tenant's setting). Skipped without redis-server.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { redisServerAvailable } from "../support/redis_server.ts";
import { type EventTarget, materiaTarget, redisTarget } from "../support/keyspace_events.ts";
import { EVENT_CASES } from "./keyspace_events_cases.ts";

const live = await redisServerAvailable();

describe("keyspace events: Materia publishes what redis-server does", { skip: live ? false : "needs redis-server" }, () => {
  const targets: Record<"lazy" | "active", { redis?: EventTarget; materia?: EventTarget }> = { lazy: {}, active: {} };
  before(async () => {
    targets.lazy = { redis: await redisTarget({ activeExpiry: false }), materia: await materiaTarget({ sweepIntervalMs: 3_600_000 }) };
  });
  /** The targets that expire keys actively, started for the last family only (see keyspace_events_cases.ts). */
  async function activeTargets(): Promise<{ redis?: EventTarget; materia?: EventTarget }> {
    if (targets.active.materia === undefined) {
      targets.active = { redis: await redisTarget({ activeExpiry: true }), materia: await materiaTarget({ sweepIntervalMs: 20 }) };
    }
    return targets.active;
  }
  after(async () => {
    for (const pair of Object.values(targets)) {
      await pair.redis?.stop();
      await pair.materia?.stop();
    }
  });

  for (const [family, cases] of Object.entries(EVENT_CASES)) {
    describe(family, () => {
      for (const script of cases) {
        test(script.name, async () => {
          const { redis, materia } = family === "active_expiry" ? await activeTargets() : targets.lazy;
          const expected = await redis!.run(script);
          const actual = await materia!.run(script);
          assert.deepEqual(actual, expected);
        });
      }
    });
  }
});
