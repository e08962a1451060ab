// Two details of ZRANGE's option parsing in Redis 7.0.15 (zrangeGenericCommand),
// found by the model-based test:
// 1. LIMIT's numbers are parsed as they are met, so a bad number wins over an
//    unknown option after it.
// 2. Only a LIMIT count other than -1 needs BYSCORE or BYLEX: `LIMIT <offset> -1`
//    by rank is no LIMIT at all, its offset ignored.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { openAccess } from "../../src/auth/static_password.ts";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { MateriaServer } from "../../src/server/server.ts";
import { RawClient } from "../support/raw_client.ts";
import { runtimeListen } from "../support/runtime.ts";

async function withServer(body: (client: RawClient) => Promise<void>): Promise<void> {
  const server = new MateriaServer({ engine: new MemoryEngine(), auth: openAccess(), version: "test", dataDirectory: "" });
  const listener = await server.listen(await runtimeListen(), { host: "127.0.0.1", port: 0 });
  const client = await RawClient.connect(listener.port);
  try {
    await body(client);
  } finally {
    client.close();
    await server.shutdown({ timeoutMs: 2_000 });
  }
}

describe("ZRANGE option parsing as Redis 7.0 does it", () => {
  test("a bad LIMIT number wins over a later unknown option", async () => {
    await withServer(async (client) => {
      assert.equal(await client.call("ZADD", "z", "1", "x"), ":1\r\n");
      // redis-server 7.0.15: -ERR value is not an integer or out of range
      assert.equal(await client.call("ZRANGE", "z", "0", "-1", "BYSCORE", "LIMIT", "x", "1", "FOO"), "-ERR value is not an integer or out of range\r\n");
      assert.equal(await client.call("ZRANGE", "z", "0", "-1", "LIMIT", "x", "1", "REV", "REV"), "-ERR value is not an integer or out of range\r\n");
      // LIMIT takes the next two arguments, whatever they are.
      assert.equal(await client.call("ZRANGE", "z", "-inf", "x", "REV", "LIMIT", "0", "BYSCORE", "REV"), "-ERR value is not an integer or out of range\r\n");
    });
  });

  test("LIMIT <offset> -1 by rank means no LIMIT", async () => {
    await withServer(async (client) => {
      assert.equal(await client.call("ZADD", "z", "1", "x", "2", "y"), ":2\r\n");
      // redis-server 7.0.15: the range, as without LIMIT
      assert.equal(await client.call("ZRANGE", "z", "0", "1", "LIMIT", "0", "-1"), "*2\r\n$1\r\nx\r\n$1\r\ny\r\n");
      assert.equal(await client.call("ZREVRANGE", "z", "0", "0", "LIMIT", "5", "-1"), "*1\r\n$1\r\ny\r\n");
    });
  });
});
