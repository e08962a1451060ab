// The tests of the blocking commands (src/commands/families/blocking.ts): the
// differential cases and multi-client scenarios of blocking_cases.ts against
// redis-server (or its recorded replies), on the memory and SQLite engines;
// then Materia's own tests of what differs by nature or is Materia's alone:
// CLIENT LIST's `b` flag and INFO's blocked_clients, tenants, rights,
// keyspace events, many waiters, shutdown and CLIENT KILL of a waiter.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Principal } from "../../src/auth/contract.ts";
import { blockingOperation, commandOperation, type CommandCall } from "../../src/commands/command_operation.ts";
import { AccessTimes } from "../../src/core/access_times.ts";
import type { EngineCommandSpec, ServerServices, Session } from "../../src/commands/spec.ts";
import { Executor } from "../../src/core/executor.ts";
import { KeyEvents } from "../../src/core/key_events.ts";
import type { UsageTracker } from "../../src/core/metering.ts";
import type { KeyspaceEvent } from "../../src/core/messages.ts";
import type { Engine } from "../../src/engine/contract.ts";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { SqliteEngine } from "../../src/engine/sqlite/engine.ts";
import { Keyspace } from "../../src/model/keyspace.ts";
import { ErrorReply } from "../../src/resp/reply.ts";
import { TempDirs } from "../engine/sqlite_support.ts";
import { differentialSuite } from "../differential/suite.ts";
import { scenarioSuite } from "../differential/scenario_suite.ts";
import { RawClient } from "../support/raw_client.ts";
import { waitBlocked } from "../support/blocked_clients.ts";
import { runtimeOpenSqlite } from "../support/runtime.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";
import { family } from "./families.ts";
import { CASES, METADATA_COMMANDS, SCENARIOS } from "./blocking_cases.ts";
import { passwordTenants } from "../support/password_tenants.ts";

differentialSuite("blocking", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("blocking").specs });
scenarioSuite("blocking", SCENARIOS);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const bulk = (text: string): string => `$${new TextEncoder().encode(text).length}\r\n${text}\r\n`;
const pair = (key: string, value: string): string => `*2\r\n${bulk(key)}${bulk(value)}`;


async function connectAll(port: number, n: number): Promise<RawClient[]> {
  return Promise.all(Array.from({ length: n }, () => RawClient.connect(port)));
}

/** The memory engine, and SQLite in a temporary directory: each test runs on both. */
const ENGINES: ReadonlyArray<readonly [string, (dirs: TempDirs) => Promise<Engine>]> = [
  ["memory", async () => new MemoryEngine()],
  ["sqlite", async (dirs) => SqliteEngine.open(dirs.make("blocking"), { openDriver: await runtimeOpenSqlite() })],
];

for (const [engineName, openEngine] of ENGINES) {
  describe(`blocking commands on the ${engineName} engine`, () => {
    const dirs = new TempDirs();
    let server: RunningServer;
    before(async () => {
      server = await startInProcess({ engine: await openEngine(dirs) });
    });
    after(async () => {
      await server.stop();
      dirs.removeAll();
    });

    test("BLPOP shows in CLIENT LIST with the b flag and cmd=blpop, and in INFO clients as blocked_clients, until served", async () => {
      const [waiter, other] = await connectAll(server.port, 2) as [RawClient, RawClient];
      try {
        const id = /^:(\d+)/.exec(await waiter.call("CLIENT", "ID"))![1]!;
        waiter.writeRaw("*3\r\n$5\r\nBLPOP\r\n$4\r\nlist\r\n$1\r\n0\r\n");
        await waitBlocked(other, 1);
        const line = (await other.call("CLIENT", "LIST", "ID", id)).split("\n").find((l) => l.includes(`id=${id} `))!;
        assert.match(line, / flags=b /);
        assert.match(line, / cmd=blpop /);
        assert.match(await other.call("CLIENT", "INFO"), / flags=N .* cmd=client\|info /);
        assert.equal(await other.call("RPUSH", "list", "x"), ":1\r\n");
        assert.equal(await waiter.readReply(), pair("list", "x"));
        await waitBlocked(other, 0);
        assert.match(await waiter.call("CLIENT", "INFO"), / flags=N /);
      } finally {
        waiter.close();
        other.close();
      }
    });

    test("50 BLPOP waiters and 50 single pushes: each waiter gets one element, in the order it blocked", async () => {
      const waiters = await connectAll(server.port, 50);
      const pusher = await RawClient.connect(server.port);
      try {
        for (const [i, waiter] of waiters.entries()) {
          waiter.writeRaw("*3\r\n$5\r\nBLPOP\r\n$5\r\nqueue\r\n$1\r\n0\r\n");
          await waitBlocked(pusher, i + 1);
        }
        for (let i = 0; i < 50; i++) assert.match(await pusher.call("RPUSH", "queue", `job-${i}`), /^:\d+\r\n$/);
        for (const [i, waiter] of waiters.entries()) assert.equal(await waiter.readReply(), pair("queue", `job-${i}`), `waiter ${i}`);
        assert.equal(await pusher.call("EXISTS", "queue"), ":0\r\n");
      } finally {
        for (const waiter of waiters) waiter.close();
        pusher.close();
      }
    });

    test("one push of 30 elements serves 30 of 40 BRPOP waiters, one element each, from the tail, in blocking order", async () => {
      const waiters = await connectAll(server.port, 40);
      const pusher = await RawClient.connect(server.port);
      try {
        for (const [i, waiter] of waiters.entries()) {
          waiter.writeRaw("*3\r\n$5\r\nBRPOP\r\n$1\r\nq\r\n$1\r\n0\r\n");
          await waitBlocked(pusher, i + 1);
        }
        const elements = Array.from({ length: 30 }, (_, i) => `e${i}`);
        assert.equal(await pusher.call("RPUSH", "q", ...elements), ":30\r\n");
        for (let i = 0; i < 30; i++) assert.equal(await waiters[i]!.readReply(), pair("q", `e${29 - i}`), `waiter ${i}`);
        await waitBlocked(pusher, 10);
        assert.equal(await pusher.call("EXISTS", "q"), ":0\r\n");
      } finally {
        for (const waiter of waiters) waiter.close();
        pusher.close();
      }
    });

    test("a waiter in database 1 is not woken by a push to the same key in database 0", async () => {
      const [waiter, other] = await connectAll(server.port, 2) as [RawClient, RawClient];
      try {
        assert.equal(await waiter.call("SELECT", "1"), "+OK\r\n");
        waiter.writeRaw("*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n");
        await waitBlocked(other, 1);
        assert.equal(await other.call("RPUSH", "k", "db0"), ":1\r\n");
        await assert.rejects(waiter.readReply(150), /no complete reply/);
        assert.equal(await other.call("SELECT", "1"), "+OK\r\n");
        assert.equal(await other.call("RPUSH", "k", "db1"), ":1\r\n");
        assert.equal(await waiter.readReply(), pair("k", "db1"));
        assert.equal(await other.call("SELECT", "0"), "+OK\r\n");
        assert.equal(await other.call("LRANGE", "k", "0", "-1"), `*1\r\n${bulk("db0")}`);
        assert.equal(await other.call("DEL", "k"), ":1\r\n");
      } finally {
        waiter.close();
        other.close();
      }
    });

    test("CLIENT KILL of a blocked client closes it, and nothing is popped for it", async () => {
      const [waiter, other] = await connectAll(server.port, 2) as [RawClient, RawClient];
      try {
        const id = /^:(\d+)/.exec(await waiter.call("CLIENT", "ID"))![1]!;
        waiter.writeRaw("*3\r\n$5\r\nBLPOP\r\n$6\r\nkilled\r\n$1\r\n0\r\n");
        await waitBlocked(other, 1);
        assert.equal(await other.call("CLIENT", "KILL", "ID", id), ":1\r\n");
        assert.ok(await waiter.closedByServer(), "the killed client's connection closes");
        await waitBlocked(other, 0);
        assert.equal(await other.call("RPUSH", "killed", "x"), ":1\r\n");
        assert.equal(await other.call("LPOP", "killed"), bulk("x"));
      } finally {
        waiter.close();
        other.close();
      }
    });
  });
}

describe("blocking commands and the server's life", () => {
  test("a graceful shutdown answers a blocked BLPOP with the shutdown error instead of waiting for it", async () => {
    const server = await startInProcess();
    const waiter = await RawClient.connect(server.port);
    const other = await RawClient.connect(server.port);
    try {
      waiter.writeRaw("*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n");
      await waitBlocked(other, 1);
      other.close();
      const started = Date.now();
      const stopping = server.stop();
      assert.equal(await waiter.readReply(), "-ERR the server is shutting down; reconnect and retry\r\n");
      await stopping;
      assert.ok(Date.now() - started < 1_500, "the shutdown did not wait for the blocked client");
    } finally {
      waiter.close();
    }
  });
});

describe("blocking commands and tenants", () => {
  let server: RunningServer;
  before(async () => {
    server = await startInProcess({ auth: passwordTenants() });
  });
  after(() => server.stop());

  async function login(password: string): Promise<RawClient> {
    const client = await RawClient.connect(server.port);
    assert.equal(await client.call("AUTH", password), "+OK\r\n");
    return client;
  }

  test("a client of tenant A blocked on k is not woken by tenant B's push to k, only by A's; B sees neither its waiter nor its blocked count", async () => {
    const waiterA = await login("a");
    const otherA = await login("a");
    const clientB = await login("b");
    try {
      waiterA.writeRaw("*3\r\n$5\r\nBLPOP\r\n$1\r\nk\r\n$1\r\n0\r\n");
      await waitBlocked(otherA, 1);
      assert.match(await clientB.call("INFO", "clients"), /blocked_clients:0\r\n/);
      assert.equal(await clientB.call("RPUSH", "k", "from-b"), ":1\r\n");
      await assert.rejects(waiterA.readReply(200), /no complete reply/);
      assert.equal(await clientB.call("LRANGE", "k", "0", "-1"), `*1\r\n${bulk("from-b")}`);
      assert.equal(await otherA.call("RPUSH", "k", "from-a"), ":1\r\n");
      assert.equal(await waiterA.readReply(), pair("k", "from-a"));
      assert.equal(await clientB.call("LLEN", "k"), ":1\r\n");
    } finally {
      waiterA.close();
      otherA.close();
      clientB.close();
    }
  });

  test("CLIENT UNBLOCK of another tenant's blocked client answers 0 and leaves it blocked; its own tenant can unblock it", async () => {
    const waiterA = await login("a");
    const otherA = await login("a");
    const clientB = await login("b");
    try {
      const id = /^:(\d+)/.exec(await waiterA.call("CLIENT", "ID"))![1]!;
      waiterA.writeRaw("*3\r\n$5\r\nBLPOP\r\n$7\r\nnothing\r\n$1\r\n0\r\n");
      await waitBlocked(otherA, 1);
      assert.equal(await clientB.call("CLIENT", "UNBLOCK", id), ":0\r\n");
      assert.equal(await clientB.call("CLIENT", "UNBLOCK", id, "ERROR"), ":0\r\n");
      await assert.rejects(waiterA.readReply(150), /no complete reply/);
      assert.equal(await otherA.call("CLIENT", "UNBLOCK", id, "ERROR"), ":1\r\n");
      assert.equal(await waiterA.readReply(), "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n");
    } finally {
      waiterA.close();
      otherA.close();
      clientB.close();
    }
  });

  test("the blocking pops are writes: a read-only principal gets NOPERM, and does not block", async () => {
    const reader = await login("r");
    try {
      assert.equal(await reader.call("BLPOP", "k", "0"), "-NOPERM this user has no permissions to run the 'blpop' command\r\n");
      assert.equal(await reader.call("BZMPOP", "0", "1", "z", "MIN"), "-NOPERM this user has no permissions to run the 'bzmpop' command\r\n");
      assert.equal(await reader.call("PING"), "+PONG\r\n");
    } finally {
      reader.close();
    }
  });
});

// Keyspace events are reported by each command's Effects (delivery is another
// module's work): checked here on an executor whose message sink records them.
describe("keyspace events of the blocking pops (BLPOP, BLMOVE, BRPOPLPUSH, BZPOPMIN, BZMPOP)", () => {
  const enc = (text: string) => new TextEncoder().encode(text);
  const spaces = new Map<string, Keyspace>();
  const keyspaceOf = (tenant: string, db: number): Keyspace => {
    const id = `${tenant}/${db}`;
    if (!spaces.has(id)) spaces.set(id, new Keyspace(tenant, db));
    return spaces.get(id)!;
  };
  const usage: UsageTracker = { quotaBytes: Number.MAX_SAFE_INTEGER, cachedBytes: () => 0, usedBytes: () => Promise.resolve(0), applied: () => {} };
  const events: string[] = [];
  const executor = new Executor({
    engine: new MemoryEngine(),
    clock: Date.now,
    usage,
    keyEvents: new KeyEvents(),
    keyspaceOf,
    // Every tenant's operations record their keyspace events (the server asks its notify-keyspace-events).
    notifying: () => true,
    messages: {
      publish: () => {},
      keyspaceEvents: (reported: readonly KeyspaceEvent[]) => {
        for (const e of reported) events.push(`${e.event}[${e.type}] ${new TextDecoder().decode(e.key)}`);
      },
    },
  });
  const client = { principal: { user: "default", tenant: "t", canWrite: true } as Principal, keyspace: keyspaceOf("t", 0) };
  const table = new Map(family("blocking").specs.map((spec) => [spec.name, spec as EngineCommandSpec]));
  const others = new Map([...family("lists").specs, ...family("sorted_sets").specs].map((spec) => [spec.name, spec]));

  function callOf(spec: EngineCommandSpec | undefined, words: string[]): CommandCall {
    const argv = words.map(enc);
    const parsed = spec!.parse(argv);
    assert.ok(!(parsed instanceof ErrorReply), `${words.join(" ")} parses`);
    return { argv, parsed, session: {} as Session, server: { accessTimes: new AccessTimes({ startedAtMs: 0 }) } as unknown as ServerServices };
  }
  /** Starts a blocking command; resolves with its reply. */
  function blocking(...words: string[]) {
    const spec = table.get(words[0]!.toLowerCase())!;
    const call = callOf(spec, words);
    return executor.runBlocking(client, blockingOperation(spec, spec.name), call, { timeoutMs: 2_000, keys: spec.blocking!.waitKeys(call.parsed) });
  }
  function run(...words: string[]) {
    const spec = others.get(words[0]!.toLowerCase())! as EngineCommandSpec;
    return executor.run(client, commandOperation(spec, spec.name), callOf(spec, words));
  }

  test("a BLMOVE, BRPOPLPUSH, BLPOP chain reports lpush(mid), rpop(src), del(src), lpush(dst), rpop(mid), del(mid), lpop(dst), del(dst)", async () => {
    events.length = 0;
    const chain = [blocking("BLMOVE", "src", "mid", "RIGHT", "LEFT", "0"), blocking("BRPOPLPUSH", "mid", "dst", "0"), blocking("BLPOP", "dst", "0")];
    await sleep(10);
    await run("RPUSH", "src", "v");
    await Promise.all(chain);
    // Every event, `new` included (Redis sends it with the n class): the RPUSH's, then each waiter's in service order.
    assert.deepEqual(events, [
      "new[n] src", "rpush[l] src",
      "new[n] mid", "lpush[l] mid", "rpop[l] src", "del[g] src",
      "new[n] dst", "lpush[l] dst", "rpop[l] mid", "del[g] mid",
      "lpop[l] dst", "del[g] dst",
    ]);
  });

  test("a pop that leaves elements reports no del; BZPOPMIN and BZMPOP report zpopmin and zpopmax", async () => {
    events.length = 0;
    await run("RPUSH", "l", "a", "b");
    await blocking("BRPOP", "l", "0");
    await blocking("BLMPOP", "0", "1", "l", "LEFT", "COUNT", "5");
    await run("ZADD", "z", "1", "a", "2", "b");
    await blocking("BZPOPMIN", "z", "0");
    await blocking("BZMPOP", "0", "1", "z", "MAX");
    assert.deepEqual(events, [
      "new[n] l", "rpush[l] l", "rpop[l] l", "lpop[l] l", "del[g] l",
      "new[n] z", "zadd[z] z", "zpopmin[z] z", "zpopmax[z] z", "del[g] z",
    ]);
  });
});
