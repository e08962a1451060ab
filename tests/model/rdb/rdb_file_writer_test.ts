// The RDB file writer: the file's framing (header, AUX, databases, EOF,
// checksum) and its streaming in bounded chunks; then a file with every type,
// TTLs (past ones included), several databases, binary keys and a function
// library, loaded by a real redis-server 7.0 (skipped when none is installed)
// and read back key by key, and accepted by redis-check-rdb when installed.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, open, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc64 } from "../../../src/model/rdb/crc64.ts";
import { CHUNK_BYTES, RdbFileWriter } from "../../../src/model/rdb/rdb_file_writer.ts";
import type { RdbValue, ScoredMember } from "../../../src/model/rdb/rdb_value.ts";
import { RawClient } from "../../support/raw_client.ts";
import { redisServerAvailable, startRedis, type RedisProcess } from "../../support/redis_server.ts";

const enc = new TextEncoder();
const b = (text: string) => enc.encode(text);
/** Bytes as the latin1 text the raw client's replies carry. */
const latin1 = (bytes: Uint8Array) => Array.from(bytes, (c) => String.fromCharCode(c)).join("");

/** Bytes LZF cannot shrink (xorshift noise), so a value keeps its size in the file. */
function noise(n: number): Uint8Array {
  let x = 0x9e3779b9;
  return new Uint8Array(n).map(() => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x & 0xff;
  });
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A writer whose chunks are kept, for looking at the framing. */
function collecting(options?: ConstructorParameters<typeof RdbFileWriter>[1]) {
  const chunks: Uint8Array[] = [];
  return { chunks, writer: new RdbFileWriter((chunk) => void chunks.push(chunk), options) };
}

/** The little-endian u64 at the end of a file. */
function trailer(file: Uint8Array): bigint {
  return new DataView(file.buffer, file.byteOffset + file.length - 8).getBigUint64(0, true);
}

describe("RDB file framing", () => {
  test("an empty file: header, AUX fields, EOF, checksum of all before it", async () => {
    const { chunks, writer } = collecting({ ctimeSeconds: 1_700_000_000, usedMemory: 12345 });
    const summary = await writer.finish();
    const file = concat(chunks);
    assert.equal(latin1(file.subarray(0, 9)), "REDIS0010");
    assert.equal(file[9], 0xfa);
    const text = latin1(file);
    for (const name of ["redis-ver", "redis-bits", "ctime", "used-mem", "aof-base"]) assert.ok(text.includes(name), name);
    assert.ok(text.includes("7.0.15"));
    assert.equal(file[file.length - 9], 0xff);
    assert.equal(trailer(file), crc64(file, 0, file.length - 8));
    assert.equal(summary.checksum, trailer(file));
    assert.equal(summary.bytes, file.length);
    assert.equal(summary.keys, 0);
  });

  test("streams in chunks of about CHUNK_BYTES, checksum computed across them", async () => {
    const { chunks, writer } = collecting();
    await writer.selectDb(0, { keys: 2000, expires: 0 });
    const value = new Uint8Array(300).map((_, i) => (i * 7919) % 251);
    for (let i = 0; i < 2000; i++) await writer.writeKey(b(`key:${i}`), { type: "string", value });
    const summary = await writer.finish();
    assert.ok(chunks.length > 5, `${chunks.length} chunks`);
    for (const chunk of chunks) assert.ok(chunk.length < CHUNK_BYTES + 1024, `chunk of ${chunk.length} bytes`);
    const file = concat(chunks);
    assert.equal(trailer(file), crc64(file, 0, file.length - 8));
    assert.equal(summary.keys, 2000);
  });

  test("misuse is refused with a clear error, before any byte of it is written", async () => {
    const { chunks, writer } = collecting({ databases: 4 });
    await assert.rejects(writer.writeKey(b("k"), { type: "string", value: b("v") }), /selectDb before writing keys/);
    await assert.rejects(writer.selectDb(4), /database 4 is outside 0\.\.3/);
    await assert.rejects(writer.selectDb(-1), /outside/);
    await assert.rejects(writer.selectDb(1.5), /outside/);
    await writer.selectDb(1);
    await assert.rejects(writer.selectDb(1), /already written/);
    await assert.rejects(writer.selectDb(2, { keys: -1, expires: 0 }), /RESIZEDB/);
    await assert.rejects(writer.writeFunctionLibrary(b("#!lua name=x\n")), /before the first database/);
    await assert.rejects(writer.writeKey(b("k"), { type: "list", items: [] }), /empty list/);
    await assert.rejects(writer.writeKey(b("k"), { type: "string", value: b("v") }, 1.5), /expiry/);
    await writer.finish();
    await assert.rejects(writer.writeKey(b("k"), { type: "string", value: b("v") }), /already finished/);
    await assert.rejects(writer.finish(), /already finished/);
    const file = concat(chunks);
    assert.equal(trailer(file), crc64(file, 0, file.length - 8));
  });

  test("a big value is handed over without being gathered into a chunk", async () => {
    const { chunks, writer } = collecting();
    await writer.selectDb(0);
    const big = noise(3 * CHUNK_BYTES);
    await writer.writeKey(b("big"), { type: "string", value: big });
    await writer.finish();
    assert.ok(chunks.some((c) => c.length >= big.length), "the value's bytes form one chunk");
    const file = concat(chunks);
    assert.equal(trailer(file), crc64(file, 0, file.length - 8));
  });

  test("a failing sink stops the writer", async () => {
    const writer = new RdbFileWriter(() => Promise.reject(new Error("disk full")));
    await writer.selectDb(0);
    const big: RdbValue = { type: "string", value: noise(CHUNK_BYTES) };
    await assert.rejects(writer.writeKey(b("a"), big), /disk full/);
    await assert.rejects(writer.writeKey(b("b"), big), /the sink failed earlier/);
    await assert.rejects(writer.finish(), /the sink failed earlier/);
  });
});

// ---- a file with every type, loaded by redis-server ----

interface Expected {
  readonly db: number;
  readonly key: Uint8Array;
  readonly value: RdbValue;
  /** Unix ms; a past one means the key must be gone. */
  readonly expireAtMs?: number;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const id = (ms: number, seq: number) => ({ ms: BigInt(ms), seq: BigInt(seq) });
const now = Date.now();
const LIBRARY = "#!lua name=rdbwriterlib\nredis.register_function('rdbwriter_answer', function() return 42 end)";

function dataset(): Expected[] {
  const longText = b("compressible ".repeat(200));
  const scores = (n: number, prefix: string): ScoredMember[] => range(n).map((i) => ({ member: b(`${prefix}${i}`), score: (i % 7) * 1.5 - 3 }));
  const streamValue: RdbValue = {
    type: "stream",
    stream: {
      entries: [
        { id: id(1000, 1), fields: [b("name"), b("ada"), b("n"), b("1")] },
        { id: id(1000, 2), fields: [b("name"), b("bob"), b("n"), b("2")] },
        { id: id(2000, 0), fields: [b("other"), new Uint8Array([0, 255, 10])] },
      ],
      lastId: id(3000, 5),
      firstId: id(1000, 1),
      maxDeletedId: id(3000, 5),
      entriesAdded: 4n,
      groups: [{
        name: b("g1"),
        lastId: id(1000, 2),
        entriesRead: 2n,
        pending: [
          { id: id(1000, 1), deliveryMs: now - 5000, deliveries: 3n },
          { id: id(1000, 2), deliveryMs: now - 1000, deliveries: 1n },
        ],
        consumers: [
          { name: b("alice"), seenMs: now - 5000, pending: [id(1000, 1)] },
          { name: b("bob"), seenMs: now - 1000, pending: [id(1000, 2)] },
          { name: b("carol"), seenMs: now - 100, pending: [] },
        ],
      }, {
        name: b("g0"),
        lastId: id(0, 0),
        entriesRead: 0n,
        pending: [],
        consumers: [],
      }],
    },
  };
  const keys: Expected[] = [
    { db: 0, key: b("str"), value: { type: "string", value: b("hello") } },
    { db: 0, key: b("int"), value: { type: "string", value: b("-12345") } },
    { db: 0, key: b("bigint"), value: { type: "string", value: b("9223372036854775807") } },
    { db: 0, key: b("long"), value: { type: "string", value: longText } },
    { db: 0, key: b("big-random"), value: { type: "string", value: noise(200_000) } },
    { db: 0, key: b("empty-string"), value: { type: "string", value: new Uint8Array(0) } },
    { db: 0, key: new Uint8Array([0, 1, 2, 255, 13, 10]), value: { type: "string", value: new Uint8Array([200, 0, 13, 10]) } },
    { db: 0, key: b("list-small"), value: { type: "list", items: [b("a"), b("1"), b(""), b("-7")] } },
    { db: 0, key: b("list-large"), value: { type: "list", items: range(3000).map((i) => b(i % 3 === 0 ? `item-${i}-${"x".repeat(i % 50)}` : String(i))) } },
    { db: 0, key: b("hash-small"), value: { type: "hash", fields: [[b("f1"), b("v1")], [b("n"), b("42")]] } },
    { db: 0, key: b("hash-large"), value: { type: "hash", fields: range(700).map((i) => [b(`field${i}`), b(`value${i}`)] as const) } },
    { db: 0, key: b("hash-longvalue"), value: { type: "hash", fields: [[b("f"), b("v".repeat(100))]] } },
    { db: 0, key: b("set-ints"), value: { type: "set", members: [b("3"), b("-1"), b("100000"), b("9223372036854775807")] } },
    { db: 0, key: b("set-ints-large"), value: { type: "set", members: range(600).map((i) => b(String(i * 3))) } },
    { db: 0, key: b("set-strings"), value: { type: "set", members: [b("x"), b("y"), b("1")] } },
    { db: 0, key: b("set-strings-large"), value: { type: "set", members: range(700).map((i) => b(`m${i}`)) } },
    { db: 0, key: b("zset-small"), value: { type: "zset", entries: [
      { member: b("a"), score: 1 }, { member: b("b"), score: Infinity }, { member: b("c"), score: -Infinity },
      { member: b("d"), score: -0 }, { member: b("e"), score: 0.1 }, { member: b("f"), score: -2.5e-300 },
    ] } },
    { db: 0, key: b("zset-large"), value: { type: "zset", entries: [
      ...scores(200, "member"), { member: b("inf"), score: Infinity }, { member: b("-inf"), score: -Infinity }, { member: b("nz"), score: -0 },
    ] } },
    { db: 0, key: b("stream"), value: streamValue },
    { db: 0, key: b("stream-empty"), value: { type: "stream", stream: { entries: [], lastId: id(5, 5), firstId: id(0, 0), maxDeletedId: id(5, 5), entriesAdded: 1n, groups: [] } } },
    { db: 0, key: b("ttl-future"), value: { type: "string", value: b("soon") }, expireAtMs: now + 3_600_000 },
    { db: 0, key: b("ttl-past"), value: { type: "string", value: b("gone") }, expireAtMs: now - 60_000 },
    { db: 0, key: b("ttl-hash"), value: { type: "hash", fields: [[b("a"), b("b")]] }, expireAtMs: now + 7_200_000 },
    { db: 3, key: b("str"), value: { type: "string", value: b("in db 3") } },
    { db: 3, key: b("ttl-past"), value: { type: "list", items: [b("x")] }, expireAtMs: 1 },
    { db: 3, key: new Uint8Array([0xff, 0xfe]), value: { type: "zset", entries: [{ member: new Uint8Array([0]), score: 2 }] }, expireAtMs: now + 600_000 },
    { db: 15, key: b("last-db"), value: { type: "set", members: [b("only")] } },
  ];
  return keys;
}

async function writeFile(path: string, keys: readonly Expected[]): Promise<void> {
  const handle = await open(path, "w");
  try {
    const writer = new RdbFileWriter(async (chunk) => void (await handle.write(chunk)));
    await writer.writeFunctionLibrary(b(LIBRARY));
    for (const db of [...new Set(keys.map((k) => k.db))]) {
      const inDb = keys.filter((k) => k.db === db);
      await writer.selectDb(db, { keys: inDb.length, expires: inDb.filter((k) => k.expireAtMs !== undefined).length });
      for (const k of inDb) await writer.writeKey(k.key, k.value, k.expireAtMs);
    }
    await writer.finish();
  } finally {
    await handle.close();
  }
}

/** RESP2 reply text (latin1) as nested arrays of strings, numbers and null. */
type Reply = string | number | null | Reply[];
function parse(text: string): Reply {
  let at = 0;
  const line = () => {
    const end = text.indexOf("\r\n", at);
    const out = text.slice(at, end);
    at = end + 2;
    return out;
  };
  const next = (): Reply => {
    const head = line();
    const body = head.slice(1);
    switch (head[0]) {
      case "+": return body;
      case "-": throw new Error(`error reply: ${body}`);
      case ":": return Number(body);
      case "$": {
        const n = Number(body);
        if (n < 0) return null;
        const out = text.slice(at, at + n);
        at += n + 2;
        return out;
      }
      case "*": {
        const n = Number(body);
        return n < 0 ? null : range(n).map(() => next());
      }
      default: throw new Error(`unexpected reply ${JSON.stringify(head)}`);
    }
  };
  return next();
}

const runRedis = await redisServerAvailable();

describe("an RDB file loaded by redis-server 7.0", { skip: runRedis ? false : "redis-server is not installed" }, () => {
  let dir: string;
  let path: string;
  let redis: RedisProcess;
  let client: RawClient;
  const keys = dataset();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "materia-rdb-writer-"));
    path = join(dir, "dump.rdb");
    await writeFile(path, keys);
    redis = await startRedis({ args: ["--dir", dir, "--dbfilename", "dump.rdb"] });
    client = await RawClient.connect(redis.port);
  });

  after(async () => {
    client?.close();
    await redis?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const call = async (...argv: Array<string | Uint8Array>) => parse(await client.call(...argv));

  test("the checksum at the end is the CRC-64 of the file before it", async () => {
    const file = new Uint8Array(await readFile(path));
    assert.equal(trailer(file), crc64(file, 0, file.length - 8));
  });

  test("DBSIZE of each database counts the keys whose TTL is not past", async () => {
    for (const db of range(16)) {
      await call("SELECT", String(db));
      const live = keys.filter((k) => k.db === db && (k.expireAtMs === undefined || k.expireAtMs > Date.now()));
      assert.equal(await call("DBSIZE"), live.length, `db ${db}`);
    }
  });

  test("every key reads back equal, with its TTL", async () => {
    for (const k of keys) {
      await call("SELECT", String(k.db));
      const name = `${k.db}/${JSON.stringify(latin1(k.key))}`;
      if (k.expireAtMs !== undefined && k.expireAtMs <= Date.now()) {
        assert.equal(await call("EXISTS", k.key), 0, `${name} expired`);
        continue;
      }
      const pttl = await call("PTTL", k.key);
      if (k.expireAtMs === undefined) assert.equal(pttl, -1, `${name} has no TTL`);
      else {
        const expected = k.expireAtMs - Date.now();
        assert.ok(typeof pttl === "number" && Math.abs(pttl - expected) < 30_000, `${name} PTTL ${pttl} vs ${expected}`);
      }
      const v = k.value;
      switch (v.type) {
        case "string":
          assert.equal(await call("GET", k.key), latin1(v.value), name);
          break;
        case "list":
          assert.deepEqual(await call("LRANGE", k.key, "0", "-1"), v.items.map(latin1), name);
          break;
        case "hash": {
          const flat = (await call("HGETALL", k.key)) as string[];
          const got = new Map(range(flat.length / 2).map((i) => [flat[2 * i]!, flat[2 * i + 1]!]));
          assert.deepEqual(got, new Map(v.fields.map(([f, x]) => [latin1(f), latin1(x)])), name);
          break;
        }
        case "set":
          assert.deepEqual(((await call("SMEMBERS", k.key)) as string[]).sort(), v.members.map(latin1).sort(), name);
          break;
        case "zset": {
          const sorted = [...v.entries].sort((x, y) => x.score !== y.score ? (x.score < y.score ? -1 : 1) : latin1(x.member) < latin1(y.member) ? -1 : 1);
          const got = (await call("ZRANGE", k.key, "0", "-1", "WITHSCORES")) as string[];
          assert.deepEqual(got.filter((_, i) => i % 2 === 0), sorted.map((e) => latin1(e.member)), name);
          const gotScores = got.filter((_, i) => i % 2 === 1).map((t) => (t === "inf" ? Infinity : t === "-inf" ? -Infinity : Number(t)));
          sorted.forEach((e, i) => assert.ok(Object.is(gotScores[i], e.score) || gotScores[i] === e.score, `${name} score of ${latin1(e.member)}: ${gotScores[i]} vs ${e.score}`));
          // Negative zero keeps its sign in a skiplist (a binary double); a listpack holds it as the integer 0,
          // as Redis's own zzlInsertAt does, so there ZSCORE answers "0" as it would in Redis.
          const encoding = await call("OBJECT", "ENCODING", k.key);
          for (const e of v.entries) {
            if (Object.is(e.score, -0)) assert.equal(await call("ZSCORE", k.key, e.member), encoding === "skiplist" ? "-0" : "0", `${name} -0 (${encoding})`);
          }
          break;
        }
        case "stream": {
          const s = v.stream;
          const entries = (await call("XRANGE", k.key, "-", "+")) as Reply[][];
          assert.deepEqual(entries, s.entries.map((e) => [`${e.id.ms}-${e.id.seq}`, e.fields.map(latin1)]), name);
          const info = (await call("XINFO", "STREAM", k.key)) as Reply[];
          const field = (arr: Reply[], f: string) => arr[arr.indexOf(f) + 1];
          assert.equal(field(info, "length"), s.entries.length);
          assert.equal(field(info, "last-generated-id"), `${s.lastId.ms}-${s.lastId.seq}`);
          assert.equal(field(info, "max-deleted-entry-id"), `${s.maxDeletedId.ms}-${s.maxDeletedId.seq}`);
          assert.equal(field(info, "entries-added"), Number(s.entriesAdded));
          const groups = (await call("XINFO", "GROUPS", k.key)) as Reply[][];
          assert.equal(groups.length, s.groups.length, name);
          for (const g of s.groups) {
            const got = groups.find((x) => field(x, "name") === latin1(g.name));
            assert.ok(got, `group ${latin1(g.name)}`);
            assert.equal(field(got, "consumers"), g.consumers.length);
            assert.equal(field(got, "pending"), g.pending.length);
            assert.equal(field(got, "last-delivered-id"), `${g.lastId.ms}-${g.lastId.seq}`);
            assert.equal(field(got, "entries-read"), Number(g.entriesRead));
            const consumers = (await call("XINFO", "CONSUMERS", k.key, g.name)) as Reply[][];
            assert.deepEqual(
              consumers.map((c) => [field(c, "name"), field(c, "pending")]).sort(),
              g.consumers.map((c) => [latin1(c.name), c.pending.length]).sort(),
            );
            for (const c of consumers) {
              const expected = g.consumers.find((x) => latin1(x.name) === field(c, "name"))!;
              const idle = field(c, "idle") as number;
              assert.ok(Math.abs(idle - (Date.now() - expected.seenMs)) < 30_000, `idle ${idle}`);
            }
            const pending = (await call("XPENDING", k.key, g.name, "-", "+", "100")) as Reply[][];
            const owner = (pid: string) => latin1(g.consumers.find((c) => c.pending.some((p) => `${p.ms}-${p.seq}` === pid))!.name);
            assert.deepEqual(
              pending.map((p) => [p[0], p[1], p[3]]),
              g.pending.map((p) => [`${p.id.ms}-${p.id.seq}`, owner(`${p.id.ms}-${p.id.seq}`), Number(p.deliveries)]),
            );
          }
          break;
        }
      }
    }
  });

  // Lists are always quicklists in 7.0 (listpack lists came with 7.2).
  test("values load in the encodings Redis 7.0 gives them (both sides of each threshold are covered)", async () => {
    await call("SELECT", "0");
    const expected: Record<string, string> = {
      "str": "embstr", "int": "int", "long": "raw", "list-small": "quicklist", "list-large": "quicklist",
      "hash-small": "listpack", "hash-large": "hashtable", "hash-longvalue": "hashtable",
      "set-ints": "intset", "set-ints-large": "hashtable", "set-strings": "hashtable", "set-strings-large": "hashtable",
      "zset-small": "listpack", "zset-large": "skiplist", "stream": "stream",
    };
    for (const [key, encoding] of Object.entries(expected)) assert.equal(await call("OBJECT", "ENCODING", key), encoding, key);
  });

  test("the function library is loaded", async () => {
    assert.equal(await call("FCALL", "rdbwriter_answer", "0"), 42);
  });

  test("redis-check-rdb accepts the file", { skip: existsSync("/usr/bin/redis-check-rdb") ? false : "redis-check-rdb is not installed" }, async () => {
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn("/usr/bin/redis-check-rdb", [path], { stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
      child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
      child.once("exit", (code) => resolve({ code, output }));
    });
    assert.equal(code, 0, output);
    assert.match(output, /RDB looks OK/);
  });
});
