// The tests of ACL (src/commands/families/acl.ts): the differential cases of
// acl_cases.ts against redis-server (or its recorded replies), then Materia's
// own: ACL LIST, WHOAMI and USERS as views of a token, ACL CAT's categories,
// the refused subcommands, GENPASS and HELP.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { differentialSuite } from "../differential/suite.ts";
import { RawClient } from "../support/raw_client.ts";
import { type RunningServer, startInProcess } from "../support/servers.ts";
import { type AuthServer, bulk, OK, startAuthServer } from "../auth/support.ts";
import { family } from "./families.ts";
import { CASES, METADATA_COMMANDS } from "./acl_cases.ts";

differentialSuite("acl", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("acl").specs });

const array = (...items: string[]) => `*${items.length}\r\n${items.map(bulk).join("")}`;

describe("ACL as a view of the token model", () => {
  let s: AuthServer;
  before(async () => {
    s = await startAuthServer();
  });
  after(() => s.stop());

  async function authed(token: string, user?: string): Promise<RawClient> {
    const client = await RawClient.connect(s.port);
    assert.equal(await client.call("AUTH", ...(user ? [user] : []), token), OK);
    return client;
  }

  test("ACL LIST renders the caller's token: prefixes as key and channel patterns, -@write when read-only; ACL WHOAMI and ACL USERS name the caller alone", async () => {
    const full = await authed(await s.mint("kv_acl"));
    const scoped = await authed(await s.mint("kv_acl", { readOnly: true, prefixes: ["user:", "odd*["] }), "reader");
    try {
      assert.equal(await full.call("ACL", "LIST"), array("user default on ~* &* +@all"));
      assert.equal(await scoped.call("ACL", "LIST"), array("user reader on ~odd\\*\\[* ~user:* resetchannels &odd\\*\\[* &user:* +@all -@write"));
      assert.equal(await full.call("ACL", "WHOAMI"), bulk("default"));
      assert.equal(await scoped.call("ACL", "WHOAMI"), bulk("reader"));
      assert.equal(await scoped.call("ACL", "USERS"), array("reader"));
    } finally {
      full.close();
      scoped.close();
    }
  });

  test("ACL SETUSER, ACL DELUSER, ACL GETUSER, ACL DRYRUN, ACL LOAD and ACL SAVE answer that users are tokens", async () => {
    const client = await authed(await s.mint("kv_acl"));
    try {
      const refused = (sub: string) => `-ERR ACL ${sub} is not supported: Materia's users are tokens; create, restrict and revoke them with materia token\r\n`;
      assert.equal(await client.call("ACL", "SETUSER", "bob", "on"), refused("SETUSER"));
      assert.equal(await client.call("ACL", "DELUSER", "bob"), refused("DELUSER"));
      assert.equal(await client.call("ACL", "GETUSER", "default"), refused("GETUSER"));
      assert.equal(await client.call("ACL", "DRYRUN", "default", "GET", "k"), refused("DRYRUN"));
      assert.equal(await client.call("ACL", "LOAD"), refused("LOAD"));
      assert.equal(await client.call("ACL", "SAVE"), refused("SAVE"));
    } finally {
      client.close();
    }
  });
});

describe("ACL CAT, GENPASS and HELP", () => {
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

  test("ACL CAT lists Redis 7.0's categories and json; ACL CAT of one lists its commands and subcommands", async () => {
    const all = await client.call("ACL", "CAT");
    for (const category of ["keyspace", "read", "write", "string", "scripting", "dangerous", "connection", "json"]) assert.ok(all.includes(bulk(category)), category);
    const strings = await client.call("ACL", "CAT", "string");
    assert.ok(strings.includes(bulk("get")) && !strings.includes(bulk("hget")));
    assert.ok((await client.call("ACL", "CAT", "admin")).includes(bulk("config|set")));
    assert.ok((await client.call("ACL", "CAT", "json")).includes(bulk("json.get")));
  });

  test("ACL GENPASS answers random hex digits: 64 by default, one per 4 bits asked", async () => {
    const first = await client.call("ACL", "GENPASS");
    assert.match(first, /^\$64\r\n[0-9a-f]{64}\r\n$/);
    assert.notEqual(await client.call("ACL", "GENPASS"), first);
    assert.match(await client.call("ACL", "GENPASS", "5"), /^\$2\r\n[0-9a-f]{2}\r\n$/);
    assert.match(await client.call("ACL", "GENPASS", "4096"), /^\$1024\r\n[0-9a-f]{1024}\r\n$/);
  });

  test("ACL HELP lists the subcommands, the refused ones among them", async () => {
    const help = await client.call("ACL", "HELP");
    assert.match(help, /^\*\d+\r\n\+ACL <subcommand>/);
    assert.ok(help.includes("materia token"));
  });
});
