// The RDB file writer and reader agree: random keys of every type but streams
// (their files are checked against redis-server in rdb_file_writer_test.ts
// and rdb_file_reader_test.ts), with TTLs, in several databases, written in
// chunks and read back in chunks of other sizes, come back equal.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RdbFileWriter } from "../../../src/model/rdb/rdb_file_writer.ts";
import { readRdbFile, type RdbRecord } from "../../../src/model/rdb/rdb_file_reader.ts";
import type { RdbValue } from "../../../src/model/rdb/rdb_value.ts";

/** A small seeded generator (mulberry32), so that a failure can be replayed. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.MATERIA_RDB_SEED ?? Date.now() % 1_000_000);

function randomValue(random: () => number): RdbValue {
  const count = (max: number) => 1 + Math.floor(random() * max);
  const bytes = (): Uint8Array => {
    const kind = random();
    // Integers (Redis stores them as integers), short text, long compressible text, random bytes.
    if (kind < 0.25) return new TextEncoder().encode(String(Math.floor((random() - 0.5) * 2 ** 40)));
    if (kind < 0.5) return new TextEncoder().encode(`v${Math.floor(random() * 1000)}`);
    if (kind < 0.6) return new TextEncoder().encode("abc".repeat(count(3000)));
    return Uint8Array.from({ length: count(80) }, () => Math.floor(random() * 256));
  };
  const distinct = (n: number): Uint8Array[] => {
    const seen = new Map<string, Uint8Array>();
    for (let i = 0; i < n; i++) {
      const value = bytes();
      seen.set(Array.from(value).join(","), value);
    }
    return [...seen.values()];
  };
  // Sizes on both sides of Redis's encoding thresholds (128 and 512 entries).
  const size = () => (random() < 0.7 ? count(20) : count(700));
  switch (Math.floor(random() * 5)) {
    case 0:
      return { type: "string", value: bytes() };
    case 1:
      return { type: "list", items: Array.from({ length: size() }, bytes) };
    case 2:
      return { type: "hash", fields: distinct(size()).map((field) => [field, bytes()] as const) };
    case 3:
      return { type: "set", members: distinct(size()) };
    default: {
      const scores = [Infinity, -Infinity, 0, 1.5, -2.25, 1e300, 5e-324];
      return { type: "zset", entries: distinct(size()).map((member) => ({ member, score: random() < 0.3 ? scores[Math.floor(random() * scores.length)]! : (random() - 0.5) * 1e6 })) };
    }
  }
}

/** A value in a form that compares regardless of the order a set or hash comes back in. */
function canonical(value: RdbValue): unknown {
  const text = (b: Uint8Array) => Array.from(b).join(",");
  switch (value.type) {
    case "string":
      return ["string", text(value.value)];
    case "list":
      return ["list", value.items.map(text)];
    case "hash":
      return ["hash", value.fields.map(([f, v]) => `${text(f)}=${text(v)}`).sort()];
    case "set":
      return ["set", value.members.map(text).sort()];
    case "zset":
      // Redis keeps a sorted set ordered by score then member; -0 and 0 are one score in a small one.
      return ["zset", value.entries.map((e) => `${text(e.member)}@${e.score === 0 ? 0 : e.score}`).sort()];
    case "stream":
      return ["stream"];
  }
}

test(`RDB files written by RdbFileWriter read back equal through RdbFileReader (seed ${SEED}; replay: MATERIA_RDB_SEED=${SEED})`, async () => {
  const random = generator(SEED);
  const expected = new Map<string, { value: RdbValue; expireAtMs?: number }>();
  const chunks: Uint8Array[] = [];
  const writer = new RdbFileWriter((chunk) => void chunks.push(chunk.slice()));
  for (const db of [0, 2, 15]) {
    const keys = Array.from({ length: 40 }, (_, i) => ({ key: new TextEncoder().encode(`db${db}:k${i}`), value: randomValue(random), expireAtMs: random() < 0.3 ? 1_900_000_000_000 + i : undefined }));
    await writer.selectDb(db, { keys: keys.length, expires: keys.filter((k) => k.expireAtMs !== undefined).length });
    for (const { key, value, expireAtMs } of keys) {
      await writer.writeKey(key, value, expireAtMs);
      expected.set(`${db}/${new TextDecoder().decode(key)}`, { value, expireAtMs });
    }
  }
  const summary = await writer.finish();
  const file = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) file.set(chunk, at), at += chunk.length;
  assert.equal(file.length, summary.bytes);

  // Read back in chunks of a size unrelated to the writer's.
  const pieceSize = 1 + Math.floor(random() * 5000);
  const pieces = Array.from({ length: Math.ceil(file.length / pieceSize) }, (_, i) => file.subarray(i * pieceSize, (i + 1) * pieceSize));
  const records: RdbRecord[] = [];
  for await (const record of readRdbFile(pieces)) records.push(record);
  assert.equal(records[0]?.kind, "header");
  const end = records.at(-1)!;
  assert.ok(end.kind === "end" && end.checksumVerified && end.bytes === file.length, JSON.stringify(end));

  const keys = records.filter((r) => r.kind === "key");
  assert.equal(keys.length, expected.size);
  for (const record of keys) {
    const id = `${record.db}/${new TextDecoder().decode(record.key)}`;
    const wanted = expected.get(id);
    assert.ok(wanted !== undefined, `unexpected key ${id}`);
    assert.equal(record.expireAtMs, wanted.expireAtMs, `${id}: TTL`);
    assert.deepEqual(canonical(record.value), canonical(wanted.value), `${id}: value`);
  }
});
