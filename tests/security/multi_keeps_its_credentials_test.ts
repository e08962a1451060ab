// AUTH or HELLO ... AUTH queued inside MULTI used to switch the connection to
// another tenant for the rest of EXEC, beyond the second token's rights
// (read-only, prefix) and metered to no one. Credentials now cannot change
// inside a transaction: the command is refused and EXEC answers EXECABORT.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { type AuthServer, bulk, bulkStrings, OK, rawAuthed, startAuthServer, withRaw } from "../auth/support.ts";

const AUTH_IN_MULTI = "-ERR AUTH is not allowed inside MULTI: a transaction runs under the credentials it started with; authenticate before MULTI\r\n";
const EXECABORT = "-EXECABORT Transaction discarded because of previous errors.\r\n";

describe("credentials inside MULTI", () => {
  let s: AuthServer;
  let attacker: string;
  let victim: string;
  let victimReadOnly: string;
  before(async () => {
    s = await startAuthServer({ storageQuotaBytes: 1024 * 1024 });
    attacker = await s.mint("kv_b");
    victim = await s.mint("kv_ab");
    victimReadOnly = await s.mint("kv_ab", { readOnly: true, prefixes: ["pub:"] });
    await withRaw(s.port, victim, async (c) => {
      assert.equal(await c.call("SET", "secret:1", "the victim's secret"), OK);
    });
  });
  after(() => s.stop());

  for (const [how, authArgs] of [
    ["AUTH <token>", (token: string) => ["AUTH", token]],
    ["AUTH <user> <token>", (token: string) => ["AUTH", "default", token]],
    ["HELLO 2 AUTH default <token>", (token: string) => ["HELLO", "2", "AUTH", "default", token]],
    ["HELLO 3 SETNAME x AUTH default <token>", (token: string) => ["HELLO", "3", "SETNAME", "x", "AUTH", "default", token]],
  ] as const) {
    test(`${how} queued in MULTI is refused and EXEC touches nothing of the other tenant`, async () => {
      const c = await rawAuthed(s.port, attacker);
      try {
        assert.equal(await c.call("MULTI"), OK);
        assert.equal(await c.call(...authArgs(victimReadOnly)), AUTH_IN_MULTI);
        assert.equal(await c.call("GET", "secret:1"), "+QUEUED\r\n");
        assert.equal(await c.call("SET", "secret:1", "x".repeat(3 * 1024 * 1024)), "+QUEUED\r\n");
        assert.equal(await c.call("KEYS", "*"), "+QUEUED\r\n");
        assert.equal(await c.call("EXEC"), EXECABORT);
        // The connection is still the attacker's own tenant, which has no such key.
        assert.equal(await c.call("GET", "secret:1"), "$-1\r\n");
        assert.deepEqual(bulkStrings(await c.call("KEYS", "*")), []);
      } finally {
        c.close();
      }
      await withRaw(s.port, victim, async (v) => {
        assert.equal(await v.call("GET", "secret:1"), bulk("the victim's secret"));
        assert.deepEqual(bulkStrings(await v.call("KEYS", "*")), ["secret:1"]);
      });
    });
  }

  test("HELLO without AUTH still switches the protocol inside MULTI, as in Redis", async () => {
    await withRaw(s.port, attacker, async (c) => {
      assert.equal(await c.call("MULTI"), OK);
      assert.equal(await c.call("HELLO", "2"), "+QUEUED\r\n");
      assert.equal(await c.call("SET", "mine", "1"), "+QUEUED\r\n");
      const replies = await c.call("EXEC");
      assert.match(replies, /^\*2\r\n\*14\r\n/);
      assert.ok(replies.endsWith("+OK\r\n"));
    });
  });

  test("AUTH outside MULTI still switches tenants (the refusal is only inside a transaction)", async () => {
    await withRaw(s.port, attacker, async (c) => {
      assert.equal(await c.call("AUTH", victim), OK);
      assert.equal(await c.call("GET", "secret:1"), bulk("the victim's secret"));
    });
  });
});
