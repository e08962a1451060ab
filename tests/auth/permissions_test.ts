// What restricted tokens may do, over the whole command table: a read-only
// token gets NOPERM for every write command and writes nothing; a token
// limited to key prefixes gets NOPERM for any command naming a key outside
// them, a multi-key command with one key outside is refused whole, and the
// keyspace-wide commands (KEYS, SCAN, DBSIZE, RANDOMKEY, FLUSHDB, FLUSHALL)
// see and touch only keys under the prefixes.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { attenuateToken } from "../../src/auth/tokens.ts";
import type { RawClient } from "../support/raw_client.ts";
import { FIXTURE, keyIndexes, tableCommands, type TableCommand } from "./command_argv.ts";
import {
  type AuthServer, bulk, bulkStrings, enginePicture, NO_KEY_PERMISSION, noPermission, OK, rawAuthed, startAuthServer,
} from "./support.ts";

const TENANT = "kv_perm";

/** FLUSHALL, then the fixture (every type under "user:") plus keys under "cache:" and outside both prefixes. */
async function resetFixture(full: RawClient): Promise<void> {
  assert.equal(await full.call("SELECT", "0"), OK);
  assert.equal(await full.call("FLUSHALL"), OK);
  for (const argv of FIXTURE) assert.doesNotMatch(await full.call(...argv), /^-/, argv.join(" "));
  assert.equal(await full.call("MSET", "cache:1", "c", "other:1", "o", "use", "u", "user", "u"), OK);
}

const writeCommands = (): TableCommand[] => tableCommands().filter((c) => c.spec.flags.includes("write"));
const keyedCommands = (): TableCommand[] => tableCommands().filter((c) => keyIndexes(c).length > 0);

/** The line with the keys at `positions` renamed outside the prefixes. */
function withOutsideKeys(command: TableCommand, positions: readonly number[]): string[] {
  const argv = [...command.argv];
  for (const i of positions) argv[i] = `other:${i}`;
  return argv;
}

describe("read-only tokens", () => {
  let s: AuthServer;
  let full: RawClient;
  before(async () => {
    s = await startAuthServer();
    full = await rawAuthed(s.port, await s.mint(TENANT));
  });
  after(async () => {
    full.close();
    await s.stop();
  });

  test("each known write line changes the data when the token may write (so the refusals below mean something)", async () => {
    for (const command of writeCommands().filter((c) => c.crafted)) {
      await resetFixture(full);
      const before = await enginePicture(s.server);
      assert.doesNotMatch(await full.call(...command.argv), /^-/, command.argv.join(" "));
      assert.notEqual(await enginePicture(s.server), before, `${command.argv.join(" ")} changed nothing`);
    }
  });

  for (const kind of ["minted read-only", "attenuated to read-only"] as const) {
    test(`a ${kind} token gets NOPERM naming the command for every write command, and nothing changes`, async () => {
      const token = kind === "minted read-only"
        ? await s.mint(TENANT, { readOnly: true })
        : await attenuateToken(await s.mint(TENANT), [s.root.publicKeyText], { readOnly: true });
      await resetFixture(full);
      const before = await enginePicture(s.server);
      const client = await rawAuthed(s.port, token);
      try {
        const writes = writeCommands();
        assert.ok(writes.length >= 60, `only ${writes.length} write commands in the table`);
        for (const command of writes) {
          assert.equal(await client.call(...command.argv), noPermission(command.fullName), command.argv.join(" "));
        }
        // Upper or mixed case on the wire, lower case in the error, as Redis.
        assert.equal(await client.call("SeT", "user:s", "v"), noPermission("set"));
        assert.equal(await client.call("JSON.SET", "user:j", "$", "1"), noPermission("json.set"));
        // Queued writes are refused when queued; EXEC then discards the transaction.
        assert.equal(await client.call("MULTI"), OK);
        assert.equal(await client.call("GET", "user:s"), "+QUEUED\r\n");
        assert.equal(await client.call("INCR", "user:s"), noPermission("incr"));
        assert.equal(await client.call("EXEC"), "-EXECABORT Transaction discarded because of previous errors.\r\n");
        assert.equal(await enginePicture(s.server), before, "a refused write changed the data");

        // Reads still work.
        assert.equal(await client.call("GET", "user:s"), bulk("10"));
        assert.equal(await client.call("HGET", "user:h", "f"), bulk("1"));
        assert.equal(await client.call("LRANGE", "user:l", "0", "-1"), "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
        assert.equal(await client.call("DBSIZE"), ":11\r\n");
        assert.equal(bulkStrings(await client.call("KEYS", "user:s*")).sort().join(","), "user:s,user:set,user:set2");
        assert.match(await client.call("SCAN", "0", "COUNT", "100"), /^\*2\r\n\$1\r\n0\r\n\*11\r\n/);
        assert.equal(await client.call("EXISTS", "user:s", "user:h", "nope"), ":2\r\n");
        assert.equal(await client.call("MULTI"), OK);
        assert.equal(await client.call("GET", "user:s"), "+QUEUED\r\n");
        assert.equal(await client.call("EXEC"), `*1\r\n${bulk("10")}`);
        assert.equal(await client.call("SELECT", "3"), OK, "SELECT is not a write");
        assert.equal(await client.call("GET", "user:s"), "$-1\r\n");
      } finally {
        client.close();
      }
    });
  }
});

describe("prefix-limited tokens (user: and cache:)", () => {
  let s: AuthServer;
  let full: RawClient;
  let scoped: RawClient;
  before(async () => {
    s = await startAuthServer();
    full = await rawAuthed(s.port, await s.mint(TENANT));
    scoped = await rawAuthed(s.port, await s.mint(TENANT, { prefixes: ["user:", "cache:"] }));
  });
  after(async () => {
    full.close();
    scoped.close();
    await s.stop();
  });

  test("every command naming keys, with its keys outside the prefixes, gets NOPERM and writes nothing", async () => {
    await resetFixture(full);
    const before = await enginePicture(s.server);
    const keyed = keyedCommands();
    assert.ok(keyed.length >= 100, `only ${keyed.length} commands with keys`);
    for (const command of keyed) {
      const argv = withOutsideKeys(command, keyIndexes(command));
      assert.equal(await scoped.call(...argv), NO_KEY_PERMISSION, argv.join(" "));
    }
    assert.equal(await enginePicture(s.server), before);
  });

  test("every multi-key command with one key outside (each position in turn) is refused whole", async () => {
    await resetFixture(full);
    const before = await enginePicture(s.server);
    const multiKey = keyedCommands().filter((c) => keyIndexes(c).length >= 2);
    const names = multiKey.map((c) => c.fullName);
    for (const expected of ["mset", "msetnx", "del", "unlink", "exists", "rename", "renamenx", "copy", "smove", "lmove", "rpoplpush",
      "sinterstore", "sunionstore", "sdiffstore", "sunion", "sinter", "sdiff", "sintercard", "mget", "bitop", "touch", "watch", "json.mget"]) {
      assert.ok(names.includes(expected), `${expected} should be found as a multi-key command`);
    }
    for (const command of multiKey) {
      for (const position of keyIndexes(command)) {
        const argv = withOutsideKeys(command, [position]);
        assert.equal(await scoped.call(...argv), NO_KEY_PERMISSION, argv.join(" "));
      }
    }
    assert.equal(await enginePicture(s.server), before, "a refused multi-key command wrote something");
    // Keys under different allowed prefixes mix freely.
    assert.equal(await scoped.call("MSET", "user:m", "1", "cache:m", "2"), OK);
    assert.equal(await scoped.call("MGET", "user:m", "cache:m"), `*2\r\n${bulk("1")}${bulk("2")}`);
  });

  test("the same lines with keys inside the prefixes are not refused for permissions", async () => {
    await resetFixture(full);
    for (const command of keyedCommands()) {
      if (command.fullName === "flushall" || command.fullName === "flushdb") continue;
      const reply = await scoped.call(...command.argv);
      assert.doesNotMatch(reply, /^-NOPERM/, command.argv.join(" "));
    }
    assert.equal(await scoped.call("UNWATCH"), OK);
  });

  test("a transaction with a command naming an outside key is discarded whole", async () => {
    await resetFixture(full);
    assert.equal(await scoped.call("MULTI"), OK);
    assert.equal(await scoped.call("SET", "user:tx", "1"), "+QUEUED\r\n");
    assert.equal(await scoped.call("SET", "other:tx", "1"), NO_KEY_PERMISSION);
    assert.equal(await scoped.call("EXEC"), "-EXECABORT Transaction discarded because of previous errors.\r\n");
    assert.equal(await full.call("EXISTS", "user:tx", "other:tx"), ":0\r\n");
  });

  describe("keyspace-wide commands see only the prefixes", () => {
    const inside = ["cache:1", "cache:2", "cache:3", "user:1", "user:2", "user:3", "user:4", "user:5"];
    const outside = ["other:1", "other:2", "other:3", "other:4", "use", "user", "cachex", "USER:1"];

    /** The same keys in databases 0 and 3, written with the full token. */
    async function seed(): Promise<void> {
      assert.equal(await full.call("FLUSHALL"), OK);
      for (const db of ["3", "0"]) {
        assert.equal(await full.call("SELECT", db), OK);
        assert.equal(await full.call("MSET", ...[...inside, ...outside].flatMap((k) => [k, `v-${k}`])), OK);
      }
      assert.equal(await full.call("HSET", "user:h", "f", "v"), ":1\r\n");
      assert.equal(await full.call("RPUSH", "other:l", "a"), ":1\r\n");
    }

    async function keysOf(client: RawClient, db: string): Promise<string[]> {
      assert.equal(await client.call("SELECT", db), OK);
      return bulkStrings(await client.call("KEYS", "*")).sort();
    }

    async function scanAll(client: RawClient, extra: string[]): Promise<{ keys: string[]; pages: number }> {
      let cursor = "0";
      const keys: string[] = [];
      let pages = 0;
      do {
        const reply = await client.call("SCAN", cursor, ...extra);
        const [next, ...page] = bulkStrings(reply);
        cursor = next!;
        keys.push(...page);
        pages++;
        assert.ok(pages < 100, "SCAN does not end");
      } while (cursor !== "0");
      return { keys: keys.sort(), pages };
    }

    test("KEYS and SCAN (with and without MATCH and TYPE, paging with COUNT 2)", async () => {
      await seed();
      assert.equal(await scoped.call("SELECT", "0"), OK);
      const expected = [...inside, "user:h"].sort();
      assert.deepEqual(bulkStrings(await scoped.call("KEYS", "*")), expected);
      assert.deepEqual(bulkStrings(await scoped.call("KEYS", "u*")).sort(), ["user:1", "user:2", "user:3", "user:4", "user:5", "user:h"]);
      assert.deepEqual(bulkStrings(await scoped.call("KEYS", "*1")).sort(), ["cache:1", "user:1"]);
      assert.deepEqual(bulkStrings(await scoped.call("KEYS", "other*")), []);
      assert.deepEqual(bulkStrings(await scoped.call("KEYS", "us*")).length, 6);

      const all = await scanAll(scoped, ["COUNT", "2"]);
      assert.deepEqual([...new Set(all.keys)].sort(), expected);
      assert.ok(all.pages >= 3, `SCAN COUNT 2 should page, took ${all.pages} page(s)`);
      assert.deepEqual((await scanAll(scoped, ["MATCH", "cache:*", "COUNT", "2"])).keys, ["cache:1", "cache:2", "cache:3"]);
      assert.deepEqual((await scanAll(scoped, ["MATCH", "other:*", "COUNT", "2"])).keys, []);
      assert.deepEqual((await scanAll(scoped, ["MATCH", "*", "TYPE", "hash"])).keys, ["user:h"]);
      assert.deepEqual((await scanAll(scoped, ["TYPE", "list"])).keys, []);
      // The full token of the same tenant sees everything.
      assert.equal((await keysOf(full, "0")).length, inside.length + outside.length + 2);
    });

    test("DBSIZE counts and RANDOMKEY picks only keys under the prefixes", async () => {
      await seed();
      assert.equal(await scoped.call("SELECT", "0"), OK);
      assert.equal(await scoped.call("DBSIZE"), `:${inside.length + 1}\r\n`);
      assert.equal(await full.call("SELECT", "0"), OK);
      assert.equal(await full.call("DBSIZE"), `:${inside.length + outside.length + 2}\r\n`);
      const picked = new Set<string>();
      for (let i = 0; i < 40; i++) picked.add(bulkStrings(await scoped.call("RANDOMKEY"))[0]!);
      for (const key of picked) assert.ok([...inside, "user:h"].includes(key), `RANDOMKEY gave ${key}`);
      assert.ok(picked.size >= 3, `RANDOMKEY always gave one of ${[...picked].join(", ")}`);
      assert.equal(await scoped.call("SELECT", "5"), OK);
      assert.equal(await scoped.call("RANDOMKEY"), "$-1\r\n");
      assert.equal(await scoped.call("DBSIZE"), ":0\r\n");
    });

    test("FLUSHDB deletes only the keys under the prefixes of the selected database; FLUSHALL those of every database", async () => {
      await seed();
      assert.equal(await scoped.call("SELECT", "0"), OK);
      assert.equal(await scoped.call("FLUSHDB"), OK);
      assert.deepEqual(await keysOf(full, "0"), [...outside, "other:l"].sort());
      assert.deepEqual(await keysOf(full, "3"), [...inside, ...outside].sort());
      assert.equal(await full.call("SELECT", "0"), OK);
      assert.equal(await full.call("LRANGE", "other:l", "0", "-1"), "*1\r\n$1\r\na\r\n");

      await seed();
      assert.equal(await scoped.call("FLUSHALL"), OK);
      assert.deepEqual(await keysOf(full, "0"), [...outside, "other:l"].sort());
      assert.deepEqual(await keysOf(full, "3"), [...outside].sort());
      assert.equal(await scoped.call("SELECT", "3"), OK);
      assert.equal(await scoped.call("DBSIZE"), ":0\r\n");
      // DBSIZE of the full token agrees with KEYS: the counters stayed right.
      assert.equal(await full.call("SELECT", "3"), OK);
      assert.equal(await full.call("DBSIZE"), `:${outside.length}\r\n`);
    });

    test("an attenuation narrows the prefixes (intersection); disjoint prefixes leave no key at all", async () => {
      await seed();
      const base = await s.mint(TENANT, { prefixes: ["user:", "cache:"] });
      const narrower = await attenuateToken(base, [s.root.publicKeyText], { prefixes: ["user:1", "other:"] });
      const disjoint = await attenuateToken(await s.mint(TENANT, { prefixes: ["user:"] }), [s.root.publicKeyText], { prefixes: ["cache:"] });
      const a = await rawAuthed(s.port, narrower);
      const b = await rawAuthed(s.port, disjoint);
      try {
        assert.deepEqual(bulkStrings(await a.call("KEYS", "*")), ["user:1"]);
        assert.equal(await a.call("GET", "user:1"), bulk("v-user:1"));
        assert.equal(await a.call("GET", "user:2"), NO_KEY_PERMISSION);
        assert.equal(await a.call("GET", "other:1"), NO_KEY_PERMISSION, "a prefix the parent does not allow stays refused");
        assert.deepEqual(bulkStrings(await b.call("KEYS", "*")), []);
        assert.equal(await b.call("DBSIZE"), ":0\r\n");
        assert.equal(await b.call("GET", "user:1"), NO_KEY_PERMISSION);
        assert.equal(await b.call("GET", "cache:1"), NO_KEY_PERMISSION);
        assert.equal(await b.call("FLUSHALL"), OK);
        assert.equal((await keysOf(full, "0")).length, inside.length + outside.length + 2, "a scope without keys flushes nothing");
      } finally {
        a.close();
        b.close();
      }
    });
  });
});
