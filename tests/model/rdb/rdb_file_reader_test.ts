// The streaming RDB file reader: a file saved by a real redis-server 7.0.15
// (every type and encoding, TTLs, several databases, a function library,
// binary keys) reads back equal to what that server answers, key by key;
// truncated and corrupted files are refused with an RdbFileError at a byte
// offset (never another exception, never a hang); fed in small chunks, the
// reader holds a window bounded by the largest record, not the file. Synthetic
// files cover what redis-server 7.0 does not write (version 11, module AUX,
// the 7.0 rc function format, EXPIRETIME in seconds, lying lengths, limits).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createReadStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc64Update, writeCrc64LittleEndian } from "../../../src/model/rdb/crc64.ts";
import { RdbFileError, RdbFileReader, readRdbFile, type RdbRecord } from "../../../src/model/rdb/rdb_file_reader.ts";
import { encodeLength, encodeRdbString } from "../../../src/model/rdb/rdb_string.ts";
import type { RdbValue } from "../../../src/model/rdb/rdb_value.ts";
import { writeRdbValue } from "../../../src/model/rdb/rdb_value_writer.ts";
import { RawClient } from "../../support/raw_client.ts";
import { redisServerAvailable, startRedis, type RedisProcess } from "../../support/redis_server.ts";

const enc = new TextEncoder();
const latin1 = (bytes: Uint8Array): string => Array.from(bytes, (b) => String.fromCharCode(b)).join("");
const fromLatin1 = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));

function concat(...parts: Array<Uint8Array | number[]>): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => Array.from(p)));
}

/** `chunkSize`-byte chunks of `bytes`, as a file stream would give them. */
async function* chunks(bytes: Uint8Array, chunkSize: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += chunkSize) yield bytes.slice(at, at + chunkSize);
}

async function readAll(bytes: Uint8Array, chunkSize = 4096, options = {}): Promise<RdbRecord[]> {
  const out: RdbRecord[] = [];
  for await (const record of readRdbFile(chunks(bytes, chunkSize), options)) out.push(record);
  return out;
}

async function refusal(bytes: Uint8Array, chunkSize = 4096, options = {}): Promise<RdbFileError> {
  try {
    await readAll(bytes, chunkSize, options);
  } catch (e) {
    if (e instanceof RdbFileError) return e;
    throw new Error(`not an RdbFileError: ${(e as Error).stack}`);
  }
  throw new Error("accepted");
}

/** A synthetic RDB file: header, body, EOF, and the checksum (or 0 when `checksum` is false). */
function rdbFile(body: Uint8Array, options: { version?: number; checksum?: boolean } = {}): Uint8Array {
  const head = enc.encode(`REDIS${String(options.version ?? 10).padStart(4, "0")}`);
  const out = concat(head, body, [0xff], new Array(8).fill(0));
  if (options.checksum ?? true) writeCrc64LittleEndian(crc64Update({ hi: 0, lo: 0 }, out, 0, out.length - 8), out, out.length - 8);
  return out;
}

const keyRecord = (type: number, key: string, value: RdbValue): Uint8Array => {
  const encoded = writeRdbValue(value);
  return concat([type], encodeRdbString(enc.encode(key)), encoded.subarray(1));
};

describe("RDB file reader on synthetic files", () => {
  const stringValue = (s: string): RdbValue => ({ type: "string", value: enc.encode(s) });

  test("reads opcodes, keys and hints in chunks of every size", async () => {
    const body = concat(
      [0xfa], encodeRdbString(enc.encode("redis-ver")), encodeRdbString(enc.encode("7.2.4")),
      [0xfe], encodeLength(3), [0xfb], encodeLength(2), encodeLength(1),
      [0xfd], [0x10, 0x27, 0, 0], // EXPIRETIME 10000 s
      [0xf8], encodeLength(77), [0xf9], [5],
      keyRecord(0, "a", stringValue("1")),
      keyRecord(0, "b", stringValue("x".repeat(300))),
    );
    for (const size of [1, 2, 3, 7, 64, 100_000]) {
      const records = await readAll(rdbFile(body, { version: 11 }), size);
      assert.deepEqual(records.map((r) => r.kind), ["header", "aux", "resizeDb", "key", "key", "end"], `chunk ${size}`);
      assert.deepEqual(records[0], { kind: "header", version: 11 });
      assert.deepEqual(records[2], { kind: "resizeDb", db: 3, keys: 2, expires: 1 });
      const [a, b] = [records[3]!, records[4]!];
      assert.ok(a.kind === "key" && b.kind === "key");
      assert.deepEqual([a.db, latin1(a.key), a.expireAtMs, a.idleSeconds, a.lfuFrequency], [3, "a", 10_000_000, 77, 5]);
      assert.deepEqual([b.expireAtMs, b.idleSeconds, b.lfuFrequency], [undefined, undefined, undefined], "hints apply to one key");
      assert.deepEqual(records[5], { kind: "end", bytes: rdbFile(body).length, checksumVerified: true });
    }
  });

  test("a checksum of 0 is not computed: accepted unchecked; any other mismatch is refused", async () => {
    const body = keyRecord(0, "k", stringValue("v"));
    const unchecked = await readAll(rdbFile(body, { checksum: false }));
    assert.deepEqual(unchecked.at(-1), { kind: "end", bytes: rdbFile(body).length, checksumVerified: false });
    const bad = rdbFile(body);
    bad[bad.length - 3]! ^= 1;
    const error = await refusal(bad);
    assert.equal(error.code, "CHECKSUM_MISMATCH");
    assert.equal(error.offset, bad.length - 8);
  });

  test("bad magic, unsupported versions, unknown opcodes, trailing bytes", async () => {
    assert.equal((await refusal(enc.encode("RADIS0010\xff"))).code, "BAD_MAGIC");
    assert.equal((await refusal(enc.encode("REDIS00x0\xff"))).code, "BAD_MAGIC");
    const v12 = await refusal(rdbFile(new Uint8Array(0), { version: 12 }));
    assert.deepEqual([v12.code, v12.offset], ["UNSUPPORTED_VERSION", 5]);
    assert.equal((await refusal(rdbFile(new Uint8Array(0), { version: 0 }))).code, "UNSUPPORTED_VERSION");
    const unknown = await refusal(rdbFile(concat(keyRecord(0, "k", stringValue("v")), [0xf0])));
    assert.deepEqual([unknown.code, unknown.offset], ["UNKNOWN_OPCODE", 9 + 5]);
    assert.match(unknown.message, /byte 14: expected an opcode or a value type, found 0xf0/);
    const trailing = concat(rdbFile(new Uint8Array(0)), [0]);
    assert.equal((await refusal(trailing)).code, "TRAILING_BYTES");
    assert.equal((await readAll(trailing, 4096, { allowTrailingBytes: true })).at(-1)?.kind, "end");
  });

  test("lying lengths are refused as truncation, never allocated", async () => {
    const huge = concat([0x00], encodeRdbString(enc.encode("k")), [0x81, 0x10, 0, 0, 0, 0, 0, 0, 0], enc.encode("short"));
    const lying = await refusal(rdbFile(huge, { checksum: false }), 3);
    assert.equal(lying.code, "TRUNCATED");
    // A list claiming 2^40 items, and an LZF string claiming a 4 GB original (over the decoding budget).
    const list = concat([0x01], encodeRdbString(enc.encode("l")), encodeLength(2 ** 40), encodeRdbString(enc.encode("a")));
    assert.equal((await refusal(rdbFile(list, { checksum: false }))).code, "TRUNCATED");
    const lzf = concat([0x00], encodeRdbString(enc.encode("z")), [0xc3], encodeLength(4), encodeLength(2 ** 32), [1, 2, 3, 4]);
    assert.equal((await refusal(rdbFile(lzf, { checksum: false }))).code, "TOO_LARGE");
  });

  test("limits: a record over maxRecordBytes, a value over maxDecodedBytes", async () => {
    // Incompressible, so that the record in the file is as large as the value.
    const noise = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7919 + (i >> 3) * 31) & 0xff);
    const file = rdbFile(keyRecord(0, "big", { type: "string", value: noise }), { checksum: false });
    const tooLarge = await refusal(file, 100, { maxRecordBytes: 5_000 });
    assert.deepEqual([tooLarge.code, tooLarge.offset], ["TOO_LARGE", 9]);
    assert.equal((await refusal(file, 100, { maxDecodedBytes: 1_000 })).code, "TOO_LARGE");
    assert.equal((await readAll(file, 100, { maxRecordBytes: 20_000 })).length, 3);
  });

  test("MODULE_AUX is skipped and named; the 7.0 rc function format reads as a library's code", async () => {
    // Module id: name "mymodule1" in 6-bit characters above encoding version 3.
    const charset = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let id = 0n;
    for (const ch of "mymodule1") id = (id << 6n) | BigInt(charset.indexOf(ch));
    id = (id << 10n) | 3n;
    const moduleAux = concat(
      [0xf7], encodeLength(id), encodeLength(2), encodeLength(2),
      encodeLength(2), encodeLength(99), encodeLength(4), new Array(8).fill(0), encodeLength(5), encodeRdbString(enc.encode("blob")), encodeLength(0),
    );
    const preGa = concat([0xf6], encodeRdbString(enc.encode("lib")), encodeRdbString(enc.encode("LUA")), encodeLength(1), encodeRdbString(enc.encode("desc")), encodeRdbString(enc.encode("return 1")));
    const function2 = concat([0xf5], encodeRdbString(enc.encode("#!lua name=x\nreturn 2")));
    const records = await readAll(rdbFile(concat(moduleAux, preGa, function2)), 5);
    assert.deepEqual(records.slice(1, 4).map((r) => (r.kind === "function" ? latin1(r.code) : r)), [
      { kind: "moduleAux", module: "mymodule1" },
      "#!LUA name=lib\nreturn 1",
      "#!lua name=x\nreturn 2",
    ]);
    const badOpcode = concat([0xf7], encodeLength(id), encodeLength(2), encodeLength(2), encodeLength(9));
    assert.equal((await refusal(rdbFile(badOpcode))).code, "BAD_FORMAT");
  });

  test("module values are refused as an unsupported type, naming the key", async () => {
    const error = await refusal(rdbFile(concat([7], encodeRdbString(enc.encode("json")), encodeLength(1), [0])));
    assert.equal(error.code, "UNSUPPORTED_TYPE");
    assert.match(error.message, /"json"/);
  });
});

// ---- against a real redis-server ----

type Resp = string | number | null | Resp[];

/** Parses one RESP2 reply (bytes as latin1 text). */
function parseResp(text: string): Resp {
  let at = 0;
  const line = (): string => {
    const end = text.indexOf("\r\n", at);
    const s = text.slice(at, end);
    at = end + 2;
    return s;
  };
  const one = (): Resp => {
    const type = text[at++];
    const head = line();
    if (type === "+") return head;
    if (type === "-") throw new Error(head);
    if (type === ":") return Number(head);
    if (type === "$") {
      const n = Number(head);
      if (n < 0) return null;
      const s = text.slice(at, at + n);
      at += n + 2;
      return s;
    }
    if (type === "*") {
      const n = Number(head);
      if (n < 0) return null;
      return Array.from({ length: n }, one);
    }
    throw new Error(`bad reply ${JSON.stringify(text.slice(0, 40))}`);
  };
  return one();
}

const idText = (id: { ms: bigint; seq: bigint }) => `${id.ms}-${id.seq}`;
const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** A flat RESP2 map (XINFO) as an object. */
const asMap = (reply: Resp): Record<string, Resp> => {
  const items = reply as Resp[];
  const out: Record<string, Resp> = {};
  for (let i = 0; i < items.length; i += 2) out[items[i] as string] = items[i + 1]!;
  return out;
};

const live = await redisServerAvailable();

describe("RDB file reader on files saved by redis-server", { skip: live ? false : "redis-server is not installed" }, () => {
  let redis: RedisProcess | undefined;
  let client: RawClient;
  let dir: string;
  /** Every type in several databases; `bigFile` adds 3,000 small keys in database 7. */
  let file: Uint8Array;
  let bigFile: Uint8Array;

  const call = async (...argv: Array<string | Uint8Array>): Promise<Resp> => parseResp(await client.call(...argv));
  const binaryKey = "bin\x00\xff\r\nkey\x80";
  const dbs = [0, 1, 5, 15];
  const lib = "#!lua name=rdblib\nredis.register_function('rdbfn', function(keys, args) return 1 end)";

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "materia-rdb-"));
    redis = await startRedis({ args: ["--dir", dir, "--dbfilename", "dump.rdb"] });
    client = await RawClient.connect(redis.port);
    const b = (s: string) => fromLatin1(s);
    const run = async (...argv: string[]) => {
      const reply = await client.call(...argv.map(b));
      if (reply.startsWith("-")) throw new Error(`${argv.slice(0, 3).join(" ")}: ${reply}`);
    };
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const randomText = (n: number) => Array.from({ length: n }, () => String.fromCharCode(Math.floor(random() * 256))).join("");
    for (const db of dbs) {
      await run("SELECT", String(db));
      const p = `db${db}:`;
      await run("SET", `${p}int`, "12345");
      await run("SET", `${p}neg`, "-7");
      await run("SET", `${p}bigint`, "12345678901234");
      await run("SET", `${p}raw`, "hello world");
      await run("SET", `${p}compressible`, "abc".repeat(40_000));
      await run("SET", `${p}bytes`, randomText(300));
      await run("SET", binaryKey, randomText(20));
      await run("RPUSH", `${p}list:small`, "a", "1", "-2", "bb");
      await run("RPUSH", `${p}list:large`, ...Array.from({ length: 1500 }, (_, i) => (i % 3 === 0 ? String(i) : `item-${i}-${"z".repeat(i % 50)}`)));
      await run("HSET", `${p}hash:small`, "f1", "v1", "f2", "2");
      await run("HSET", `${p}hash:large`, ...Array.from({ length: 600 }, (_, i) => [`field${i}`, `value${i}`]).flat());
      await run("HSET", `${p}hash:longvalue`, "f", "v".repeat(100));
      await run("SADD", `${p}set:intset`, "1", "2", "-3", "100000");
      await run("SADD", `${p}set:strings`, "a", "b", "c");
      await run("SADD", `${p}set:large`, ...Array.from({ length: 700 }, (_, i) => `m${i}`));
      await run("ZADD", `${p}zset:small`, "1", "a", "-2.5", "b", "inf", "c");
      await run("ZADD", `${p}zset:large`, ...Array.from({ length: 200 }, (_, i) => [String(i / 7 - 10), `member${i}`]).flat(), "-inf", "low");
      await run("PFADD", `${p}hll:sparse`, "a", "b", "c");
      await run("PFADD", `${p}hll:dense`, ...Array.from({ length: 3000 }, (_, i) => `e${i}`));
      for (let i = 0; i < 30; i++) await run("XADD", `${p}stream`, "*", "field", `v${i}`, ...(i % 2 ? ["other", "x"] : []));
      await run("XGROUP", "CREATE", `${p}stream`, "g1", "0");
      await run("XGROUP", "CREATE", `${p}stream`, "g2", "$");
      await run("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "5", "STREAMS", `${p}stream`, ">");
      await run("XREADGROUP", "GROUP", "g1", "bob", "COUNT", "3", "STREAMS", `${p}stream`, ">");
      const pending = parseResp(await client.call("XPENDING", `${p}stream`, "g1", "-", "+", "10")) as Resp[][];
      await run("XACK", `${p}stream`, "g1", pending[0]![0] as string);
      const firstIds = parseResp(await client.call("XRANGE", `${p}stream`, "-", "+", "COUNT", "12")) as Resp[][];
      await run("XDEL", `${p}stream`, firstIds[10]![0] as string);
      await run("XGROUP", "CREATECONSUMER", `${p}stream`, "g2", "idle");
      await run("PEXPIRE", `${p}raw`, String(3_600_000 + db));
      await run("EXPIRE", `${p}hash:large`, "86400");
      await run("PEXPIREAT", `${p}list:small`, String(Date.now() + 7_200_123));
    }
    await run("FUNCTION", "LOAD", lib);
    await run("SAVE");
    file = new Uint8Array(readFileSync(join(dir, "dump.rdb")));
    // Then a database of many small incompressible values, for the memory bound.
    await run("SELECT", "7");
    for (let i = 0; i < 3000; i += 100) {
      await run("MSET", ...Array.from({ length: 100 }, (_, k) => [`filler:${i + k}`, randomText(100)]).flat());
    }
    await run("SAVE");
    bigFile = new Uint8Array(readFileSync(join(dir, "dump.rdb")));
  });

  after(async () => {
    client?.close();
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** What redis-server answers for `key` in its current database, in the shape of an RdbValue's content. */
  async function compareKey(record: Extract<RdbRecord, { kind: "key" }>): Promise<void> {
    const key = record.key;
    const name = JSON.stringify(latin1(key));
    const value = record.value;
    const type = await call("TYPE", key);
    assert.equal(type, value.type, `type of ${name}`);
    const expireTime = await call("PEXPIRETIME", key);
    assert.equal(expireTime, record.expireAtMs ?? -1, `expire time of ${name}`);
    switch (value.type) {
      case "string":
        assert.equal(await call("GET", key), latin1(value.value), name);
        break;
      case "list":
        assert.deepEqual(await call("LRANGE", key, "0", "-1"), value.items.map(latin1), name);
        break;
      case "hash": {
        const reply = (await call("HGETALL", key)) as string[];
        const pairs = Array.from({ length: reply.length / 2 }, (_, i) => `${reply[2 * i]}=${reply[2 * i + 1]}`).sort(byBytes);
        assert.deepEqual(pairs, value.fields.map(([f, v]) => `${latin1(f)}=${latin1(v)}`).sort(byBytes), name);
        break;
      }
      case "set":
        assert.deepEqual(((await call("SMEMBERS", key)) as string[]).sort(byBytes), value.members.map(latin1).sort(byBytes), name);
        break;
      case "zset": {
        const reply = (await call("ZRANGE", key, "0", "-1", "WITHSCORES")) as string[];
        const ours = [...value.entries].sort((a, b) => a.score - b.score || byBytes(latin1(a.member), latin1(b.member)));
        assert.deepEqual(reply.filter((_, i) => i % 2 === 0), ours.map((e) => latin1(e.member)), name);
        const scores = reply.filter((_, i) => i % 2 === 1).map((s) => (s === "inf" ? Infinity : s === "-inf" ? -Infinity : Number(s)));
        assert.deepEqual(scores, ours.map((e) => e.score), name);
        break;
      }
      case "stream": {
        const stream = value.stream;
        const entries = (await call("XRANGE", key, "-", "+")) as [string, string[]][];
        assert.deepEqual(entries, stream.entries.map((e) => [idText(e.id), e.fields.map(latin1)]), name);
        const info = asMap(await call("XINFO", "STREAM", key, "FULL"));
        assert.equal(info["last-generated-id"], idText(stream.lastId));
        assert.equal(info["max-deleted-entry-id"], idText(stream.maxDeletedId));
        assert.equal(info["entries-added"], Number(stream.entriesAdded));
        assert.equal(info["recorded-first-entry-id"], idText(stream.firstId));
        const groups = (info["groups"] as Resp[]).map(asMap);
        assert.deepEqual(groups.map((g) => g["name"]), stream.groups.map((g) => latin1(g.name)));
        for (const [i, group] of groups.entries()) {
          const ours = stream.groups[i]!;
          assert.equal(group["last-delivered-id"], idText(ours.lastId));
          assert.equal(group["entries-read"], ours.entriesRead === undefined || ours.entriesRead < 0n ? null : Number(ours.entriesRead));
          const pel = group["pending"] as [string, string, number, number][];
          assert.deepEqual(pel.map(([id, , time, count]) => [id, time, count]), ours.pending.map((p) => [idText(p.id), p.deliveryMs, Number(p.deliveries)]));
          const consumers = (group["consumers"] as Resp[]).map(asMap);
          assert.deepEqual(
            consumers.map((c) => [c["name"], c["seen-time"], (c["pending"] as [string][]).map(([id]) => id)]),
            ours.consumers.map((c) => [latin1(c.name), c.seenMs, c.pending.map(idText)]),
          );
        }
        break;
      }
    }
  }

  test("every key, TTL, database and the function library read equal to what redis-server answers", async () => {
    const records = await readAll(file, 64 * 1024);
    assert.deepEqual(records[0], { kind: "header", version: 10 });
    assert.deepEqual(records.at(-1), { kind: "end", bytes: file.length, checksumVerified: true });
    const aux = new Map(records.flatMap((r) => (r.kind === "aux" ? [[r.name, latin1(r.value)]] : [])));
    assert.equal(aux.get("redis-ver"), "7.0.15");
    const functions = records.flatMap((r) => (r.kind === "function" ? [latin1(r.code)] : []));
    assert.deepEqual(functions, [lib]);
    const keys = records.filter((r): r is Extract<RdbRecord, { kind: "key" }> => r.kind === "key");
    const seenTypes = new Set<string>();
    assert.ok(!keys.some((k) => !dbs.includes(k.db)), "databases");
    for (const db of dbs) {
      await call("SELECT", String(db));
      const ours = keys.filter((k) => k.db === db);
      const theirs = ((await call("KEYS", "*")) as string[]).sort(byBytes);
      assert.deepEqual(ours.map((k) => latin1(k.key)).sort(byBytes), theirs, `keys of db ${db}`);
      const resize = records.find((r) => r.kind === "resizeDb" && r.db === db);
      assert.deepEqual(resize, { kind: "resizeDb", db, keys: ours.length, expires: ours.filter((k) => k.expireAtMs !== undefined).length });
      for (const record of ours) {
        await compareKey(record);
        seenTypes.add(record.value.type);
      }
    }
    assert.deepEqual([...seenTypes].sort(), ["hash", "list", "set", "stream", "string", "zset"]);
  });

  test("fed in small chunks from a file stream, the reader holds a window bounded by the largest record, not the file", async () => {
    // The file as a file stream gives it, 512 bytes at a time.
    const reader = new RdbFileReader(createReadStream(join(dir, "dump.rdb"), { highWaterMark: 512 }));
    let previous = 0;
    let largest = 0;
    for await (const _ of reader.records()) {
      largest = Math.max(largest, reader.offset - previous);
      previous = reader.offset;
    }
    assert.equal(reader.offset, bigFile.length);
    assert.ok(bigFile.length > 8 * largest, `file ${bigFile.length} bytes, largest record ${largest}`);
    assert.ok(reader.peakWindowBytes <= Math.max(64 * 1024, 4 * largest + 4096), `window ${reader.peakWindowBytes} bytes, largest record ${largest}`);
  });

  test("cut at many points, the file is refused as truncated", async () => {
    const cuts = new Set<number>();
    for (let i = 0; i < 24; i++) cuts.add(i);
    for (let i = 1; i <= 9; i++) cuts.add(file.length - i);
    for (let k = 1; k < 80; k++) cuts.add(Math.floor((file.length * k) / 120));
    for (const cut of cuts) {
      const error = await refusal(file.subarray(0, cut), 8192);
      assert.equal(error.code, "TRUNCATED", `cut at ${cut}: ${error.message}`);
      assert.ok(error.offset <= cut, `cut at ${cut}: offset ${error.offset}`);
    }
  });

  test("flipped bytes are refused (by the checksum, or by the parser when the checksum is 0), never a crash", async () => {
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const unchecked = file.slice();
    unchecked.fill(0, unchecked.length - 8);
    const codes = new Map<string, number>();
    for (let i = 0; i < 100; i++) {
      const at = i < 30 ? 9 + i : Math.floor(random() * (file.length - 8));
      const flip = 1 << Math.floor(random() * 8);
      const checked = file.slice();
      checked[at]! ^= flip;
      const error = await refusal(checked, 8192);
      assert.ok(error.offset <= file.length, error.message);
      const corrupt = unchecked.slice();
      corrupt[at]! ^= flip;
      try {
        await readAll(corrupt, 8192);
        codes.set("accepted", (codes.get("accepted") ?? 0) + 1); // a flip inside a value's bytes can stay valid
      } catch (e) {
        if (!(e instanceof RdbFileError)) throw new Error(`flip at ${at}: not an RdbFileError: ${(e as Error).stack}`);
        codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
      }
    }
    assert.ok((codes.get("accepted") ?? 0) < 100, JSON.stringify([...codes]));
  });
});
