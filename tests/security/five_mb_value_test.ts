// Issue 12 item 14: the README promises values up to 5 MB, but the 5 MB
// request limit counted the command and key too, so `SET k <5 MB>` was
// refused. The limit now allows a value of --max-request plus a fixed
// allowance for the command, an 8 KB key and options.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { DEFAULT_MAX_REQUEST_BYTES, MAX_STRING_BYTES, REQUEST_ALLOWANCE_BYTES } from "../../src/model/limits.ts";
import { RawClient } from "../support/raw_client.ts";
import { type RunningServer, startInProcess } from "../support/servers.ts";

const FIVE_MB = 5 * 1024 * 1024;

function client(port: number): Redis {
  const redis = new Redis({ host: "127.0.0.1", port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  redis.on("error", () => {});
  return redis;
}

describe("5 MB values", () => {
  let server: RunningServer;
  before(async () => {
    server = await startInProcess();
  });
  after(() => server.stop());

  test("the defaults promise 5 MB values and requests", () => {
    assert.equal(MAX_STRING_BYTES, FIVE_MB);
    assert.equal(DEFAULT_MAX_REQUEST_BYTES, FIVE_MB);
  });

  test("ioredis SETs and GETs a 5 MB value, also with EX and GET", async () => {
    const redis = client(server.port);
    try {
      await redis.connect();
      const value = Buffer.alloc(FIVE_MB, 0x61);
      assert.equal(await redis.set("big", value), "OK");
      assert.equal((await redis.getBuffer("big"))?.length, FIVE_MB);
      // (An 8 KB key with a 5 MB value passes the request limit but not the 10 MB transaction budget: each 10 kB chunk repeats the key.)
      const longKey = "k".repeat(200);
      assert.equal(await redis.set(longKey, value, "EX", 100, "GET"), null);
      assert.equal(await redis.strlen(longKey), FIVE_MB);
    } finally {
      redis.disconnect();
    }
  });

  test("a request of a 5 MB value, an 8 KB key and options passes the request limit", () => {
    const request = FIVE_MB + 8 * 1024 + "SET".length + "EX".length + "100".length + "GET".length;
    assert.ok(request <= DEFAULT_MAX_REQUEST_BYTES + REQUEST_ALLOWANCE_BYTES);
  });

  test("a value of 5 MB + 1 byte is refused with the documented error and the connection closes", async () => {
    const redis = client(server.port);
    try {
      await redis.connect();
      await assert.rejects(redis.set("big", Buffer.alloc(FIVE_MB + 1, 0x61)), /ERR Protocol error: invalid bulk length/);
    } finally {
      redis.disconnect();
    }
  });

  test("two 5 MB values in one request pass the request limit and are refused from the header", async () => {
    const raw = await RawClient.connect(server.port);
    try {
      raw.writeRaw(`*5\r\n$4\r\nMSET\r\n$1\r\na\r\n$${FIVE_MB}\r\n`);
      raw.writeRaw(new Uint8Array(FIVE_MB).fill(0x61));
      raw.writeRaw(`\r\n$1\r\nb\r\n$${FIVE_MB}\r\n`);
      assert.match(
        await raw.readReply(10_000),
        /^-ERR Protocol error: request larger than the 5242880-byte limit \(the server's --max-request\) plus \d+ bytes for the command and key; split it into smaller commands\r\n$/,
      );
      assert.equal(await raw.closedByServer(), true);
    } finally {
      raw.close();
    }
  });
});
