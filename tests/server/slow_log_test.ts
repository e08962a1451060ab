// The slow log's bookkeeping (src/server/slow_log.ts): Redis's trimming of
// arguments, each tenant's own ids and length, and the server-wide memory
// budget that a tenant with many slow commands spends on its own entries.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SlowLog, trimmedArguments } from "../../src/server/slow_log.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const texts = (args: readonly Uint8Array[]) => args.map((a) => new TextDecoder().decode(a));

function slow(log: SlowLog, tenant: string, ...argv: string[]): void {
  log.add({ tenant, argv: argv.map(bytes), durationMicros: 20_000, addr: "127.0.0.1:1", clientName: "", nowMs: 1_700_000_000_000 });
}

test("trimmedArguments keeps 32 arguments, the last saying how many more, and 128 bytes of each", () => {
  const many = Array.from({ length: 40 }, (_, i) => bytes(`a${i}`));
  const trimmed = texts(trimmedArguments(many));
  assert.equal(trimmed.length, 32);
  assert.equal(trimmed[30], "a30");
  assert.equal(trimmed[31], "... (9 more arguments)");
  assert.deepEqual(texts(trimmedArguments([bytes("x".repeat(128)), bytes("y".repeat(130))])), ["x".repeat(128), `${"y".repeat(128)}... (2 more bytes)`]);
  assert.deepEqual(texts(trimmedArguments([bytes("AUTH"), bytes("pw")], [1])), ["AUTH", "(redacted)"]);
});

test("each tenant has its own ids and length; the operator's view merges them newest first", () => {
  const log = new SlowLog();
  slow(log, "a", "SET", "a1");
  slow(log, "b", "SET", "b1");
  slow(log, "a", "SET", "a2");
  assert.deepEqual(log.entries({ tenant: "a", all: false }, 10).map((e) => [e.id, texts(e.args)[1]]), [[1, "a2"], [0, "a1"]]);
  assert.deepEqual(log.entries({ tenant: "b", all: false }, 10).map((e) => [e.id, texts(e.args)[1]]), [[0, "b1"]]);
  assert.deepEqual(log.entries({ tenant: "", all: true }, 10).map((e) => texts(e.args)[1]), ["a2", "b1", "a1"]);
  assert.equal(log.length({ tenant: "", all: true }), 3);
  log.reset({ tenant: "a", all: false });
  assert.equal(log.length({ tenant: "a", all: false }), 0);
  assert.equal(log.length({ tenant: "b", all: false }), 1);
  slow(log, "a", "SET", "a3");
  assert.equal(log.entries({ tenant: "a", all: false }, 1)[0]!.id, 2, "ids go on after a reset, as in Redis");
});

test("slowlog-max-len bounds each tenant's log; a shorter one applies at the next entry, as in Redis", () => {
  const log = new SlowLog();
  for (let i = 0; i < 5; i++) slow(log, "a", "SET", `k${i}`);
  log.maxLength = 2;
  assert.equal(log.length({ tenant: "a", all: false }), 5);
  slow(log, "a", "SET", "k5");
  assert.deepEqual(log.entries({ tenant: "a", all: false }, 10).map((e) => texts(e.args)[1]), ["k5", "k4"]);
});

test("past the memory budget the tenant holding the most bytes loses its oldest entries first", () => {
  const log = new SlowLog(20_000);
  log.maxLength = 1000;
  slow(log, "quiet", "SET", "q", "v");
  for (let i = 0; i < 200; i++) slow(log, "noisy", "SET", `n${i}`, "x".repeat(100));
  assert.ok(log.heldBytes <= 20_000, `${log.heldBytes} bytes held`);
  assert.equal(log.length({ tenant: "quiet", all: false }), 1, "the quiet tenant keeps its entry");
  const noisy = log.entries({ tenant: "noisy", all: false }, Infinity);
  assert.ok(noisy.length > 10 && noisy.length < 200);
  assert.equal(texts(noisy[0]!.args)[1], "n199", "the newest entries stay");
});

test("-1 turns the log off; 0 logs every command", () => {
  const log = new SlowLog();
  log.logSlowerThanMicros = -1;
  assert.equal(log.thresholdMicros, Infinity);
  slow(log, "a", "GET", "k");
  assert.equal(log.length({ tenant: "a", all: false }), 0);
  log.logSlowerThanMicros = 0;
  assert.equal(log.thresholdMicros, 0);
  log.add({ tenant: "a", argv: [bytes("GET")], durationMicros: 0, addr: "", clientName: "", nowMs: 0 });
  assert.equal(log.length({ tenant: "a", all: false }), 1);
});
