// Issue 12 items 15 and 2 (bounds): one token has one accepted text. Bytes
// outside the signatures (the root key id's varint, unknown fields) cannot
// vary, and size, blocks, checks and prefixes are capped before the Biscuit
// library parses anything.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { MAX_BLOCKS, MAX_PREFIXES, MAX_TOKEN_TEXT_BYTES } from "../../src/auth/token_limits.ts";
import { attenuateToken } from "../../src/auth/tokens.ts";
import { RawClient } from "../support/raw_client.ts";
import { type AuthServer, OK, rawAuthed, startAuthServer, WRONGPASS } from "../auth/support.ts";
import { base64UrlToBytes, bytesToBase64Url, timed } from "./support.ts";

describe("token encoding and size", () => {
  let s: AuthServer;
  let token: string;
  before(async () => {
    s = await startAuthServer();
    token = await s.mint("kv_enc");
  });
  after(() => s.stop());

  async function auth(text: string | Uint8Array): Promise<string> {
    const client = await RawClient.connect(s.port);
    try {
      return await client.call("AUTH", text);
    } finally {
      client.close();
    }
  }

  test("the minted text, its unpadded form and a 'biscuit:' prefix are accepted", async () => {
    assert.equal(await auth(token), OK);
    assert.equal(await auth(token.replace(/=+$/, "")), OK);
    assert.equal(await auth(`biscuit:${token}`), OK);
  });

  test("an overlong root key id varint, a repeated or stripped root key id, an unknown trailing field and another key id are refused", async () => {
    const bytes = base64UrlToBytes(token);
    assert.equal(bytes[0], 0x08, "minted tokens start with the root key id (field 1)");
    let end = 1;
    while (bytes[end]! & 0x80) end++;
    end++;
    const id = bytes.subarray(1, end);
    const rest = bytes.subarray(end);
    const overlong = new Uint8Array([0x08, ...id.subarray(0, -1), id[id.length - 1]! | 0x80, 0x00, ...rest]);
    const repeated = new Uint8Array([...bytes, 0x08, ...id]);
    const trailing = new Uint8Array([...bytes, 0x78, 0x01]);
    const otherId = new Uint8Array([0x08, 0x01, ...rest]);
    const stripped = new Uint8Array(rest);
    for (const variant of [overlong, repeated, trailing, otherId, stripped]) assert.equal(await auth(bytesToBase64Url(variant)), WRONGPASS);
  });

  test("base64 with stray bits or the standard alphabet is refused", async () => {
    const unpadded = token.replace(/=+$/, "");
    const last = unpadded[unpadded.length - 1]!;
    if (unpadded.length % 4 !== 0) {
      const stray = String.fromCharCode(last.charCodeAt(0) + 1);
      assert.equal(await auth(unpadded.slice(0, -1) + stray), WRONGPASS);
    }
    assert.equal(await auth(token.replace(/-/g, "+").replace(/_/g, "/") + "+/"), WRONGPASS);
  });

  test(`AUTH with the token repeated 20,000 times (5 MB) is refused at once, from an authenticated connection`, async () => {
    const client = await rawAuthed(s.port, token);
    try {
      const huge = token.repeat(20_000);
      const { ms, value } = await timed(() => client.call("AUTH", huge));
      assert.equal(value, WRONGPASS);
      assert.ok(ms < 2_000, `took ${ms.toFixed(0)} ms`);
      assert.equal(await client.call("AUTH", `${token}${" ".repeat(MAX_TOKEN_TEXT_BYTES)}`), WRONGPASS, "the cap counts the bytes received");
    } finally {
      client.close();
    }
  });

  test(`more than ${MAX_PREFIXES} prefixes (1,000 made by 'token attenuate': 57 KB) and more than ${MAX_BLOCKS} blocks are refused`, async () => {
    const many = await attenuateToken(token, [s.root.publicKeyText], { prefixes: Array.from({ length: 1_000 }, (_, i) => `p${i}:`) });
    const client = await rawAuthed(s.port, token);
    try {
      assert.equal(await client.call("AUTH", many), WRONGPASS);
    } finally {
      client.close();
    }
    const justOver = await attenuateToken(token, [s.root.publicKeyText], { prefixes: Array.from({ length: MAX_PREFIXES + 1 }, (_, i) => `p${i}:`) });
    assert.equal(await auth(justOver), WRONGPASS);
    const atCap = await attenuateToken(token, [s.root.publicKeyText], { prefixes: Array.from({ length: MAX_PREFIXES }, (_, i) => `p${i}:`) });
    assert.equal(await auth(atCap), OK);
    let deep = token;
    for (let i = 1; i < MAX_BLOCKS; i++) deep = await attenuateToken(deep, [s.root.publicKeyText], { readOnly: true });
    assert.equal(await auth(deep), OK, `${MAX_BLOCKS} blocks are accepted`);
    assert.equal(await auth(await attenuateToken(deep, [s.root.publicKeyText], { readOnly: true })), WRONGPASS);
  });
});
