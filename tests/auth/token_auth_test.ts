// AUTH with Biscuit tokens over real sockets: the ways a client presents a
// token (AUTH token, AUTH user token, HELLO 3 AUTH, a "biscuit:" prefix,
// ioredis's password), NOAUTH before it for every command of the table, the
// exact WRONGPASS for bad, tampered, expired, foreign and revoked tokens, and
// rights that end on a live connection when its token expires or is revoked.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { loadBiscuit } from "../../src/auth/biscuit_wasm.ts";
import { RevocationList } from "../../src/auth/revocation_list.ts";
import { tokenAuthenticator } from "../../src/auth/token_authenticator.ts";
import { attenuateToken, generateRootKey, mintToken, parseRootKey, parseToken } from "../../src/auth/tokens.ts";
import { RawClient } from "../support/raw_client.ts";
import { startInProcess } from "../support/servers.ts";
import { tableCommands } from "./command_argv.ts";
import {
  type AuthServer, bulk, enginePicture, NOAUTH, OK, rawAuthed, sleep, startAuthServer, withIoredis, withRaw, WRONGPASS,
} from "./support.ts";

/** The revocation ids of a token, block 0 first. */
async function revocationIds(token: string, publicKey: string): Promise<string[]> {
  const lib = await loadBiscuit();
  return parseToken(lib, token, [publicKey]).getRevocationIdentifiers() as string[];
}

/** The token with one character in its middle replaced by another of the alphabet. */
function tampered(token: string): string {
  const i = Math.floor(token.length / 2);
  const replacement = token[i] === "A" ? "B" : "A";
  return token.slice(0, i) + replacement + token.slice(i + 1);
}

/** Polls `probe` every 50 ms until it returns true; resolves with the time it took, or -1 after `limitMs`. */
async function timeUntil(probe: () => Promise<boolean>, limitMs: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < limitMs) {
    if (await probe()) return Date.now() - start;
    await sleep(50);
  }
  return -1;
}

describe("AUTH with a Biscuit token", () => {
  let s: AuthServer;
  let token: string;
  before(async () => {
    s = await startAuthServer();
    token = await s.mint("kv_auth");
  });
  after(() => s.stop());

  test("AUTH token, AUTH anyuser token, AUTH default token and AUTH with an empty user all authenticate", async () => {
    for (const argv of [["AUTH", token], ["AUTH", "anyuser", token], ["AUTH", "default", token], ["AUTH", "", token]]) {
      const client = await RawClient.connect(s.port);
      try {
        assert.equal(await client.call(...argv), OK, argv.slice(0, -1).join(" "));
        assert.equal(await client.call("SET", "forms", argv.length === 2 ? "one" : argv[1]!), OK);
        assert.equal(await client.call("GET", "forms"), bulk(argv.length === 2 ? "one" : argv[1]!));
      } finally {
        client.close();
      }
    }
  });

  test("HELLO 3 AUTH user token answers the RESP3 map and authenticates; HELLO 2 AUTH answers an array", async () => {
    const client = await RawClient.connect(s.port);
    try {
      const reply = await client.call("HELLO", "3", "AUTH", "default", token);
      assert.ok(reply.startsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n"), JSON.stringify(reply));
      assert.ok(reply.includes("$5\r\nproto\r\n:3\r\n"), JSON.stringify(reply));
      assert.equal(await client.call("HSET", "hello:h", "f", "v"), ":1\r\n");
      // RESP3: HGETALL is a map.
      assert.equal(await client.call("HGETALL", "hello:h"), "%1\r\n$1\r\nf\r\n$1\r\nv\r\n");
    } finally {
      client.close();
    }
    const two = await RawClient.connect(s.port);
    try {
      assert.ok((await two.call("HELLO", "2", "AUTH", "someone", token)).startsWith("*14\r\n"));
      assert.equal(await two.call("HGETALL", "hello:h"), "*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
    } finally {
      two.close();
    }
  });

  test("the text form with a 'biscuit:' prefix, and surrounding blanks, are accepted", async () => {
    for (const text of [`biscuit:${token}`, ` ${token}\n`]) {
      await withRaw(s.port, text, async (client) => assert.equal(await client.call("PING"), "+PONG\r\n"));
    }
  });

  test("ioredis with the token as its password (and with a user name) works", async () => {
    await withIoredis(s.port, token, async (redis) => {
      await redis.set("io:k", "v");
      assert.equal(await redis.get("io:k"), "v");
    });
    await withIoredis(s.port, token, async (redis) => assert.equal(await redis.get("io:k"), "v"), { username: "default" });
  });

  test("before AUTH every command of the table but AUTH, HELLO, PING, QUIT and RESET answers exactly NOAUTH (EXEC: EXECABORT) and writes nothing", async () => {
    const before = await enginePicture(s.server);
    const client = await RawClient.connect(s.port);
    let checked = 0;
    try {
      for (const command of tableCommands()) {
        if (command.spec.flags.includes("no_auth")) continue;
        if (command.fullName === "ping") {
          // Health checks hold no token (the list; Redis would answer NOAUTH).
          assert.equal(await client.call(...command.argv), "+PONG\r\n");
          continue;
        }
        // A refused EXEC is worded EXECABORT, in a transaction or not, as in Redis (rejectCommand).
        const expected = command.fullName === "exec" ? `-EXECABORT Transaction discarded because of: ${NOAUTH.slice(1)}` : NOAUTH;
        assert.equal(await client.call(...command.argv), expected, command.argv.join(" "));
        checked++;
      }
      assert.equal(await client.call("HELLO", "3"), "-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n");
      // MULTI is refused too, so nothing can be queued and run later.
      assert.equal(await client.call("MULTI"), NOAUTH);
      assert.equal(await client.call("SET", "k", "v"), NOAUTH);
      assert.equal(await client.call("EXEC"), "-EXECABORT Transaction discarded because of: NOAUTH Authentication required.\r\n");
      assert.equal(await client.call("QUIT"), OK);
      assert.equal(await client.closedByServer(), true);
    } finally {
      client.close();
    }
    assert.ok(checked > 150, `only ${checked} commands checked`);
    const noAuth = tableCommands().filter((c) => c.spec.flags.includes("no_auth")).map((c) => c.fullName).sort();
    assert.deepEqual(noAuth, ["auth", "hello", "quit", "reset"]);
    assert.equal(await enginePicture(s.server), before);
  });

  test("a bad string, an empty one, a tampered token, an expired one and one of another root key answer WRONGPASS", async () => {
    const other = await parseRootKey(await generateRootKey());
    const cases: [string, string][] = [
      ["not a token", "not-a-token"],
      ["empty", ""],
      ["standard base64 alphabet", token.replace(/-/g, "+").replace(/_/g, "/") + "+/"],
      ["tampered", tampered(token)],
      ["truncated", token.slice(0, token.length - 10)],
      ["expired", await mintToken(s.root, "kv_auth", { expiresAt: new Date(Date.now() - 60_000) })],
      ["attenuated to an expired time", await attenuateToken(token, [s.root.publicKeyText], { expiresAt: new Date(Date.now() - 2_000) })],
      ["another root key", await mintToken(other, "kv_auth")],
    ];
    const client = await RawClient.connect(s.port);
    try {
      for (const [name, bad] of cases) {
        assert.equal(await client.call("AUTH", bad), WRONGPASS, name);
        assert.equal(await client.call("AUTH", "default", bad), WRONGPASS, `${name} (with a user)`);
        assert.equal(await client.call("HELLO", "3", "AUTH", "default", bad), WRONGPASS, `${name} (HELLO)`);
        assert.equal(await client.call("GET", "k"), NOAUTH, `${name}: still unauthenticated`);
      }
    } finally {
      client.close();
    }
  });

  test("RESET ends the authentication: the connection needs a token again", async () => {
    await withRaw(s.port, token, async (client) => {
      assert.equal(await client.call("RESET"), "+RESET\r\n");
      assert.equal(await client.call("GET", "k"), NOAUTH);
      assert.equal(await client.call("AUTH", token), OK);
      assert.equal(await client.call("GET", "k"), "$-1\r\n");
    });
  });

  test("a failed AUTH leaves an authenticated connection as it was (as in Redis)", async () => {
    await withRaw(s.port, token, async (client) => {
      assert.equal(await client.call("AUTH", tampered(token)), WRONGPASS);
      assert.equal(await client.call("SET", "still", "1"), OK);
    });
  });

  test("a token with a check Materia does not compile is refused at AUTH (its Datalog never runs per command)", async () => {
    const lib = await loadBiscuit();
    const parsed = parseToken(lib, token, [s.root.publicKeyText]);
    const block = lib.Biscuit.block_builder();
    block.addCode(`check if command($c), ["GET", "SET"].contains($c);`);
    const custom = parsed.appendBlock(block).toBase64();
    const client = await RawClient.connect(s.port);
    try {
      assert.equal(await client.call("AUTH", custom), WRONGPASS);
    } finally {
      client.close();
    }
  });

  test("facts appended in an attenuation block refuse the token: they cannot add a right or change the tenant", async () => {
    const lib = await loadBiscuit();
    const readOnly = parseToken(lib, await s.mint("kv_auth", { readOnly: true }), [s.root.publicKeyText]);
    const block = lib.Biscuit.block_builder();
    block.addCode(`right("write"); tenant("kv_other"); operation("read");`);
    const forged = readOnly.appendBlock(block).toBase64();
    const client = await RawClient.connect(s.port);
    try {
      assert.equal(await client.call("AUTH", forged), WRONGPASS);
    } finally {
      client.close();
    }
  });

  test("a token whose printed prefix literal reads as wider prefixes is refused, not compiled wider", async () => {
    // The library prints string literals unescaped: this one literal prints as
    // starts_with("b") or ... starts_with("c"), keys the real check refuses.
    const lib = await loadBiscuit();
    const builder = lib.Biscuit.builder();
    builder.addCodeWithParameters(
      `tenant("kv_auth"); right("read"); right("write"); check if resource($r), $r.starts_with({a}) or resource($r), $r.starts_with({p});`,
      { a: "a", p: `b") or resource($r), $r.starts_with("c` },
      {},
    );
    builder.setRootKeyId(s.root.keyId);
    const crafted = builder.build(s.root.privateKey).toBase64();
    const client = await RawClient.connect(s.port);
    try {
      const reply = await client.call("AUTH", crafted);
      if (reply === OK) {
        assert.notEqual(await client.call("SET", "b:1", "v"), OK, "the compiled reading allowed a key the token refuses");
        assert.notEqual(await client.call("SET", "c:1", "v"), OK, "the compiled reading allowed a key the token refuses");
      } else {
        assert.equal(reply, WRONGPASS);
      }
    } finally {
      client.close();
    }
  });
});

describe("tokens that expire or are revoked", () => {
  let s: AuthServer;
  before(async () => {
    s = await startAuthServer();
  });
  after(() => s.stop());

  test("a connection whose token expires loses its rights at that moment: NOAUTH, then WRONGPASS on a new AUTH", async () => {
    // Biscuit dates have whole seconds: expire on a second boundary 1.5 to 2.5 s ahead.
    const expiresAt = new Date(Math.ceil((Date.now() + 1_500) / 1_000) * 1_000);
    const expiring = await s.mint("kv_exp", { expiresAt });
    const parent = await s.mint("kv_exp");
    const attenuated = await attenuateToken(parent, [s.root.publicKeyText], { expiresAt });
    const a = await rawAuthed(s.port, expiring);
    const b = await RawClient.connect(s.port);
    const lasting = await rawAuthed(s.port, parent);
    try {
      assert.ok((await b.call("HELLO", "3", "AUTH", "default", attenuated)).startsWith("%7\r\n"));
      assert.equal(await a.call("SET", "exp:k", "v"), OK);
      assert.equal(await b.call("GET", "exp:k"), bulk("v"));
      await sleep(expiresAt.getTime() - Date.now() + 30);
      assert.equal(await a.call("GET", "exp:k"), NOAUTH);
      assert.equal(await a.call("GET", "exp:k"), NOAUTH, "the rights stay lost");
      assert.equal(await b.call("SET", "exp:k", "w"), NOAUTH);
      assert.equal(await a.call("AUTH", expiring), WRONGPASS);
      assert.equal(await b.call("AUTH", attenuated), WRONGPASS);
      assert.equal(await lasting.call("GET", "exp:k"), bulk("v"), "the parent token without expiry still works");
      assert.equal(await a.call("AUTH", parent), OK);
      assert.equal(await a.call("GET", "exp:k"), bulk("v"));
    } finally {
      a.close();
      b.close();
      lasting.close();
    }
  });

  test("revocation: by block 0 (the token and its attenuations) or block 1 (that branch only), on live connections within 1.5 s", async () => {
    const revoked = await s.mint("kv_rev");
    const revokedChild = await attenuateToken(revoked, [s.root.publicKeyText], { prefixes: ["r:"] });
    const parent = await s.mint("kv_rev");
    const child = await attenuateToken(parent, [s.root.publicKeyText], { readOnly: true });
    const sibling = await attenuateToken(parent, [s.root.publicKeyText], { readOnly: true });
    const [revokedIds, childIds] = [await revocationIds(revoked, s.root.publicKeyText), await revocationIds(child, s.root.publicKeyText)];
    assert.equal(childIds.length, 2);

    const clients = {
      revoked: await rawAuthed(s.port, revoked),
      revokedChild: await rawAuthed(s.port, revokedChild),
      parent: await rawAuthed(s.port, parent),
      child: await rawAuthed(s.port, child),
      sibling: await rawAuthed(s.port, sibling),
    };
    try {
      for (const client of Object.values(clients)) assert.equal(await client.call("GET", "r:k"), "$-1\r\n");
      // Uppercase hex, comments and blank lines are accepted.
      writeFileSync(s.revokedPath, `# revoked by the tests\n${revokedIds[0]!.toUpperCase()}\n\n${childIds[1]}  # one branch\n`);
      const tookMs = await timeUntil(async () => (await clients.revoked.call("GET", "r:k")) === NOAUTH, 3_000);
      assert.ok(tookMs >= 0 && tookMs <= 1_500, `revocation took ${tookMs} ms to reach a live connection`);
      assert.equal(await clients.revokedChild.call("GET", "r:k"), NOAUTH);
      assert.equal(await clients.child.call("GET", "r:k"), NOAUTH);
      assert.equal(await clients.parent.call("SET", "r:k", "v"), OK, "revoking a child's block leaves the parent working");
      assert.equal(await clients.sibling.call("GET", "r:k"), bulk("v"), "and its sibling branch");

      // New connections: the revoked ones answer WRONGPASS, the others authenticate.
      const refused: [string, string][] = [["revoked", revoked], ["child of revoked", revokedChild], ["revoked branch", child]];
      for (const [name, bad] of refused) {
        const fresh = await RawClient.connect(s.port);
        try {
          assert.equal(await fresh.call("AUTH", bad), WRONGPASS, name);
          assert.equal(await fresh.call("HELLO", "3", "AUTH", "x", bad), WRONGPASS, name);
        } finally {
          fresh.close();
        }
      }
      await withRaw(s.port, parent, async (client) => assert.equal(await client.call("GET", "r:k"), bulk("v")));
      await withRaw(s.port, sibling, async (client) => assert.equal(await client.call("GET", "r:k"), bulk("v")));

      // Removing the ids from the file gives the tokens back (on a new AUTH).
      writeFileSync(s.revokedPath, "# nothing revoked any more\n");
      const back = await timeUntil(async () => (await clients.revoked.call("AUTH", revoked)) === OK, 3_000);
      assert.ok(back >= 0, "an id removed from the file is accepted again");
    } finally {
      for (const client of Object.values(clients)) client.close();
    }
  });
});

describe("root key rotation", () => {
  test("a server trusting an older public key accepts tokens of both keys and no others", async () => {
    const oldRoot = await parseRootKey(await generateRootKey());
    const newRoot = await parseRootKey(await generateRootKey());
    const stranger = await parseRootKey(await generateRootKey());
    const auth = await tokenAuthenticator({ root: newRoot, alsoTrusted: [oldRoot.publicKeyText], revocations: new RevocationList(undefined) });
    const running = await startInProcess({ auth });
    try {
      await withRaw(running.port, await mintToken(oldRoot, "kv_rot"), async (c) => assert.equal(await c.call("SET", "k", "old"), OK));
      await withRaw(running.port, await mintToken(newRoot, "kv_rot"), async (c) => assert.equal(await c.call("GET", "k"), bulk("old")));
      const client = await RawClient.connect(running.port);
      try {
        assert.equal(await client.call("AUTH", await mintToken(stranger, "kv_rot")), WRONGPASS);
      } finally {
        client.close();
      }
    } finally {
      await running.stop();
    }
  });
});
