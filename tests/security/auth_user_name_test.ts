// Issue 12 item 13: the AUTH user name is printed in CLIENT LIST's `user=`
// field; a name with a newline forged a whole line there. User names now
// follow CLIENT SETNAME's rule (characters '!' to '~'); others are refused
// with WRONGPASS's code, as Redis refuses a user that cannot exist.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { RawClient } from "../support/raw_client.ts";
import { type AuthServer, bulkStrings, OK, rawAuthed, startAuthServer } from "../auth/support.ts";

const INVALID_USER = /^-WRONGPASS invalid username: user names are the characters '!' to '~'/;

describe("AUTH user names", () => {
  let s: AuthServer;
  let token: string;
  before(async () => {
    s = await startAuthServer();
    token = await s.mint("kv_user");
  });
  after(() => s.stop());

  test("AUTH with a newline in the user name is refused and cannot forge a CLIENT LIST line", async () => {
    const attacker = await RawClient.connect(s.port);
    const observer = await rawAuthed(s.port, token);
    try {
      assert.match(await attacker.call("AUTH", "a\nid=999 addr=6.6.6.6:1 user=root", token), INVALID_USER);
      assert.match(await attacker.call("HELLO", "3", "AUTH", "a\nid=999", token), INVALID_USER);
      assert.equal(await attacker.call("AUTH", "eve", token), OK);
      const list = bulkStrings(await observer.call("CLIENT", "LIST")).join("");
      assert.doesNotMatch(list, /id=999|6\.6\.6\.6/);
      assert.match(list, /user=eve/);
    } finally {
      attacker.close();
      observer.close();
    }
  });

  test("spaces, control characters and non-ASCII are refused; printable names and the empty name are accepted", async () => {
    const client = await RawClient.connect(s.port);
    try {
      for (const bad of ["a b", "tab\there", "cr\r", "nul\u0000", "é"]) assert.match(await client.call("AUTH", bad, token), INVALID_USER, JSON.stringify(bad));
      for (const good of ["default", "!~", "", "app-1:worker"]) assert.equal(await client.call("AUTH", good, token), OK, JSON.stringify(good));
    } finally {
      client.close();
    }
  });
});
