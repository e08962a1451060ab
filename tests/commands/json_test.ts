// JSON commands over a real socket to an in-process server, on the memory
// and sqlite engines: the Materia KV documentation's examples verbatim, then
// RedisJSON-compatible cases for every command (reply shapes as RedisJSON 2.x).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Engine } from "../../src/engine/contract.ts";
import { SqliteEngine } from "../../src/engine/sqlite/engine.ts";
import { RawClient } from "../support/raw_client.ts";
import { runtimeOpenSqlite } from "../support/runtime.ts";
import { defaultTestEngine, defaultTestEngineName, startInProcess, type RunningServer } from "../support/servers.ts";
import { TempDirs } from "../support/processes.ts";

const dirs = new TempDirs();
after(() => dirs.removeAll());

const bulk = (text: string) => `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
const int = (n: number) => `:${n}\r\n`;
const arr = (...items: string[]) => `*${items.length}\r\n${items.join("")}`;
const NIL = "$-1\r\n";
const OK = "+OK\r\n";

const ENGINES: ReadonlyArray<{ name: string; open(): Promise<Engine> }> = [
  { name: `${defaultTestEngineName} engine`, open: defaultTestEngine },
  { name: "sqlite engine", open: async () => SqliteEngine.open(dirs.make("json"), { openDriver: await runtimeOpenSqlite() }) },
];

for (const engine of ENGINES) {
  describe(`JSON commands on the ${engine.name}`, () => {
    let server: RunningServer;
    let c: RawClient;
    before(async () => {
      server = await startInProcess({ engine: await engine.open() });
      c = await RawClient.connect(server.port);
    });
    after(async () => {
      c.close();
      await server.stop();
    });

    test("the Materia KV documentation's examples, verbatim", async () => {
      assert.equal(await c.call("JSON.SET", "myJsonKey", "$", '{"a":"23"}'), OK);
      assert.equal(await c.call("JSON.GET", "myJsonKey"), bulk('{"a":"23"}'));
      assert.equal(await c.call("JSON.GET", "myJsonKey", "$"), bulk('[{"a":"23"}]'));
      assert.equal(await c.call("JSON.GET", "myJsonKey", "$.a"), bulk('["23"]'));
      assert.equal(await c.call("JSON.SET", "myJsonKey", "$", '{"f1":{"k1":["foo",42],"k2":["bar",53]},"f2":{"k1":["Hello",61]}}'), OK);
      assert.equal(await c.call("JSON.GET", "myJsonKey", "$.f1", "$.f2"), bulk('{"$.f1":[{"k1":["foo",42],"k2":["bar",53]}],"$.f2":[{"k1":["Hello",61]}]}'));
      assert.equal(await c.call("JSON.GET", "myJsonKey", ".f1", ".f2"), bulk('{".f1":{"k1":["foo",42],"k2":["bar",53]},".f2":{"k1":["Hello",61]}}'));
      assert.equal(await c.call("JSON.GET", "myJsonKey", "$..k1"), bulk('[["foo",42],["Hello",61]]'));
      assert.equal(await c.call("JSON.SET", "myJsonKey", "$", '{"a":[1,2,3,4]}'), OK);
      assert.equal(await c.call("JSON.DEL", "myJsonKey", "$.a[1]"), int(1));
      assert.equal(await c.call("JSON.GET", "myJsonKey"), bulk('{"a":[1,3,4]}'));
      // A document is an ordinary string.
      assert.equal(await c.call("GET", "myJsonKey"), bulk('{"a":[1,3,4]}'));
    });

    test("JSON.SET creates members whose parent exists, honours NX/XX, and needs the root for a new key", async () => {
      assert.equal(await c.call("JSON.SET", "s", ".a", "1"), "-ERR new objects must be created at the root\r\n");
      assert.equal(await c.call("JSON.SET", "s", "$", '{"a":{"b":1}}', "XX"), NIL);
      assert.equal(await c.call("JSON.SET", "s", "$", '{"a":{"b":1}}', "NX"), OK);
      assert.equal(await c.call("JSON.SET", "s", "$.a.c", '"new"'), OK);
      assert.equal(await c.call("JSON.SET", "s", "$['x.y']", "[1]"), OK);
      assert.equal(await c.call("JSON.SET", "s", "$.a.b", "2", "NX"), NIL);
      assert.equal(await c.call("JSON.SET", "s", "$.a.b", "3", "XX"), OK);
      assert.equal(await c.call("JSON.SET", "s", "$.nope.deep", "3"), NIL);
      assert.equal(await c.call("JSON.SET", "s", ".nope.deep", "3"), "-ERR Path '$.nope.deep' does not exist\r\n");
      assert.equal(await c.call("JSON.GET", "s"), bulk('{"a":{"b":3,"c":"new"},"x.y":[1]}'));
      assert.equal(await c.call("JSON.GET", "s", "$['x.y'][0]"), bulk("[1]"));
      assert.equal(await c.call("JSON.SET", "s", "$", "{bad"), "-ERR expected value: the argument is not valid JSON (object, array, string, number, true, false or null)\r\n");
      assert.match(await c.call("JSON.SET", "s", "$.a[", "1"), /^-ERR invalid JSON path '\$\.a\['/);
      assert.equal(await c.call("JSON.SET", "s", "$", "1", "PX"), "-ERR syntax error\r\n");
      assert.equal(await c.call("JSON.SET", "s", "$"), "-ERR wrong number of arguments for 'json.set' command\r\n");
    });

    test("JSON.SET keeps the TTL, and JSON commands refuse other types and non-JSON strings", async () => {
      await c.call("JSON.SET", "t", "$", '{"n":1}');
      await c.call("EXPIRE", "t", "100");
      await c.call("JSON.SET", "t", "$.n", "2");
      assert.equal(await c.call("TTL", "t"), int(100));
      await c.call("SET", "plain", "hello");
      assert.match(await c.call("JSON.GET", "plain"), /^-ERR the value at this key is not a JSON document/);
      await c.call("RPUSH", "list", "a");
      assert.match(await c.call("JSON.GET", "list"), /^-WRONGTYPE/);
      assert.equal(await c.call("JSON.GET", "missing"), NIL);
    });

    test("JSON.GET with a missing legacy path fails, a missing $ path gives [], and formatting options apply", async () => {
      await c.call("JSON.SET", "g", "$", '{"a":[1,{"b":2}]}');
      assert.equal(await c.call("JSON.GET", "g", ".x"), "-ERR Path '$.x' does not exist\r\n");
      assert.equal(await c.call("JSON.GET", "g", "$.x"), bulk("[]"));
      assert.equal(await c.call("JSON.GET", "g", "$.a[-1].b"), bulk("[2]"));
      assert.equal(await c.call("JSON.GET", "g", "INDENT", "  ", "NEWLINE", "\n", "SPACE", " ", "."), bulk('{\n  "a": [\n    1,\n    {\n      "b": 2\n    }\n  ]\n}'));
    });

    test("JSON.DEL and JSON.FORGET delete matches; deleting the root deletes the key", async () => {
      await c.call("JSON.SET", "d", "$", '{"a":1,"b":{"a":2},"c":[1,2,3]}');
      assert.equal(await c.call("JSON.DEL", "d", "$..a"), int(2));
      assert.equal(await c.call("JSON.FORGET", "d", "$.c[*]"), int(3));
      assert.equal(await c.call("JSON.GET", "d"), bulk('{"b":{},"c":[]}'));
      assert.equal(await c.call("JSON.DEL", "d", "$.zz"), int(0));
      assert.equal(await c.call("JSON.DEL", "d"), int(1));
      assert.equal(await c.call("EXISTS", "d"), int(0));
      assert.equal(await c.call("JSON.DEL", "d"), int(0));
    });

    test("JSON.TYPE, JSON.STRLEN, JSON.ARRLEN and JSON.OBJKEYS answer per match for $ paths and once for legacy ones", async () => {
      await c.call("JSON.SET", "r", "$", '{"s":"héllo","n":1.5,"i":2,"arr":[1,2],"o":{"x":1,"y":null},"b":true}');
      assert.equal(await c.call("JSON.TYPE", "r"), "+object\r\n");
      assert.equal(await c.call("JSON.TYPE", "r", "$.*"), arr(...["string", "number", "integer", "array", "object", "boolean"].map(bulk)));
      assert.equal(await c.call("JSON.TYPE", "missing"), NIL);
      assert.equal(await c.call("JSON.STRLEN", "r", ".s"), int(5));
      assert.equal(await c.call("JSON.STRLEN", "r", "$.s"), arr(int(5)));
      assert.equal(await c.call("JSON.STRLEN", "r", ".i"), "-WRONGTYPE wrong type of path value - expected string but found integer\r\n");
      assert.equal(await c.call("JSON.ARRLEN", "r", "$..arr"), arr(int(2)));
      assert.equal(await c.call("JSON.ARRLEN", "r", "$.s"), arr(NIL));
      assert.equal(await c.call("JSON.ARRLEN", "r", ".arr"), int(2));
      assert.equal(await c.call("JSON.OBJKEYS", "r", ".o"), arr(bulk("x"), bulk("y")));
      assert.equal(await c.call("JSON.OBJKEYS", "r", "$.o"), arr(arr(bulk("x"), bulk("y"))));
      assert.equal(await c.call("JSON.OBJKEYS", "r", ".nope"), "-ERR Path '$.nope' does not exist\r\n");
    });

    test("JSON.MGET reads one path in several keys, nil for missing keys", async () => {
      await c.call("JSON.SET", "m1", "$", '{"a":1}');
      await c.call("JSON.SET", "m2", "$", '{"a":2}');
      assert.equal(await c.call("JSON.MGET", "m1", "m2", "nokey", "$.a"), arr(bulk("[1]"), bulk("[2]"), NIL));
      assert.equal(await c.call("JSON.MGET", "m1", "m2", ".a"), arr(bulk("1"), bulk("2")));
      assert.equal(await c.call("JSON.MGET", "m1"), "-ERR wrong number of arguments for 'json.mget' command\r\n");
    });

    test("JSON.ARRAPPEND, JSON.NUMINCRBY, JSON.TOGGLE, JSON.CLEAR and JSON.MERGE edit in place", async () => {
      await c.call("JSON.SET", "w", "$", '{"arr":[1],"n":2,"f":true,"o":{"a":1,"b":2},"s":"x"}');
      assert.equal(await c.call("JSON.ARRAPPEND", "w", "$.arr", "2", '"three"'), arr(int(3)));
      assert.equal(await c.call("JSON.ARRAPPEND", "w", ".arr", "4"), int(4));
      assert.equal(await c.call("JSON.ARRAPPEND", "w", "$.s", "4"), arr(NIL));
      assert.equal(await c.call("JSON.ARRAPPEND", "w", ".s", "4"), "-WRONGTYPE wrong type of path value - expected array but found string\r\n");
      assert.equal(await c.call("JSON.NUMINCRBY", "w", "$.n", "1.5"), bulk("[3.5]"));
      assert.equal(await c.call("JSON.NUMINCRBY", "w", ".n", "-0.5"), bulk("3"));
      assert.equal(await c.call("JSON.NUMINCRBY", "w", "$.*", "1"), bulk("[null,4,null,null,null]"));
      assert.equal(await c.call("JSON.TOGGLE", "w", "$.f"), arr(int(0)));
      assert.equal(await c.call("JSON.TOGGLE", "w", ".f"), bulk("true"));
      assert.equal(await c.call("JSON.MERGE", "w", "$.o", '{"a":null,"c":3}'), OK);
      assert.equal(await c.call("JSON.MERGE", "w", "$.added", '{"z":1}'), OK);
      assert.equal(await c.call("JSON.GET", "w", "$.o", "$.added"), bulk('{"$.o":[{"b":2,"c":3}],"$.added":[{"z":1}]}'));
      assert.equal(await c.call("JSON.CLEAR", "w", "$.*"), int(4));
      assert.equal(await c.call("JSON.GET", "w"), bulk('{"arr":[],"n":0,"f":true,"o":{},"s":"x","added":{}}'));
      assert.equal(await c.call("JSON.MERGE", "newdoc", "$", '{"a":{"b":null,"c":1}}'), OK);
      assert.equal(await c.call("JSON.GET", "newdoc"), bulk('{"a":{"c":1}}'));
    });

    test("JSON commands appear in COMMAND INFO with a dotted name", async () => {
      const info = await c.call("COMMAND", "INFO", "json.get");
      assert.ok(info.includes("json.get"), info);
      assert.ok(info.includes("@json"), info);
    });
  });
}

test("a member named __proto__ is an ordinary member: JSON.SET, JSON.MERGE and JSON.GET keep it as data", async () => {
  const server = await startInProcess();
  const client = await RawClient.connect(server.port);
  try {
    assert.equal(await client.call("JSON.SET", "p", "$", "{}"), "+OK\r\n");
    assert.equal(await client.call("JSON.SET", "p", "$.__proto__", '{"polluted":1}'), "+OK\r\n");
    assert.equal(await client.call("JSON.MERGE", "p", "$", '{"__proto__":{"more":2}}'), "+OK\r\n");
    assert.equal(await client.call("JSON.GET", "p"), '$37\r\n{"__proto__":{"polluted":1,"more":2}}\r\n');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  } finally {
    client.close();
    await server.stop();
  }
});
