// The stream-time masker of the differential tests (compare.ts
// maskStreamTimes): what it rounds, what it masks, and what it must leave
// exact, on replies shaped as Redis 7.0 sends them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { maskStreamTimes } from "./compare.ts";

const NOW = 1_700_000_000_000;
const bulk = (text: string): string => `$${text.length}\r\n${text}\r\n`;
const int = (n: number): string => `:${n}\r\n`;
const pendingEntry = (id: string, consumer: string, ms: number, count: number): string => `*4\r\n${bulk(id)}${bulk(consumer)}${int(ms)}${int(count)}`;

test("XPENDING's extended form: idle times rounded to 10 s, an idle time from an old delivery time kept as that time; ids, names and counts exact", () => {
  const reply = `*3\r\n${pendingEntry("1-1", "alice", 3, 1)}${pendingEntry("1-2", "bob", 100_012, 7)}${pendingEntry("2-0", "bob", NOW - 1_000, 2)}`;
  assert.equal(
    maskStreamTimes(reply, NOW),
    `*3\r\n*4\r\n${bulk("1-1")}${bulk("alice")}:<idle ~0 s>\r\n${int(1)}*4\r\n${bulk("1-2")}${bulk("bob")}:<idle ~100 s>\r\n${int(7)}` +
      `*4\r\n${bulk("2-0")}${bulk("bob")}:<delivered ~0 s after the epoch>\r\n${int(2)}`,
  );
  assert.notEqual(maskStreamTimes(reply.replace(":3\r\n", ":60000\r\n"), NOW), maskStreamTimes(reply, NOW), "a minute of idle time shows");
  assert.notEqual(maskStreamTimes(reply.replace(":7\r\n", ":8\r\n"), NOW), maskStreamTimes(reply, NOW), "delivery counts are compared");
});

test("XINFO CONSUMERS in RESP2 and RESP3: `idle` rounded, `pending` exact", () => {
  const resp2 = `*1\r\n*6\r\n${bulk("name")}${bulk("alice")}${bulk("pending")}${int(2)}${bulk("idle")}${int(41)}`;
  assert.equal(maskStreamTimes(resp2, NOW), `*1\r\n*6\r\n${bulk("name")}${bulk("alice")}${bulk("pending")}${int(2)}${bulk("idle")}:<idle ~0 s>\r\n`);
  const resp3 = `*1\r\n%3\r\n${bulk("name")}${bulk("alice")}${bulk("pending")}${int(2)}${bulk("idle")}${int(41)}`;
  assert.equal(maskStreamTimes(resp3, NOW), `*1\r\n%3\r\n${bulk("name")}${bulk("alice")}${bulk("pending")}${int(2)}${bulk("idle")}:<idle ~0 s>\r\n`);
});

test("XINFO STREAM FULL: seen-times and delivery times near now relative; an explicit old delivery time, radix-tree sizes and counts exact", () => {
  const consumer = `*8\r\n${bulk("name")}${bulk("bob")}${bulk("seen-time")}${int(NOW - 20)}${bulk("pel-count")}${int(1)}` +
    `${bulk("pending")}*1\r\n*3\r\n${bulk("1-1")}${int(1000)}${int(3)}`;
  const group = `*14\r\n${bulk("name")}${bulk("g")}${bulk("last-delivered-id")}${bulk("1-1")}${bulk("entries-read")}${int(1)}${bulk("lag")}${int(0)}` +
    `${bulk("pel-count")}${int(2)}${bulk("pending")}*2\r\n${pendingEntry("1-1", "bob", 1000, 3)}${pendingEntry("1-2", "bob", NOW - 5, 1)}` +
    `${bulk("consumers")}*1\r\n${consumer}`;
  const reply = `*8\r\n${bulk("length")}${int(2)}${bulk("radix-tree-keys")}${int(1)}${bulk("radix-tree-nodes")}${int(2)}${bulk("groups")}*1\r\n${group}`;
  const masked = maskStreamTimes(reply, NOW);
  assert.ok(masked.includes(`${bulk("radix-tree-keys")}${int(1)}${bulk("radix-tree-nodes")}${int(2)}`), masked);
  assert.ok(masked.includes(`${bulk("seen-time")}:<~0 s ago>\r\n`), masked);
  assert.ok(masked.includes(`${pendingEntry("1-1", "bob", 1000, 3)}*4\r\n${bulk("1-2")}${bulk("bob")}:<~0 s ago>\r\n${int(1)}`), masked);
  assert.ok(masked.includes(`*1\r\n*3\r\n${bulk("1-1")}${int(1000)}${int(3)}`), masked);
  assert.ok(masked.includes(`${bulk("length")}${int(2)}`) && masked.includes(`${bulk("pel-count")}${int(2)}`), masked);
});

test("replies without times pass unchanged: errors, XREADGROUP entries, the XPENDING summary", () => {
  const entries = `*1\r\n*2\r\n${bulk("s")}*1\r\n*2\r\n${bulk("1-1")}*2\r\n${bulk("a")}${bulk("1")}`;
  const summary = `*4\r\n${int(2)}${bulk("1-1")}${bulk("1-2")}*1\r\n*2\r\n${bulk("bob")}${bulk("2")}`;
  for (const reply of ["-NOGROUP No such key 's' or consumer group 'g'\r\n", entries, summary, "*-1\r\n"]) assert.equal(maskStreamTimes(reply, NOW), reply);
});
