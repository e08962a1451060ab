// DUMP payloads: any value round-trips through the writer and the reader;
// 7.2's encodings (listpack sets, streams v3) restore; corrupt payloads (bad
// footers, truncations, changed bytes with a recomputed checksum, lying
// lengths, LZF bombs) are refused with a reason, never a crash, and without
// allocating more than the payload or the decoding budget justifies.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { crc64Update, writeCrc64LittleEndian } from "../../../src/model/rdb/crc64.ts";
import { encodeDumpPayload, readDumpPayload } from "../../../src/model/rdb/dump_payload.ts";
import { encodeListpack } from "../../../src/model/rdb/listpack.ts";
import { encodeLength, encodeRdbString } from "../../../src/model/rdb/rdb_string.ts";
import type { RdbValue } from "../../../src/model/rdb/rdb_value.ts";

const enc = new TextEncoder();
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const show = (value: unknown) => JSON.stringify(value, (_, v) => (typeof v === "bigint" ? `${v}n` : v));

function withFooter(body: Uint8Array, version = 10): Uint8Array {
  const out = new Uint8Array(body.length + 10);
  out.set(body);
  out[body.length] = version;
  writeCrc64LittleEndian(crc64Update({ hi: 0, lo: 0 }, out, 0, body.length + 2), out, body.length + 2);
  return out;
}

function concat(...parts: Array<Uint8Array | number[]>): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => Array.from(p)));
}

const bytesArb = fc.uint8Array({ maxLength: 80 });
const uniqueBytes = (min: number) => fc.uniqueArray(bytesArb, { minLength: min, maxLength: 30, selector: hex });
const id = fc.record({ ms: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), seq: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) });

const valueArb: fc.Arbitrary<RdbValue> = fc.oneof(
  bytesArb.map((value): RdbValue => ({ type: "string", value })),
  fc.array(bytesArb, { minLength: 1, maxLength: 30 }).map((items): RdbValue => ({ type: "list", items })),
  uniqueBytes(1).chain((fields) => fc.array(bytesArb, { minLength: fields.length, maxLength: fields.length }).map((values): RdbValue => ({ type: "hash", fields: fields.map((f, i) => [f, values[i]!] as const) }))),
  uniqueBytes(1).map((members): RdbValue => ({ type: "set", members })),
  fc.uniqueArray(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { minLength: 1, maxLength: 20 }).map((ints): RdbValue => ({ type: "set", members: ints.map((n) => enc.encode(String(n))) })),
  uniqueBytes(1).chain((members) => fc.array(fc.double({ noNaN: true }), { minLength: members.length, maxLength: members.length }).map((scores): RdbValue => ({
    type: "zset",
    entries: members.map((member, i) => ({ member, score: Object.is(scores[i], -0) ? 0 : scores[i]! })),
  }))),
  fc.uniqueArray(id, { maxLength: 20, selector: (i) => `${i.ms}-${i.seq}` }).map((ids): RdbValue => {
    const sorted = ids.sort((a, b) => (a.ms !== b.ms ? (a.ms < b.ms ? -1 : 1) : a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
    const entries = sorted.map((i, n) => ({ id: i, fields: n % 2 === 0 ? [enc.encode("f"), enc.encode(String(n))] : [enc.encode("g"), enc.encode("x"), enc.encode("h"), new Uint8Array(0)] }));
    const last = sorted[sorted.length - 1] ?? { ms: 0n, seq: 0n };
    return {
      type: "stream",
      stream: {
        entries, lastId: last, firstId: sorted[0] ?? { ms: 0n, seq: 0n }, maxDeletedId: { ms: 0n, seq: 0n }, entriesAdded: BigInt(entries.length),
        groups: entries.length === 0 ? [] : [{
          name: enc.encode("g"), lastId: last, entriesRead: -1n,
          pending: [{ id: sorted[0]!, deliveryMs: 1_700_000_000_000, deliveries: 3n }],
          consumers: [{ name: enc.encode("alice"), seenMs: 1_700_000_000_001, pending: [sorted[0]!] }, { name: enc.encode("bob"), seenMs: 5, pending: [] }],
        }],
      },
    };
  }),
);

/** A value as comparable data: sets and hashes are unordered, sorted sets are ordered by the writer. */
function canonical(value: RdbValue): unknown {
  switch (value.type) {
    case "set":
      return { type: "set", members: value.members.map(hex).sort() };
    case "hash":
      return { type: "hash", fields: value.fields.map(([f, v]) => [hex(f), hex(v)]).sort() };
    case "zset":
      return { type: "zset", entries: value.entries.map((e) => [hex(e.member), e.score]).sort() };
    default:
      return JSON.parse(JSON.stringify(value, (_, v) => (typeof v === "bigint" ? `${v}n` : v instanceof Uint8Array ? hex(v) : v)));
  }
}

describe("DUMP payloads", () => {
  test("any value reads back as written, with version 10 and Redis's CRC-64", () => {
    fc.assert(fc.property(valueArb, (value) => {
      const payload = encodeDumpPayload(value);
      assert.equal(payload[payload.length - 10], 10);
      const read = readDumpPayload(payload);
      assert.ok(read.ok, show(read));
      assert.deepEqual(canonical(read.value), canonical(value));
    }), { numRuns: 300 });
  });

  test("SET k vol: Redis 7.0's DUMP, byte for byte", () => {
    assert.equal(hex(encodeDumpPayload({ type: "string", value: enc.encode("vol") })), "0003766f6c0a0087f7bb822826708d");
  });

  test("7.2's payloads restore: version 11, listpack sets, streams v3 with consumers' active times", () => {
    const set = readDumpPayload(withFooter(concat([20], encodeRdbString(encodeListpack([enc.encode("a"), enc.encode("7")]))), 11));
    assert.ok(set.ok && set.value.type === "set");
    assert.deepEqual(set.value.members.map((m) => new TextDecoder().decode(m)), ["a", "7"]);
    const v2 = encodeDumpPayload({
      type: "stream",
      stream: {
        entries: [{ id: { ms: 1n, seq: 1n }, fields: [enc.encode("f"), enc.encode("v")] }], lastId: { ms: 1n, seq: 1n }, firstId: { ms: 1n, seq: 1n },
        maxDeletedId: { ms: 0n, seq: 0n }, entriesAdded: 1n,
        groups: [{ name: enc.encode("g"), lastId: { ms: 1n, seq: 1n }, entriesRead: 1n, pending: [], consumers: [{ name: enc.encode("c"), seenMs: 42, pending: [] }] }],
      },
    });
    // Version 3 adds the consumer's active time (8 bytes) after its seen time: insert it before the consumer's PEL count.
    const body = v2.subarray(0, v2.length - 10);
    const seenAt = body.length - 1 - 8;
    const v3 = withFooter(concat([21], body.subarray(1, seenAt + 8), [0, 0, 0, 0, 0, 0, 0, 0], body.subarray(seenAt + 8)), 11);
    const read = readDumpPayload(v3);
    assert.ok(read.ok && read.value.type === "stream", show(read));
    assert.equal(read.value.stream.groups[0]!.consumers[0]!.seenMs, 42);
  });

  test("footers: short, newer than 7.2, wrong or zero checksum", () => {
    const good = encodeDumpPayload({ type: "string", value: enc.encode("x") });
    assert.equal(readDumpPayload(good.subarray(0, 9)).ok, false);
    assert.deepEqual(readDumpPayload(withFooter(good.subarray(0, good.length - 10), 12)), { ok: false, reason: "CHECKSUM" });
    const wrong = good.slice();
    wrong[wrong.length - 1]! ^= 0x10;
    assert.deepEqual(readDumpPayload(wrong), { ok: false, reason: "CHECKSUM" });
    wrong.fill(0, wrong.length - 8);
    assert.deepEqual(readDumpPayload(wrong), { ok: false, reason: "CHECKSUM" });
  });

  test("every truncation and changed byte of valid payloads, checksum recomputed, reads or fails cleanly", () => {
    fc.assert(fc.property(valueArb, fc.nat(), fc.integer({ min: 1, max: 255 }), (value, at, delta) => {
      const body = encodeDumpPayload(value).subarray(0, -10);
      const cut = withFooter(body.subarray(0, at % body.length));
      const changed = body.slice();
      changed[at % body.length] = (changed[at % body.length]! + delta) & 0xff;
      for (const payload of [cut, withFooter(changed)]) {
        const read = readDumpPayload(payload);
        if (!read.ok) assert.ok(read.reason === "BAD_FORMAT" || read.reason === "UNSUPPORTED_TYPE" || read.reason === "TOO_LARGE", show(read));
      }
    }), { numRuns: 1000 });
  });

  test("lying lengths fail at once, and an LZF bomb is refused before it is allocated", () => {
    const hugeList = withFooter(concat([1], encodeLength(2n ** 62n), encodeRdbString(enc.encode("a"))));
    assert.equal(readDumpPayload(hugeList).ok, false);
    const hugeSet = withFooter(concat([2], encodeLength(2 ** 32 - 1)));
    assert.equal(readDumpPayload(hugeSet).ok, false);
    // A 4-byte LZF body claiming 1 GB: refused by the budget (and by LZF's ratio) without allocating it.
    const bomb = withFooter(concat([0, 0xc3], encodeLength(4), encodeLength(1 << 30), [0xe0, 0xff, 0x00, 0x00]));
    assert.deepEqual(readDumpPayload(bomb, { maxDecodedBytes: 1 << 20 }), { ok: false, reason: "TOO_LARGE", detail: "decoded value too large" });
    // Many strings that each fit still stop at the budget.
    const many = withFooter(concat([1], encodeLength(100), ...Array.from({ length: 100 }, () => encodeRdbString(new Uint8Array(1000).fill(7)))));
    assert.equal(readDumpPayload(many, { maxDecodedBytes: 50_000 }).ok, false);
    assert.equal(readDumpPayload(many, { maxDecodedBytes: 200_000 }).ok, true);
  });

  test("module values (RedisJSON's included) and unknown types are unsupported", () => {
    const module = withFooter(concat([7], encodeLength(0x1234n), [2, 1, 0]));
    assert.equal((readDumpPayload(module) as { reason: string }).reason, "UNSUPPORTED_TYPE");
    assert.equal((readDumpPayload(withFooter(Uint8Array.of(22, 0))) as { reason: string }).reason, "UNSUPPORTED_TYPE");
  });
});
