// Issue 12, item 6: JSONPath filters were CPU and memory bombs. jsonpath-plus's
// "safe" evaluator ran method calls on strings, so one JSON.GET froze every
// tenant for 24.6 s and took 4.8 GB. Filters now accept only comparisons,
// &&, ||, !, =~ and literals; evaluation and regex matching are bounded.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { RawClient } from "../support/raw_client.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";

const BOMB = "$.a[?(@.n.split('').concat(@.n.padStart(1000000000).toLowerCase(), @.n.padStart(1000000000).toUpperCase()).length > 1)]";

/** Sends `argv` on `attacker`, then PING on `bystander`; both replies and how long each took from the send. */
async function withBystander(attacker: RawClient, bystander: RawClient, argv: string[]): Promise<{ reply: string; replyMs: number; pingMs: number }> {
  const started = performance.now();
  const replied = attacker.call(...argv).then((reply) => ({ reply, replyMs: performance.now() - started }));
  const pinged = bystander.call("PING").then((pong) => {
    assert.equal(pong, "+PONG\r\n");
    return performance.now() - started;
  });
  const [{ reply, replyMs }, pingMs] = await Promise.all([replied, pinged]);
  return { reply, replyMs, pingMs };
}

describe("JSONPath filters cannot freeze the server", () => {
  let server: RunningServer;
  let attacker: RawClient;
  let bystander: RawClient;
  before(async () => {
    server = await startInProcess();
    attacker = await RawClient.connect(server.port);
    bystander = await RawClient.connect(server.port);
  });
  after(async () => {
    attacker.close();
    bystander.close();
    await server.stop();
  });

  test("the method-call bomb of the review is refused at once and another client is answered promptly", async () => {
    assert.equal(await attacker.call("JSON.SET", "j", "$", '{"a":[{"n":"abc"},{"n":"def"}]}'), "+OK\r\n");
    const { reply, replyMs, pingMs } = await withBystander(attacker, bystander, ["JSON.GET", "j", BOMB]);
    assert.match(reply, /^-ERR invalid JSON path '.*': filters have no function or method calls at position \d+/);
    assert.ok(replyMs < 500, `the bomb took ${replyMs.toFixed(0)} ms`);
    assert.ok(pingMs < 500, `the other client waited ${pingMs.toFixed(0)} ms`);
  });

  test("every JSON command refuses a method call in a filter, and the document is unchanged", async () => {
    await attacker.call("JSON.SET", "m", "$", '{"a":[{"n":"abc"}]}');
    for (const argv of [
      ["JSON.GET", "m", "$.a[?(@.n.toUpperCase() == 'ABC')]"],
      ["JSON.SET", "m", "$.a[?(@.n.slice(1) == 'bc')]", "1"],
      ["JSON.DEL", "m", "$.a[?(@.n.constructor('return 1')())]"],
      ["JSON.TYPE", "m", "$.a[?(@.n.valueOf())]"],
      ["JSON.MGET", "m", "$.a[?(this.process)]"],
    ]) {
      assert.match(await attacker.call(...argv), /^-ERR invalid JSON path/, argv.join(" "));
    }
    assert.equal(await attacker.call("JSON.GET", "m"), '$19\r\n{"a":[{"n":"abc"}]}\r\n');
    // Inherited properties are not members: `constructor` names a member like any other, and there is none.
    assert.equal(await attacker.call("JSON.GET", "m", "$.a[?(@.n.constructor)]"), "$2\r\n[]\r\n");
    assert.equal(await attacker.call("JSON.GET", "m", "$.a[0].n.length"), "$2\r\n[]\r\n");
  });

  test("a filter on a missing member is false, not an internal error", async () => {
    await attacker.call("JSON.SET", "f", "$", '{"a":[{"n":1},{"m":2},3,null]}');
    assert.equal(await attacker.call("JSON.GET", "f", "$.a[?(@.n.x.y > 0)]"), "$2\r\n[]\r\n");
    assert.equal(await attacker.call("JSON.GET", "f", "$.a[?(@.n > 0)]"), '$9\r\n[{"n":1}]\r\n');
  });

  test("a catastrophic-backtracking regex runs in linear time", async () => {
    const subject = "a".repeat(50_000) + "!";
    await attacker.call("JSON.SET", "r", "$", JSON.stringify({ a: [{ s: subject }, { s: "aa" }] }));
    const { reply, replyMs, pingMs } = await withBystander(attacker, bystander, ["JSON.GET", "r", "$.a[?(@.s =~ '^(a+)+$')].s"]);
    assert.equal(reply, '$6\r\n["aa"]\r\n');
    assert.ok(replyMs < 2_000 && pingMs < 2_000, `regex took ${replyMs.toFixed(0)} ms, ping ${pingMs.toFixed(0)} ms`);
  });

  test("a path whose work explodes stops at the step limit with an error", async () => {
    // 120 nested arrays: each `..*` visits every subtree below every match, so six of them need about 10^11 steps.
    let chain: unknown = 0;
    for (let i = 0; i < 120; i++) chain = [i, chain];
    await attacker.call("JSON.SET", "w", "$", JSON.stringify(chain));
    const { reply, replyMs, pingMs } = await withBystander(attacker, bystander, ["JSON.GET", "w", "$..*..*..*..*..*..*"]);
    assert.match(reply, /^-ERR JSON path evaluation exceeded its limit of \d+ steps; use a narrower path or a simpler filter/);
    assert.ok(replyMs < 5_000 && pingMs < 5_000, `took ${replyMs.toFixed(0)} ms, ping ${pingMs.toFixed(0)} ms`);
  });

  test("overlapping matches of $..* on a deep document with a large string are refused before the reply is built", async () => {
    let doc: unknown = "x".repeat(1_000_000);
    for (let i = 0; i < 100; i++) doc = [doc];
    await attacker.call("JSON.SET", "big", "$", JSON.stringify(doc));
    const { reply, replyMs } = await withBystander(attacker, bystander, ["JSON.GET", "big", "$..*"]);
    assert.match(reply, /^-ERR the reply would exceed 64 MB of JSON text; select fewer or smaller values/);
    assert.ok(replyMs < 5_000, `took ${replyMs.toFixed(0)} ms`);
  });

  test("a huge INDENT cannot blow the reply up", async () => {
    await attacker.call("JSON.SET", "ind", "$", JSON.stringify(Array.from({ length: 1000 }, () => [[[1]]])));
    const reply = await attacker.call("JSON.GET", "ind", "INDENT", " ".repeat(100_000), "$");
    assert.match(reply, /^-ERR the reply would exceed 64 MB/);
  });

  test("deeply nested filter parentheses are refused by the parser, not by a stack overflow", async () => {
    const path = `$.a[?${"(".repeat(50_000)}@.n${")".repeat(50_000)}]`;
    assert.match(await attacker.call("JSON.GET", "f", path), /^-ERR invalid JSON path '.{100}\.\.\.': the path is longer than 4096 characters/);
    const nested = `$.a[?${"(".repeat(100)}@.n${")".repeat(100)}]`;
    assert.match(await attacker.call("JSON.GET", "f", nested), /^-ERR invalid JSON path .*filters nest deeper than 32 levels/);
  });
});
