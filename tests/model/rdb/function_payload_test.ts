// FUNCTION DUMP / FUNCTION RESTORE payloads: our encoder and decoder, and
// both against a live redis-server 7.0.15 (skipped when none is installed):
// Redis's DUMP decodes to the loaded codes, our payload restores in Redis,
// our bytes equal Redis's (same LZF output), and Redis and our reader refuse
// the same broken payloads with the same error.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Redis } from "ioredis";
import { crc64Update, writeCrc64LittleEndian } from "../../../src/model/rdb/crc64.ts";
import {
  decodeFunctionPayload,
  encodeFunctionPayload,
  FUNCTION_PAYLOAD_CHECKSUM_ERROR,
  RDB_OPCODE_FUNCTION,
  RDB_OPCODE_FUNCTION2,
  readFunctionPayload,
} from "../../../src/model/rdb/function_payload.ts";
import { encodeLength, encodeRdbString } from "../../../src/model/rdb/rdb_string.ts";
import { redisServerAvailable, startRedis, type RedisProcess } from "../../support/redis_server.ts";

const enc = new TextEncoder();
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** `body` (records) with a footer: version, then the CRC-64 of all before it. */
function withFooter(body: Uint8Array, version = 10): Uint8Array {
  const out = new Uint8Array(body.length + 10);
  out.set(body);
  out[body.length] = version & 0xff;
  out[body.length + 1] = version >>> 8;
  writeCrc64LittleEndian(crc64Update({ hi: 0, lo: 0 }, out, 0, body.length + 2), out, body.length + 2);
  return out;
}

/** A library named `name` with one function, and `extra` appended (comments, more code). */
function library(name: string, extra = ""): Uint8Array {
  return enc.encode(`#!lua name=${name}\nredis.register_function('${name}_f', function(keys, args) return '${name}' end)\n${extra}`);
}

/** Deterministic libraries of many shapes, to exercise LZF on varied inputs. */
function generatedLibraries(count: number): Uint8Array[] {
  let seed = 20240607;
  const random = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const libraries: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const alphabet = ["ab", "abc ", "xyz0123456789", "the quick brown fox jumps over the lazy dog ", "\u00e9\u00e8 -=+"][i % 5]!;
    const length = Math.floor(random() ** 2 * 3000);
    let comment = "";
    while (comment.length < length) {
      comment += random() < 0.3 && comment.length > 10 ? comment.slice(Math.floor(random() * comment.length), Math.floor(random() * comment.length)) : alphabet[Math.floor(random() * alphabet.length)]!;
    }
    libraries.push(library(`gen${i}`, `-- ${comment.replaceAll("\n", " ")}\n`));
  }
  return libraries;
}

describe("function payload", () => {
  test("no libraries: the footer alone", () => {
    const payload = encodeFunctionPayload([]);
    assert.equal(payload.length, 10);
    assert.equal(hex(payload.subarray(0, 2)), "0a00");
    assert.deepEqual(decodeFunctionPayload(payload), []);
  });

  test("records: 0xF5 and an RDB string, compressed when it saves space", () => {
    const short = library("s");
    const repetitive = library("r", `-- ${"abcd".repeat(200)}\n`);
    const payload = encodeFunctionPayload([short, repetitive]);
    assert.equal(payload[0], RDB_OPCODE_FUNCTION2);
    const first = encodeRdbString(short);
    assert.deepEqual(payload.subarray(1, 1 + first.length), first);
    const second = 1 + first.length;
    assert.equal(payload[second], RDB_OPCODE_FUNCTION2);
    assert.equal(payload[second + 1], 0xc3, "LZF");
    assert.ok(payload.length < repetitive.length);
    const plain = encodeFunctionPayload([repetitive], { compress: false });
    assert.equal(plain[1]! >> 6, 1, "a 14-bit plain length without rdbcompression");
    assert.deepEqual(plain.subarray(3, 3 + repetitive.length), repetitive);
  });

  test("round trips any codes", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 600 }), { maxLength: 6 }), (codes) => {
        assert.deepEqual(decodeFunctionPayload(encodeFunctionPayload(codes)), codes);
      }),
      { numRuns: 200 },
    );
  });

  test("refuses a bad checksum, a newer version, and every truncation", () => {
    const payload = encodeFunctionPayload([library("a"), library("b", "-- " + "xy".repeat(100))]);
    for (let at = 0; at < payload.length; at++) {
      const corrupt = payload.slice();
      corrupt[at]! ^= 0x01;
      const read = readFunctionPayload(corrupt);
      assert.ok(!read.ok && read.checksum && read.error === FUNCTION_PAYLOAD_CHECKSUM_ERROR, `flipped byte ${at}`);
    }
    for (let cut = 0; cut < payload.length; cut++) assert.equal(decodeFunctionPayload(payload.subarray(0, cut)), undefined, `cut at ${cut}`);
    const body = payload.subarray(0, payload.length - 10);
    assert.equal(decodeFunctionPayload(withFooter(body, 11)), undefined, "version 11");
    assert.equal(decodeFunctionPayload(withFooter(body, 0x010a)), undefined, "version 266");
    assert.equal(decodeFunctionPayload(withFooter(body, 9))?.length, 2, "an older version is accepted");
    assert.equal(decodeFunctionPayload(withFooter(body, 0))?.length, 2);
    const skipped = readFunctionPayload(concat(body, Uint8Array.of(10, 0), new Uint8Array(8)), { skipChecksum: true });
    assert.ok(skipped.ok, "skip_checksum_validation");
  });

  test("record errors, with a valid footer, answer Redis's record errors", () => {
    const error = (body: Uint8Array) => {
      const read = readFunctionPayload(withFooter(body));
      assert.ok(!read.ok && !read.checksum);
      return read.error;
    };
    assert.equal(error(Uint8Array.of(0x00, 0x01, 0x61)), "ERR given type is not a function");
    assert.equal(error(Uint8Array.of(RDB_OPCODE_FUNCTION2, 0xc3, 0x02, 0x05, 0x20, 0x00)), "ERR Failed loading library payload");
    assert.equal(error(Uint8Array.of(RDB_OPCODE_FUNCTION2, 0x80, 0xff, 0xff, 0xff, 0xff)), "ERR Failed loading library payload");
    assert.equal(error(Uint8Array.of(RDB_OPCODE_FUNCTION, 0xc4)), "ERR Failed loading library name");
  });

  test("a record's string may run into the footer, as Redis reads the whole payload", () => {
    // One byte of opcode, and a string of 1 + 1 + 8 bytes: its last 9 bytes are the footer's version and CRC.
    const code = Uint8Array.of(0x41);
    const body = Uint8Array.of(RDB_OPCODE_FUNCTION2, 11, ...code);
    const payload = withFooter(body);
    const read = readFunctionPayload(payload);
    assert.ok(read.ok);
    assert.equal(read.codes.length, 1);
    assert.deepEqual(read.codes[0], payload.subarray(2, 13));
  });

  test("the 7.0-rc record 0xF6 becomes '#!<engine> name=<name>\\n<body>'", () => {
    const string = (s: string) => encodeRdbString(enc.encode(s));
    const body = "redis.register_function('old_f', function() return 1 end)";
    const withDescription = concat(Uint8Array.of(RDB_OPCODE_FUNCTION), string("old"), string("LUA"), encodeLength(1), string("a description"), string(body));
    const withoutDescription = concat(Uint8Array.of(RDB_OPCODE_FUNCTION), string("old2"), string("LUA"), encodeLength(0), string(body));
    const read = readFunctionPayload(withFooter(concat(withDescription, withoutDescription)));
    assert.ok(read.ok);
    assert.deepEqual(read.codes.map((c) => new TextDecoder().decode(c)), [`#!LUA name=old\n${body}`, `#!LUA name=old2\n${body}`]);
    // sdscatfmt's %s stops at a NUL byte.
    const nul = concat(Uint8Array.of(RDB_OPCODE_FUNCTION), string("n\u0000x"), string("LUA"), encodeLength(0), string(`${body}\u0000tail`));
    const truncated = readFunctionPayload(withFooter(nul));
    assert.ok(truncated.ok);
    assert.equal(new TextDecoder().decode(truncated.codes[0]), `#!LUA name=n\n${body}`);
  });
});

const live = await redisServerAvailable();

describe("function payload against redis-server", { skip: live ? false : "redis-server is not installed" }, () => {
  let redis: RedisProcess | undefined;
  let client: Redis;

  before(async () => {
    redis = await startRedis();
    client = new Redis({ host: "127.0.0.1", port: redis.port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    client.on("error", () => {});
    await client.connect();
  });
  after(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  const call = (...args: (string | Uint8Array)[]) => client.callBuffer(args[0] as string, args.slice(1).map((a) => (typeof a === "string" ? a : Buffer.from(a))));
  const errorOf = async (...args: (string | Uint8Array)[]) => {
    try {
      await call(...args);
    } catch (error) {
      return (error as Error).message;
    }
    return "no error";
  };
  /** FUNCTION LIST WITHCODE's codes, sorted. */
  const listedCodes = async (): Promise<string[]> => {
    const reply = (await call("FUNCTION", "LIST", "WITHCODE")) as unknown[][];
    return reply.map((entry) => {
      const index = entry.findIndex((field) => Buffer.isBuffer(field) && field.toString() === "library_code");
      return hex(entry[index + 1] as Buffer);
    }).sort();
  };

  const binaryComment = concat(library("binary", "--[[ "), Uint8Array.of(0x00, 0x01, 0x02, 0xff, 0xfe, 0x80, 0x0d, 0x0a, 0x00, 0x00, 0x00, 0xc3, 0xf5), enc.encode(" ]]\n"));
  const codes: Uint8Array[] = [
    enc.encode("#!lua name=tiny\nredis.register_function('t', function() return 1 end)"),
    library("long", "local function helper(x)\n  return x * 2\nend\nredis.register_function('long_g', function(keys, args) return helper(#keys) end)\n"),
    library("repetitive", `-- ${"abcdefgh".repeat(500)}\n-- ${"0123".repeat(3000)}\n`),
    binaryComment,
    library("large", Array.from({ length: 3000 }, (_, i) => `-- line ${i} ${(i * 7919) % 1000}\n`).join("")),
    ...generatedLibraries(40),
  ];

  test("FUNCTION DUMP decodes to the loaded codes, and our encoding is the same bytes", async () => {
    await call("FUNCTION", "FLUSH");
    for (const code of codes) await call("FUNCTION", "LOAD", code);
    const dump = new Uint8Array((await call("FUNCTION", "DUMP")) as Buffer);
    const decoded = decodeFunctionPayload(dump);
    assert.ok(decoded, "Redis's DUMP is accepted");
    // DUMP lists libraries in Redis's dictionary order.
    assert.deepEqual(decoded.map(hex).sort(), codes.map(hex).sort());
    // Most records are LZF (0xC3): the comparison below covers the compressor.
    assert.ok(dump.filter((_, i) => i > 0 && dump[i - 1] === RDB_OPCODE_FUNCTION2 && dump[i] === 0xc3).length >= 20);
    assert.equal(hex(encodeFunctionPayload(decoded)), hex(dump), "byte-identical to Redis's FUNCTION DUMP");
  });

  test("our payload restores in Redis, in any order", async () => {
    const payload = encodeFunctionPayload(codes);
    await call("FUNCTION", "FLUSH");
    assert.equal(String(await call("FUNCTION", "RESTORE", payload)), "OK");
    assert.deepEqual(await listedCodes(), codes.map(hex).sort());
    // Uncompressed records restore too.
    assert.equal(String(await call("FUNCTION", "RESTORE", encodeFunctionPayload(codes, { compress: false }), "FLUSH")), "OK");
    assert.deepEqual(await listedCodes(), codes.map(hex).sort());
  });

  test("Redis accepts older versions, the 0xF6 record, and strings that run into the footer, as we do", async () => {
    const older = encodeFunctionPayload([codes[0]!], { rdbVersion: 9 });
    await call("FUNCTION", "FLUSH");
    assert.equal(String(await call("FUNCTION", "RESTORE", older)), "OK");
    assert.deepEqual(await listedCodes(), [hex(codes[0]!)]);

    const string = (s: string) => encodeRdbString(enc.encode(s));
    const old = withFooter(
      concat(Uint8Array.of(RDB_OPCODE_FUNCTION), string("oldlib"), string("LUA"), encodeLength(1), string("described"), string("redis.register_function('old_f', function() return 'old' end)")),
    );
    const read = readFunctionPayload(old);
    assert.ok(read.ok);
    await call("FUNCTION", "FLUSH");
    assert.equal(String(await call("FUNCTION", "RESTORE", old)), "OK");
    assert.deepEqual(await listedCodes(), read.codes.map(hex));
    assert.equal(String(await call("FCALL", "old_f", "0")), "old");
  });

  test("Redis and our reader refuse the same payloads with the same error", async () => {
    const good = encodeFunctionPayload([codes[0]!, codes[2]!]);
    const body = good.subarray(0, good.length - 10);
    const badCrc = good.slice();
    badCrc[good.length - 1]! ^= 0xff;
    const badBody = good.slice();
    badBody[5]! ^= 0x20;
    const cases: [string, Uint8Array][] = [
      ["bad crc", badCrc],
      ["changed body", badBody],
      ["version 11", withFooter(body, 11)],
      ["truncated", good.subarray(0, good.length - 3)],
      ["cut before the footer", good.subarray(0, 20)],
      ["shorter than a footer", good.subarray(0, 9)],
      ["empty", new Uint8Array(0)],
      ["not a function record", withFooter(Uint8Array.of(0x00, 0x01, 0x61))],
      ["corrupt LZF", withFooter(Uint8Array.of(RDB_OPCODE_FUNCTION2, 0xc3, 0x02, 0x05, 0x20, 0x00))],
      ["string past the end", withFooter(Uint8Array.of(RDB_OPCODE_FUNCTION2, 0x80, 0x00, 0x01, 0x00, 0x00))],
      ["bad length byte", withFooter(Uint8Array.of(RDB_OPCODE_FUNCTION2, 0x90, 0x00))],
      ["0xF6 cut in its name", withFooter(Uint8Array.of(RDB_OPCODE_FUNCTION, 0x30, 0x61))],
    ];
    for (const [name, payload] of cases) {
      const ours = readFunctionPayload(payload);
      assert.equal(ours.ok, false, name);
      assert.equal(decodeFunctionPayload(payload), undefined, name);
      assert.equal(await errorOf("FUNCTION", "RESTORE", payload), ours.ok ? "" : ours.error, name);
    }
  });
});
