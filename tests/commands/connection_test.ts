// The tests of the connection commands (src/commands/families/connection.ts), by
// command: the differential cases of connection_cases.ts against redis-server (or
// its recorded replies), then Materia's own tests of what differs by nature (ids,
// addresses, tenants): CLIENT LIST, INFO, KILL, SETINFO, NO-TOUCH, HELP and RESET.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { differentialSuite } from "../differential/suite.ts";
import { encodeCommand, RawClient } from "../support/raw_client.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";
import { family } from "./families.ts";
import { CASES, METADATA_COMMANDS, SCENARIOS } from "./connection_cases.ts";
import { scenarioSuite } from "../differential/scenario_suite.ts";
import { passwordTenants } from "../support/password_tenants.ts";

differentialSuite("connection", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("connection").specs });
scenarioSuite("connection", SCENARIOS);

function bulk(reply: string): string {
  return reply.slice(reply.indexOf("\r\n") + 2, -2);
}

async function withClient<T>(port: number, body: (client: RawClient) => Promise<T>): Promise<T> {
  const client = await RawClient.connect(port);
  try {
    return await body(client);
  } finally {
    client.close();
  }
}

// Each test opens its own clients: CLIENT LIST shows every connection of the server.
describe("CLIENT LIST and CLIENT INFO", () => {
  let server: RunningServer;
  before(async () => {
    server = await startInProcess();
  });
  after(() => server.stop());

  test("CLIENT LIST shows every client with its id, addr, laddr, name, db and last command", async () => {
    const clients = await Promise.all([0, 1, 2].map(() => RawClient.connect(server.port)));
    try {
      const [named, selecting, lister] = clients as [RawClient, RawClient, RawClient];
      const ids = await Promise.all(clients.map(async (c) => Number(/^:(\d+)\r\n$/.exec(await c.call("CLIENT", "ID"))![1])));
      assert.equal(new Set(ids).size, 3, "ids are unique");
      assert.equal(await named.call("CLIENT", "SETNAME", "worker-7"), "+OK\r\n");
      assert.equal(await selecting.call("SELECT", "3"), "+OK\r\n");
      assert.equal(await selecting.call("GET", "x"), "$-1\r\n");

      const reply = await lister.call("CLIENT", "LIST");
      const header = /^\$(\d+)\r\n/.exec(reply);
      assert.ok(header, `CLIENT LIST is a bulk string in RESP2: ${reply.slice(0, 20)}`);
      const body = reply.slice(header[0].length, -2);
      assert.equal(body.length, Number(header[1]));
      assert.ok(body.endsWith("\n"));
      const lines = body.slice(0, -1).split("\n");
      const fields = lines.map((line) => Object.fromEntries(line.split(" ").map((f) => [f.slice(0, f.indexOf("=")), f.slice(f.indexOf("=") + 1)])));
      const byId = new Map(fields.map((f) => [Number(f.id), f]));
      for (const id of ids) assert.ok(byId.has(id), `client ${id} is listed`);
      for (const f of fields) {
        for (const name of ["id", "addr", "laddr", "name", "db", "cmd", "age", "idle", "flags", "resp"]) {
          assert.ok(name in f, `field ${name} in ${JSON.stringify(f)}`);
        }
        assert.match(f.addr!, /^127\.0\.0\.1:\d+$/);
        assert.equal(f.laddr, `127.0.0.1:${server.port}`);
      }
      assert.equal(new Set(fields.map((f) => f.addr)).size, fields.length, "each client has its own address");
      const [namedId, selectingId, listerId] = ids as [number, number, number];
      assert.equal(byId.get(namedId)!.name, "worker-7");
      assert.equal(byId.get(namedId)!.cmd, "client|setname");
      assert.equal(byId.get(namedId)!.db, "0");
      assert.equal(byId.get(selectingId)!.db, "3");
      assert.equal(byId.get(selectingId)!.cmd, "get");
      assert.equal(byId.get(selectingId)!.name, "");
      assert.equal(byId.get(listerId)!.cmd, "client|list");

      const info = await named.call("CLIENT", "INFO");
      assert.match(info, new RegExp(`^\\$\\d+\\r\\nid=${namedId} addr=${byId.get(namedId)!.addr} `));

      named.close();
      const deadline = Date.now() + 2_000;
      let after = "";
      do {
        after = await lister.call("CLIENT", "LIST");
      } while (after.includes(`id=${namedId} `) && Date.now() < deadline);
      assert.ok(!after.includes(`id=${namedId} `), "a closed client leaves the list");
    } finally {
      for (const c of clients) c.close();
    }
  });

  test("CLIENT INFO and CLIENT LIST are verbatim strings (=, txt) in RESP3 and bulk strings in RESP2", async () => {
    await withClient(server.port, async (client) => {
      const infoResp2 = await client.call("CLIENT", "INFO");
      assert.match(infoResp2, /^\$\d+\r\nid=\d+ addr=/);
      await client.call("HELLO", "3");
      for (const argv of [["CLIENT", "INFO"], ["CLIENT", "LIST"]]) {
        const reply = await client.call(...argv);
        const header = /^=(\d+)\r\n/.exec(reply);
        assert.ok(header, `${argv.join(" ")} in RESP3: ${JSON.stringify(reply.slice(0, 30))}`);
        const payload = reply.slice(header[0].length, -2);
        assert.equal(payload.length, Number(header[1]), "the length counts the txt: prefix");
        assert.match(payload, /^txt:id=\d+ addr=127\.0\.0\.1:\d+ .* resp=3 /);
        assert.ok(payload.endsWith("\n"));
        assert.ok(reply.endsWith("\r\n"));
      }
    });
  });
});

describe("CLIENT SETINFO, CLIENT HELP, CLIENT NO-TOUCH and RESET", () => {
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

  test("CLIENT SETINFO records the library name and version shown by CLIENT INFO, and rejects bad input", async () => {
    assert.equal(await client.call("CLIENT", "SETINFO", "LIB-NAME", "mylib"), "+OK\r\n");
    assert.equal(await client.call("client", "setinfo", "lib-ver", "1.2.3"), "+OK\r\n");
    assert.match(await client.call("CLIENT", "INFO"), /lib-name=mylib lib-ver=1\.2\.3\n\r\n$/);
    assert.equal(await client.call("CLIENT", "SETINFO", "LIB-FOO", "x"), "-ERR Unrecognized option 'LIB-FOO'\r\n");
    assert.equal(await client.call("CLIENT", "SETINFO", "LIB-NAME", "a b"), "-ERR LIB-NAME cannot contain spaces, newlines or special characters.\r\n");
    assert.equal(await client.call("CLIENT", "SETINFO", "LIB-NAME"), "-ERR wrong number of arguments for 'client|setinfo' command\r\n");
  });

  test("CLIENT HELP lists its subcommands as status lines", async () => {
    const clientHelp = await client.call("CLIENT", "HELP");
    assert.match(clientHelp, /^\*\d+\r\n\+CLIENT <subcommand>/);
    assert.ok(clientHelp.includes("+SETINFO"));
  });

  test("CLIENT NO-TOUCH is accepted and checks its argument (a Redis 7.2 subcommand)", async () => {
    assert.equal(await client.call("CLIENT", "NO-TOUCH", "on"), "+OK\r\n");
    assert.equal(await client.call("CLIENT", "NO-TOUCH", "maybe"), "-ERR syntax error\r\n");
  });

  test("RESET returns to RESP2, database 0 and no name", async () => {
    const client = await RawClient.connect(server.port);
    try {
      await client.call("HELLO", "3");
      await client.call("SELECT", "2");
      await client.call("CLIENT", "SETNAME", "x");
      assert.equal(await client.call("RESET"), "+RESET\r\n");
      assert.equal(await client.call("CLIENT", "GETNAME"), "$-1\r\n");
      assert.match(await client.call("CLIENT", "INFO"), / db=0 .* resp=2 /);
    } finally {
      client.close();
    }
  });
});

describe("AUTH, CLIENT KILL and RESET with auth", () => {
  let server: RunningServer;
  before(async () => {
    server = await startInProcess({ auth: passwordTenants() });
  });
  after(() => server.stop());

  test("AUTH accepts a known password, with or without the user name; a wrong one is WRONGPASS and commands stay NOAUTH", async () => {
    const client = await RawClient.connect(server.port);
    try {
      assert.equal(await client.call("GET", "k"), "-NOAUTH Authentication required.\r\n");
      assert.equal(await client.call("AUTH", "wrong"), "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
      assert.equal(await client.call("AUTH", "default", "wrong"), "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
      assert.equal(await client.call("GET", "k"), "-NOAUTH Authentication required.\r\n");
      assert.equal(await client.call("AUTH", "a", "b", "c"), "-ERR syntax error\r\n");
      assert.equal(await client.call("AUTH", "a"), "+OK\r\n");
      assert.equal(await client.call("GET", "k"), "$-1\r\n");
      assert.equal(await client.call("AUTH", "default", "b"), "+OK\r\n");
    } finally {
      client.close();
    }
  });

  test("CLIENT KILL closes connections of the caller's tenant only", async () => {
    const killer = await RawClient.connect(server.port);
    const sameTenant = await RawClient.connect(server.port);
    const otherTenant = await RawClient.connect(server.port);
    try {
      assert.equal(await killer.call("AUTH", "a"), "+OK\r\n");
      assert.equal(await sameTenant.call("AUTH", "a"), "+OK\r\n");
      assert.equal(await otherTenant.call("AUTH", "b"), "+OK\r\n");
      const otherId = /^:(\d+)/.exec(await otherTenant.call("CLIENT", "ID"))![1]!;
      const sameId = /^:(\d+)/.exec(await sameTenant.call("CLIENT", "ID"))![1]!;
      assert.equal(await killer.call("CLIENT", "KILL", "ID", otherId), ":0\r\n");
      assert.equal(await killer.call("CLIENT", "KILL", "ID", sameId), ":1\r\n");
      assert.ok(await sameTenant.closedByServer());
      assert.equal(await otherTenant.call("PING"), "+PONG\r\n");
      // The old form, on itself: OK, then the connection closes.
      const addr = / addr=(\S+) /.exec(bulk(await killer.call("CLIENT", "INFO")))![1]!;
      assert.equal(await killer.call("CLIENT", "KILL", addr), "+OK\r\n");
      assert.ok(await killer.closedByServer());
    } finally {
      killer.close();
      sameTenant.close();
      otherTenant.close();
    }
  });

  test("RESET logs the connection out when auth is required", async () => {
    const client = await RawClient.connect(server.port);
    try {
      assert.equal(await client.call("AUTH", "a"), "+OK\r\n");
      assert.equal(await client.call("RESET"), "+RESET\r\n");
      assert.match(await client.call("GET", "k"), /^-NOAUTH/);
    } finally {
      client.close();
    }
  });
});

describe("CLIENT PAUSE holds the clients of the caller's tenant; the operator's holds every tenant's", () => {
  let server: RunningServer;
  before(async () => {
    server = await startInProcess({ auth: passwordTenants() });
  });
  after(() => server.stop());

  async function logIn(password: string): Promise<RawClient> {
    const client = await RawClient.connect(server.port);
    assert.equal(await client.call("AUTH", password), "+OK\r\n");
    return client;
  }

  /** Whether `client`'s reply to `argv` waits past `ms`; the reply, once it came (after `release`). */
  async function heldUntil(client: RawClient, argv: string[], release: () => Promise<void>): Promise<string> {
    client.writeRaw(encodeCommand(argv));
    await assert.rejects(client.readReply(150), /no complete reply/, `${argv.join(" ")} should wait while paused`);
    await release();
    return client.readReply();
  }

  test("a tenant's pause holds its own clients only; CLIENT UNPAUSE of another tenant ends nothing", async () => {
    const [a, otherA, b] = await Promise.all([logIn("a"), logIn("a"), logIn("b")]);
    try {
      assert.equal(await a.call("CLIENT", "PAUSE", "100000", "WRITE"), "+OK\r\n");
      // Tenant B writes on; its UNPAUSE is about its own clients.
      assert.equal(await b.call("SET", "k", "b"), "+OK\r\n");
      assert.equal(await b.call("CLIENT", "UNPAUSE"), "+OK\r\n");
      // Tenant A's reads run; its writes wait for A's UNPAUSE.
      assert.equal(await otherA.call("GET", "k"), "$-1\r\n");
      const reply = await heldUntil(otherA, ["SET", "k", "a"], async () => assert.equal(await a.call("CLIENT", "UNPAUSE"), "+OK\r\n"));
      assert.equal(reply, "+OK\r\n");
      assert.equal(await b.call("GET", "k"), "$1\r\nb\r\n");
    } finally {
      for (const client of [a, otherA, b]) client.close();
    }
  });

  test("the operator's pause holds every tenant; a read-only principal may not pause its tenant", async () => {
    const [operator, a, b, reader] = await Promise.all([logIn("o"), logIn("a"), logIn("b"), logIn("r")]);
    try {
      assert.match(await reader.call("CLIENT", "PAUSE", "100000"), /^-NOPERM /);
      assert.equal(await a.call("SET", "k", "a"), "+OK\r\n");
      assert.equal(await operator.call("CLIENT", "PAUSE", "100000", "WRITE"), "+OK\r\n");
      // A tenant's UNPAUSE does not end the operator's pause.
      assert.equal(await a.call("CLIENT", "UNPAUSE"), "+OK\r\n");
      a.writeRaw(encodeCommand(["INCR", "n"]));
      b.writeRaw(encodeCommand(["SET", "k", "b"]));
      await assert.rejects(a.readReply(150), /no complete reply/, "tenant A's write waits");
      await assert.rejects(b.readReply(150), /no complete reply/, "tenant B's write waits");
      assert.equal(await reader.call("GET", "k"), "$1\r\na\r\n");
      assert.equal(await operator.call("CLIENT", "UNPAUSE"), "+OK\r\n");
      assert.equal(await a.readReply(), ":1\r\n");
      assert.equal(await b.readReply(), "+OK\r\n");
    } finally {
      for (const client of [operator, a, b, reader]) client.close();
    }
  });
});