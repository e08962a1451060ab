// The tests of SORT and SORT_RO (src/commands/families/sort.ts): the differential
// cases of sort_cases.ts against redis-server (or its recorded replies), then
// Materia's own tests: BY and GET patterns under tenants and prefix-limited tokens.
import { family } from "./families.ts";
import { differentialSuite } from "../differential/suite.ts";
import { CASES, METADATA_COMMANDS } from "./sort_cases.ts";

differentialSuite("sort", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("sort").specs });

// Materia's own tests: what Redis has no notion of (tenants, tokens limited to
// key prefixes), and weights whose reading Redis leaves to a stale errno.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { RawClient } from "../support/raw_client.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";
import { type AuthServer, NO_KEY_PERMISSION, OK, noPermission, rawAuthed, startAuthServer } from "../auth/support.ts";

const BY_DENIED = "-ERR BY option of SORT denied due to insufficient ACL permissions.\r\n";
const GET_DENIED = "-ERR GET option of SORT denied due to insufficient ACL permissions.\r\n";

/** An array reply of bulk strings (nil as null), for a short assertion. */
function array(...items: (string | null)[]): string {
  return `*${items.length}\r\n${items.map((item) => item === null ? "$-1\r\n" : `$${Buffer.byteLength(item, "latin1")}\r\n${item}\r\n`).join("")}`;
}

describe("SORT patterns read the caller's own tenant only", () => {
  let s: AuthServer;
  let alice: RawClient;
  let bob: RawClient;
  before(async () => {
    s = await startAuthServer();
    alice = await rawAuthed(s.port, await s.mint("tenant_alice"));
    bob = await rawAuthed(s.port, await s.mint("tenant_bob"));
  });
  after(async () => {
    alice.close();
    bob.close();
    await s.stop();
  });

  test("BY and GET patterns never see another tenant's keys; STORE writes the caller's own key", async () => {
    assert.equal(await alice.call("RPUSH", "l", "1", "2", "3"), ":3\r\n");
    assert.equal(await alice.call("MSET", "w_1", "30", "w_2", "20", "w_3", "10", "n_1", "one", "n_2", "two", "n_3", "three"), OK);
    assert.equal(await alice.call("SORT", "l", "BY", "w_*", "GET", "n_*"), array("three", "two", "one"));
    assert.equal(await bob.call("RPUSH", "l", "1", "2", "3"), ":3\r\n");
    assert.equal(await bob.call("SORT", "l", "BY", "w_*", "GET", "n_*", "GET", "#"), array(null, "1", null, "2", null, "3"));
    assert.equal(await bob.call("SORT", "l", "BY", "w_*", "DESC", "STORE", "n_1"), ":3\r\n");
    assert.equal(await alice.call("GET", "n_1"), "$3\r\none\r\n", "bob's STORE wrote alice's key");
    assert.equal(await bob.call("LRANGE", "n_1", "0", "-1"), array("3", "2", "1"));
  });
});

describe("SORT under a token limited to key prefixes", () => {
  let s: AuthServer;
  let full: RawClient;
  let scoped: RawClient;
  let readOnly: RawClient;
  before(async () => {
    s = await startAuthServer();
    full = await rawAuthed(s.port, await s.mint("kv_sort"));
    scoped = await rawAuthed(s.port, await s.mint("kv_sort", { prefixes: ["app:", "cfg:"] }));
    readOnly = await rawAuthed(s.port, await s.mint("kv_sort", { prefixes: ["app:"], readOnly: true }));
    await full.call("RPUSH", "app:l", "1", "2", "3");
    await full.call("MSET", "app:w_1", "3", "app:w_2", "2", "app:w_3", "1", "w_1", "1", "w_2", "2", "w_3", "3", "secret_1", "s1");
    await full.call("HSET", "cfg:h_2", "name", "two");
  });
  after(async () => {
    for (const client of [full, scoped, readOnly]) client.close();
    await s.stop();
  });

  test("patterns whose keys all lie inside the prefixes work; GET # and BY nosort read no key and are allowed", async () => {
    assert.equal(await scoped.call("SORT", "app:l", "BY", "app:w_*", "GET", "#", "GET", "cfg:h_*->name"), array("3", null, "2", "two", "1", null));
    assert.equal(await scoped.call("SORT", "app:l", "BY", "nosort", "GET", "#", "GET", "constant", "DESC"), array("3", null, "2", null, "1", null));
    assert.equal(await scoped.call("SORT_RO", "app:l", "BY", "app:w_*", "LIMIT", "0", "1"), array("3"));
    assert.equal(await readOnly.call("SORT_RO", "app:l", "BY", "app:w_*", "GET", "app:w_*"), array("1", "2", "3"), "elements 3, 2, 1 by their weights 1, 2, 3");
  });

  test("a pattern that may name keys outside the prefixes is refused with Redis's ACL error, before anything is read", async () => {
    assert.equal(await scoped.call("SORT", "app:l", "BY", "w_*"), BY_DENIED);
    assert.equal(await scoped.call("SORT", "app:l", "GET", "secret_*"), GET_DENIED);
    assert.equal(await scoped.call("SORT", "app:l", "GET", "#", "GET", "*"), GET_DENIED, "`*` alone names any key");
    assert.equal(await scoped.call("SORT", "app:l", "BY", "ap*"), BY_DENIED, "a head shorter than the prefix may leave it");
    assert.equal(await scoped.call("SORT_RO", "app:l", "BY", "app:w_*", "GET", "w_*->f"), GET_DENIED);
    // Redis's order: the options one by one, a refusal or a syntax error whichever comes first.
    assert.equal(await scoped.call("SORT", "app:l", "BY", "w_*", "BAD"), BY_DENIED);
    assert.equal(await scoped.call("SORT", "app:l", "BAD", "BY", "w_*"), "-ERR syntax error\r\n");
    assert.equal(await scoped.call("SORT", "app:l", "BY", "w_*", "STORE", "app:dst"), BY_DENIED);
    assert.equal(await full.call("EXISTS", "app:dst"), ":0\r\n");
    assert.equal(await full.call("SORT", "app:l", "BY", "w_*", "GET", "secret_*"), array("s1", null, null), "a token without prefixes may read any key of its tenant");
  });

  test("the sorted key and STORE's destination are checked like any key; STORE needs the write right", async () => {
    assert.equal(await scoped.call("SORT", "other:l"), NO_KEY_PERMISSION);
    assert.equal(await scoped.call("SORT", "app:l", "STORE", "other:dst"), NO_KEY_PERMISSION);
    assert.equal(await scoped.call("SORT", "app:l", "STORE", "app:dst", "STORE", "other:dst"), NO_KEY_PERMISSION, "the last STORE is the destination");
    assert.equal(await scoped.call("SORT", "app:l", "DESC", "STORE", "cfg:dst"), ":3\r\n");
    assert.equal(await full.call("LRANGE", "cfg:dst", "0", "-1"), array("3", "2", "1"));
    assert.equal(await readOnly.call("SORT", "app:l"), noPermission("sort"));
    assert.equal(await readOnly.call("SORT_RO", "app:l", "STORE", "app:dst"), "-ERR syntax error\r\n");
  });

  test("inside MULTI the refusal is the command's reply in EXEC's array", async () => {
    assert.equal(await scoped.call("MULTI"), OK);
    assert.equal(await scoped.call("SORT", "app:l", "BY", "w_*"), "+QUEUED\r\n");
    assert.equal(await scoped.call("SORT", "app:l", "BY", "app:w_*"), "+QUEUED\r\n");
    assert.equal(await scoped.call("EXEC"), `*2\r\n${BY_DENIED}${array("3", "2", "1")}`);
  });
});

describe("SORT weights with NUL bytes or nothing at all", () => {
  let server: RunningServer;
  let client: RawClient;
  before(async () => {
    server = await startInProcess();
    client = await RawClient.connect(server.port);
  });
  after(async () => {
    client.close();
    await server.stop();
  });

  // Redis reads these with strtod and then looks at an errno it never cleared: its answer depends on earlier commands.
  test("are read as strtod reads them: up to the NUL, and an empty weight is 0", async () => {
    assert.equal(await client.call("RPUSH", "m", "3\x00abc", "", "1", "\x00", "-1"), ":5\r\n");
    assert.equal(await client.call("SORT", "m"), array("-1", "", "\x00", "1", "3\x00abc"));
    assert.equal(await client.call("RPUSH", "bad", "1", "0e-400x"), ":2\r\n");
    assert.equal(await client.call("SORT", "bad"), "-ERR One or more scores can't be converted into double\r\n");
  });
});
