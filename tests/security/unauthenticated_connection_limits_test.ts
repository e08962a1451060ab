// Issue 12 item 8: 10,000 idle anonymous sockets exhausted maxclients for
// every tenant and were never closed. Now, when auth is required, a client
// that has not authenticated within --auth-timeout is closed, clients
// awaiting AUTH hold at most half of maxclients (the oldest is closed to
// make room, never an authenticated one), and --maxclients-per-address
// bounds the connections of one source address.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { RevocationList } from "../../src/auth/revocation_list.ts";
import { tokenAuthenticator } from "../../src/auth/token_authenticator.ts";
import { generateRootKey, mintToken, parseRootKey } from "../../src/auth/tokens.ts";
import { parseServeConfig } from "../../src/config/serve_config.ts";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { type ServerOptions, MateriaServer } from "../../src/server/server.ts";
import { OK } from "../auth/support.ts";
import { TempDirs } from "../support/processes.ts";
import { RawClient } from "../support/raw_client.ts";
import { runtimeListen } from "../support/runtime.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const dirs = new TempDirs();
after(() => dirs.removeAll());

interface TokenServer {
  readonly port: number;
  readonly server: MateriaServer;
  readonly token: string;
  stop(): Promise<void>;
}

/** An in-process server that requires a token, with the given connection limits. */
async function startTokenServer(options: Partial<ServerOptions>): Promise<TokenServer> {
  const root = await parseRootKey(await generateRootKey());
  const auth = await tokenAuthenticator({ root, revocations: new RevocationList(`${dirs.make("revoked")}/revoked.txt`) });
  const server = new MateriaServer({ engine: new MemoryEngine(), auth, version: "test", dataDirectory: "", ...options });
  const listener = await server.listen(await runtimeListen(), { host: "127.0.0.1", port: 0 });
  return { port: listener.port, server, token: await mintToken(root, "kv_tenant"), stop: () => server.shutdown({ timeoutMs: 2_000 }) };
}

async function authed(port: number, token: string): Promise<RawClient> {
  const client = await RawClient.connect(port);
  assert.equal(await client.call("AUTH", token), OK);
  return client;
}

describe("connections awaiting AUTH", () => {
  let s: TokenServer;
  const open: RawClient[] = [];
  before(async () => {
    s = await startTokenServer({ maxClients: 20, authTimeoutSeconds: 1, maxClientsPerAddress: 0 });
  });
  after(async () => {
    for (const client of open) client.close();
    await s.stop();
  });

  test("an idle client that never authenticates is closed after --auth-timeout with an error naming it; an authenticated one stays", async () => {
    const anonymous = await RawClient.connect(s.port);
    const member = await authed(s.port, s.token);
    open.push(anonymous, member);
    assert.equal(await anonymous.closedByServer(3_000), true, "closed within the 1 s auth timeout (checked every 250 ms)");
    assert.equal(
      await anonymous.readReply(100),
      "-ERR authentication timeout: no AUTH within 1 s of connecting (the server's --auth-timeout); authenticate right after connecting\r\n",
    );
    assert.equal(await member.call("PING"), "+PONG\r\n");
  });

  test("a flood of anonymous sockets never fills maxclients: authenticated clients stay and new ones still get in and authenticate", async () => {
    const members = [];
    for (let i = 0; i < 5; i++) members.push(await authed(s.port, s.token));
    open.push(...members);
    // Four times maxclients of anonymous sockets, none authenticating.
    const flood = await Promise.all(Array.from({ length: 80 }, () => RawClient.connect(s.port)));
    open.push(...flood);
    await sleep(100);
    const closed = await Promise.all(flood.map((c) => c.closedByServer(0)));
    const stillOpen = closed.filter((c) => !c).length;
    assert.ok(stillOpen <= 10, `${stillOpen} anonymous sockets still open: at most half of maxclients (10) may await AUTH`);
    const pushedOut = flood[closed.indexOf(true)]!;
    assert.equal(await pushedOut.readReply(1_000), "-ERR connection closed to make room: too many connections awaiting AUTH; authenticate right after connecting\r\n");
    for (const member of members) assert.equal(await member.call("PING"), "+PONG\r\n", "authenticated clients are never pushed out");
    const late = await authed(s.port, s.token);
    open.push(late);
    assert.equal(await late.call("PING"), "+PONG\r\n");
  });
});

describe("--maxclients-per-address", () => {
  test("the connection past the per-address limit is refused with an error naming the flag; others are served", async () => {
    const s = await startTokenServer({ maxClients: 100, maxClientsPerAddress: 5 });
    const clients: RawClient[] = [];
    try {
      for (let i = 0; i < 5; i++) clients.push(await authed(s.port, s.token));
      const refused = await RawClient.connect(s.port);
      clients.push(refused);
      assert.equal(
        await refused.readReply(2_000),
        "-ERR max number of clients per address reached (5); close idle connections or raise --maxclients-per-address\r\n",
      );
      assert.equal(await refused.closedByServer(), true);
      clients.shift()!.close();
      await sleep(100);
      clients.push(await authed(s.port, s.token));
    } finally {
      for (const client of clients) client.close();
      await s.stop();
    }
  });

  test("maxclients is still answered with Redis's error when one address holds them all", async () => {
    const s = await startTokenServer({ maxClients: 5, maxClientsPerAddress: 5 });
    const clients: RawClient[] = [];
    try {
      for (let i = 0; i < 5; i++) clients.push(await authed(s.port, s.token));
      const refused = await RawClient.connect(s.port);
      clients.push(refused);
      assert.equal(await refused.readReply(2_000), "-ERR max number of clients reached\r\n");
    } finally {
      for (const client of clients) client.close();
      await s.stop();
    }
  });
});

describe("configuration", () => {
  test("--auth-timeout and --maxclients-per-address (and their variables) default to 10 s and 1000, are validated at start", () => {
    const config = parseServeConfig([], {});
    assert.ok(config !== "help");
    assert.equal(config.authTimeoutSeconds, 10);
    assert.equal(config.maxClientsPerAddress, 1000);
    const set = parseServeConfig(["--auth-timeout", "3"], { MATERIA_MAXCLIENTS_PER_ADDRESS: "0" });
    assert.ok(set !== "help");
    assert.equal(set.authTimeoutSeconds, 3);
    assert.equal(set.maxClientsPerAddress, 0);
    assert.throws(() => parseServeConfig([], { MATERIA_AUTH_TIMEOUT: "soon" }), /--auth-timeout \(or MATERIA_AUTH_TIMEOUT\) must be an integer/);
    assert.throws(() => parseServeConfig(["--maxclients-per-address", "-1"], {}), /--maxclients-per-address/);
  });
});
