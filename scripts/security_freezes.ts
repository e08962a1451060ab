// Replays the reproductions of the security review (issue 12) against a real
// materia process and reports, for each, how long a bystander tenant waited
// for PING at worst, how long the attack took to be answered, and the
// server's peak resident memory. The numbers of the closing note come from here.
// Usage: bun scripts/security_freezes.ts [--only NAME]
import { parseArgs } from "node:util";
import { generateRootKey, mintToken, parseRootKey, type RootKeys } from "../src/auth/tokens.ts";
import { encodeCommand, RawClient } from "../tests/support/raw_client.ts";
import { spawnServer, type ServerProcess } from "../tests/support/servers.ts";
import { TempDirs } from "../tests/support/processes.ts";
import { mib, rssOf, sampleRss } from "../tests/robustness/rss.ts";
import { facts, withBlock } from "../tests/security/support.ts";
import { startBystander } from "./bystander.ts";

const { values } = parseArgs({ args: process.argv.slice(2), options: { only: { type: "string" } } });

interface Scenario {
  readonly name: string;
  readonly what: string;
  run(ctx: Context): Promise<string>;
}

interface Context {
  readonly server: ServerProcess;
  readonly root: RootKeys;
  client(tenant: string, token?: string): Promise<RawClient>;
}

/** Runs `attack`, measuring the bystander's worst PING, the attack's duration and the server's peak RSS. */
async function measured(ctx: Context, attack: () => Promise<string>): Promise<string> {
  const before = rssOf(ctx.server.child.pid!);
  const rss = sampleRss(ctx.server.child.pid!);
  const watcher = await startBystander(ctx.server.port, await mintToken(ctx.root, "kv_bystander"));
  const started = performance.now();
  const outcome = await attack();
  const elapsed = performance.now() - started;
  const { worst } = await watcher.stop();
  const peak = rss.stop();
  return `${outcome}; took ${elapsed.toFixed(0)} ms; bystander's worst PING ${worst.toFixed(1)} ms; RSS ${mib(before)} → peak ${mib(peak)}`;
}

async function pipelined(client: RawClient, argv: string[], count: number): Promise<Map<string, number>> {
  const one = encodeCommand(argv);
  const seen = new Map<string, number>();
  for (let sent = 0; sent < count; sent += 1000) {
    const n = Math.min(1000, count - sent);
    const bytes = new Uint8Array(one.length * n);
    for (let i = 0; i < n; i++) bytes.set(one, i * one.length);
    client.writeRaw(bytes);
    for (let i = 0; i < n; i++) {
      const reply = (await client.readReply(60_000)).slice(0, 60).trim();
      seen.set(reply, (seen.get(reply) ?? 0) + 1);
    }
  }
  return seen;
}

const summary = (replies: Map<string, number>): string => [...replies].map(([r, n]) => `${n}× ${r}`).join(", ");

const scenarios: Scenario[] = [
  {
    name: "multi-auth",
    what: "1. AUTH with another tenant's read-only token inside MULTI, then GET/SET/KEYS and EXEC",
    async run(ctx) {
      const other = await mintToken(ctx.root, "kv_ab", { readOnly: true, prefixes: ["pub:"] });
      const c = await ctx.client("kv_b");
      try {
        return await measured(ctx, async () => {
          const replies = [await c.call("MULTI"), await c.call("AUTH", other), await c.call("SET", "secret:1", "x"), await c.call("EXEC")];
          return replies.map((r) => r.trim().slice(0, 50)).join(" | ");
        });
      } finally {
        c.close();
      }
    },
  },
  {
    name: "watch-flush",
    what: "5. 4 connections WATCH 10,000 keys each (the per-connection bound); another tenant runs FLUSHDB 10 times",
    async run(ctx) {
      const watchers = await Promise.all(Array.from({ length: 4 }, () => ctx.client("kv_watcher")));
      const flusher = await ctx.client("kv_flusher");
      const keys = Array.from({ length: 10_000 }, (_, i) => `key:${i}`);
      for (const w of watchers) await w.call("WATCH", ...keys);
      try {
        return await measured(ctx, async () => {
          for (let i = 0; i < 10; i++) await flusher.call("FLUSHDB");
          return `WATCH of 40,000 keys refused in one connection: ${(await watchers[0]!.call("WATCH", ...keys.map((k) => `${k}:more`), ...keys, ...keys)).slice(0, 40).trim()}`;
        });
      } finally {
        for (const w of watchers) w.close();
        flusher.close();
      }
    },
  },
  {
    name: "multi-queue",
    what: "10. MULTI then 1,000,000 pipelined SETs",
    async run(ctx) {
      const c = await ctx.client("kv_queue");
      try {
        return await measured(ctx, async () => {
          await c.call("MULTI");
          const replies = await pipelined(c, ["SET", "key:000000", "v".repeat(100)], 1_000_000);
          return `${summary(replies)}; EXEC: ${(await c.call("EXEC")).trim()}`;
        });
      } finally {
        c.close();
      }
    },
  },
  {
    name: "watch-memory",
    what: "10. WATCH of 12,000 keys of 8 KB each (in batches of 100)",
    async run(ctx) {
      const c = await ctx.client("kv_watchmem");
      try {
        return await measured(ctx, async () => {
          const replies = new Map<string, number>();
          for (let i = 0; i < 12_000; i += 100) {
            const keys = Array.from({ length: 100 }, (_, j) => `${i + j}:`.padEnd(8000, "k"));
            const reply = (await c.call("WATCH", ...keys)).slice(0, 40).trim();
            replies.set(reply, (replies.get(reply) ?? 0) + 1);
          }
          return summary(replies);
        });
      } finally {
        c.close();
      }
    },
  },
];

scenarios.push(
  {
    name: "datalog-tokens",
    what: "3, 4. AUTH with a 4-way join check over 100 facts, and with a 4-way join rule over 60 facts, 20 times each",
    async run(ctx) {
      const readOnly = await mintToken(ctx.root, "kv_attacker", { readOnly: true });
      const check = await withBlock(readOnly, ctx.root.publicKeyText, `${facts(100)} check if f($a), f($b), f($c), f($d), $a + $b + $c + $d == -1 or operation("read");`);
      const rule = await withBlock(readOnly, ctx.root.publicKeyText, `${facts(60)} g($a,$b,$c,$d) <- f($a), f($b), f($c), f($d);`);
      const c = await RawClient.connect(ctx.server.port);
      try {
        return await measured(ctx, async () => {
          const replies = new Map<string, number>();
          for (let i = 0; i < 20; i++) {
            for (const token of [check, rule]) {
              const reply = (await c.call("AUTH", token)).slice(0, 60).trim();
              replies.set(reply, (replies.get(reply) ?? 0) + 1);
            }
          }
          return summary(replies);
        });
      } finally {
        c.close();
      }
    },
  },
  {
    name: "json-filter",
    what: "6. JSON.GET with the review's method-call filter (padStart(1e9)...)",
    async run(ctx) {
      const c = await ctx.client("kv_json");
      try {
        await c.call("JSON.SET", "j", "$", JSON.stringify({ a: [{ n: "x" }, { n: "y" }] }));
        return await measured(ctx, async () => {
          const bomb = "$.a[?(@.n.split('').concat(@.n.padStart(1000000000).toLowerCase(), @.n.padStart(1000000000).toUpperCase()).length > 1)]";
          return (await c.call("JSON.GET", "j", bomb)).slice(0, 90).trim();
        });
      } finally {
        c.close();
      }
    },
  },
  {
    name: "anonymous-flood",
    what: "8. 6,000 sockets that never AUTH (maxclients 10,000, no per-address limit), then a client that authenticates",
    async run(ctx) {
      const idle: RawClient[] = [];
      try {
        return await measured(ctx, async () => {
          for (let i = 0; i < 6_000; i++) idle.push(await RawClient.connect(ctx.server.port));
          const c = await ctx.client("kv_late");
          const reply = (await c.call("SET", "k", "v")).trim();
          c.close();
          await new Promise((r) => setTimeout(r, 200));
          let open = 0;
          for (const socket of idle) if (!(await socket.closedByServer(0))) open++;
          return `authenticated client after the flood: ${reply}; anonymous sockets still open: ${open} of 6000`;
        });
      } finally {
        for (const socket of idle) socket.close();
      }
    },
  },
  {
    name: "never-reads",
    what: "10. a client that never reads sends 1,000 GETs of a 1 MiB value",
    async run(ctx) {
      const writer = await ctx.client("kv_reader");
      await writer.call("SET", "big", "x".repeat(1024 * 1024));
      const silent = await ctx.client("kv_reader");
      try {
        return await measured(ctx, async () => {
          const one = encodeCommand(["GET", "big"]);
          const burst = new Uint8Array(one.length * 1000);
          for (let i = 0; i < 1000; i++) burst.set(one, i * one.length);
          silent.writeRaw(burst);
          await new Promise((r) => setTimeout(r, 3_000));
          return "1,000 GETs sent, nothing read for 3 s";
        });
      } finally {
        silent.close();
        writer.close();
      }
    },
  },
);

const dirs = new TempDirs();
const rootText = await generateRootKey();
const root = await parseRootKey(rootText);
// No per-address limit: the flood below stands for an attacker with many source addresses.
const server = await spawnServer(["--engine", "memory", "--data", dirs.make("freezes"), "--maxclients-per-address", "0"], { env: { MATERIA_ROOT_KEY: rootText } });
const ctx: Context = {
  server,
  root,
  async client(tenant, token) {
    const c = await RawClient.connect(server.port);
    const reply = await c.call("AUTH", token ?? (await mintToken(root, tenant)));
    if (reply !== "+OK\r\n") throw new Error(`AUTH for ${tenant} answered ${reply.trim()}`);
    return c;
  },
};
try {
  for (const scenario of scenarios) {
    if (values.only !== undefined && values.only !== scenario.name) continue;
    console.log(`${scenario.name}: ${scenario.what}\n  → ${await scenario.run(ctx)}`);
  }
} catch (error) {
  console.error(`failed: ${error}\nserver output:\n${server.output()}`);
  process.exitCode = 1;
} finally {
  await server.kill("SIGTERM");
  dirs.removeAll();
}
// A bystander worker of a failed scenario would keep the process alive.
process.exit(process.exitCode ?? 0);
