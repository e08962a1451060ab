// Issue 12, item 11: a 10,000-level JSON value answered "ERR internal error:
// Maximum call stack size exceeded" and logged an 850-byte stack trace per
// request. JSON values now nest at most 127 levels (the 128th is refused, as
// RedisJSON does), checked on the text before parsing, with a clear error.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { nestingOverflow } from "../../src/model/json_depth.ts";
import { RawClient } from "../support/raw_client.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";

const nested = (levels: number, inner = "1") => "[".repeat(levels) + inner + "]".repeat(levels);
const RECURSION = /^-ERR recursion limit exceeded at line 1 column 128: JSON values nest at most 127 levels; flatten the value\r\n$/;

test("nestingOverflow reports where the 128th level opens, ignoring brackets inside strings", () => {
  assert.equal(nestingOverflow(nested(127)), undefined);
  assert.deepEqual(nestingOverflow(nested(128)), { line: 1, column: 128 });
  assert.deepEqual(nestingOverflow(`{"a":\n${nested(200)}}`), { line: 2, column: 127 });
  assert.equal(nestingOverflow(JSON.stringify(["[".repeat(500)])), undefined);
  assert.equal(nestingOverflow(JSON.stringify(['\\"' + "[".repeat(500)])), undefined);
});

describe("JSON nesting depth is capped", () => {
  let server: RunningServer;
  let c: RawClient;
  before(async () => {
    server = await startInProcess();
    c = await RawClient.connect(server.port);
  });
  after(async () => {
    c.close();
    await server.stop();
  });

  test("JSON.SET of a 10,000-level value answers the recursion limit error, not an internal error", async () => {
    assert.match(await c.call("JSON.SET", "d", "$", nested(10_000)), RECURSION);
    assert.match(await c.call("JSON.SET", "d", "$", `{"a":${"{\"a\":".repeat(10_000)}1${"}".repeat(10_000)}}`), /^-ERR recursion limit exceeded at line 1 column \d+/);
    assert.equal(await c.call("EXISTS", "d"), ":0\r\n");
  });

  test("127 levels are accepted and the 128th is refused, at JSON.SET, JSON.MERGE and JSON.ARRAPPEND", async () => {
    assert.equal(await c.call("JSON.SET", "d", "$", nested(127)), "+OK\r\n");
    assert.match(await c.call("JSON.SET", "d", "$", nested(128)), RECURSION);
    assert.match(await c.call("JSON.MERGE", "d", "$", nested(128)), RECURSION);
    await c.call("JSON.SET", "o", "$", '{"a":[]}');
    assert.match(await c.call("JSON.ARRAPPEND", "o", "$.a", nested(128)), RECURSION);
    assert.match(await c.call("JSON.MERGE", "o", "$", `{"b":${nested(200)}}`), /^-ERR recursion limit exceeded at line 1 column 132/);
  });

  test("a shallow value set deep inside cannot push the document past the limit", async () => {
    await c.call("JSON.SET", "e", "$", '{"a":' + nested(100, "{}") + "}");
    const deepPath = "$.a" + "[0]".repeat(100);
    assert.equal(await c.call("JSON.SET", "e", deepPath + ".x", nested(20)), "+OK\r\n");
    assert.equal(
      await c.call("JSON.SET", "e", deepPath + ".y", nested(30)),
      "-ERR recursion limit exceeded: the document would nest deeper than 127 levels; set a shallower value or set it nearer the root\r\n",
    );
    assert.match(await c.call("JSON.MERGE", "e", deepPath, `{"z":${nested(30)}}`), /^-ERR recursion limit exceeded: the document would nest deeper/);
    assert.equal(await c.call("JSON.GET", "e", deepPath + ".y"), "$2\r\n[]\r\n");
  });

  test("a deep document written with plain SET is refused by JSON commands with a clear error", async () => {
    assert.equal(await c.call("SET", "s", nested(10_000)), "+OK\r\n");
    const refused = "-ERR the JSON document at this key nests deeper than 127 levels; read it with GET or rewrite it shallower\r\n";
    assert.equal(await c.call("JSON.GET", "s", "$..*"), refused);
    assert.equal(await c.call("JSON.SET", "s", "$[0]", "1"), refused);
    assert.equal(await c.call("JSON.MGET", "s", "$"), "*1\r\n$-1\r\n");
    assert.equal(await c.call("JSON.SET", "s", "$", "[1]"), refused);
    assert.equal(await c.call("DEL", "s"), ":1\r\n");
  });
});
