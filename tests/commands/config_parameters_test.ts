// Every parameter of `CONFIG GET *`, set back with its own value: against a
// live redis-server 7.0 (its parameters and values, and its replies to the
// same CONFIG SET), and, with or without one, every parameter Materia
// declares (src/commands/config_parameters.ts). Applied and remembered
// parameters must then read back the value set; immutable and protected ones
// must answer Redis's refusal; reported ones accept only Materia's own value.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { CONFIG_PARAMETERS, lookupParameter } from "../../src/commands/config_parameters.ts";
import { RawClient } from "../support/raw_client.ts";
import { redisServerAvailable, type RedisProcess, startRedis } from "../support/redis_server.ts";
import { type RunningServer, startInProcess } from "../support/servers.ts";

const OK = "+OK\r\n";
const live = await redisServerAvailable();

/** A RESP2 array of bulk strings, decoded (CONFIG GET's reply). */
function bulks(reply: string): string[] {
  assert.match(reply, /^\*\d+\r\n/, reply);
  const out: string[] = [];
  let at = reply.indexOf("\r\n") + 2;
  while (at < reply.length) {
    const end = reply.indexOf("\r\n", at);
    const length = Number(reply.slice(at + 1, end));
    out.push(reply.slice(end + 2, end + 2 + length));
    at = end + 2 + length + 2;
  }
  return out;
}

function pairs(reply: string): Map<string, string> {
  const items = bulks(reply);
  const map = new Map<string, string>();
  for (let i = 0; i < items.length; i += 2) map.set(items[i]!, items[i + 1]!);
  return map;
}

const refusedByRedis = (name: string, why: "immutable" | "protected") => `-ERR CONFIG SET failed (possibly related to argument '${name}') - can't set ${why} config\r\n`;

/** Sets `name` to `value` on Materia; asserts the outcome the registry declares, and that GET reads it back. */
async function roundTrip(client: RawClient, name: string, value: string): Promise<void> {
  const declared = lookupParameter(name);
  assert.ok(declared, `Materia does not declare ${name}`);
  const { parameter } = declared;
  const reply = await client.call("CONFIG", "SET", name, value);
  if (parameter.immutable || parameter.protected) {
    assert.equal(reply, refusedByRedis(name, parameter.immutable ? "immutable" : "protected"), name);
    return;
  }
  if (parameter.effect === "reported") {
    const own = pairs(await client.call("CONFIG", "GET", name)).get(name);
    if (own !== value) {
      assert.match(reply, new RegExp(`^-ERR CONFIG SET failed \\(possibly related to argument '${name}'\\) - Materia `), `${name} ${value}`);
      assert.equal(await client.call("CONFIG", "SET", name, own ?? ""), OK, `${name}: Materia's own value ${own}`);
      return;
    }
  }
  assert.equal(reply, OK, `CONFIG SET ${name} ${JSON.stringify(value)}`);
  assert.equal(pairs(await client.call("CONFIG", "GET", name)).get(name), value, `CONFIG GET ${name} after setting ${JSON.stringify(value)}`);
}

describe("CONFIG SET of every parameter with its own value", () => {
  let materia: RunningServer;
  let client: RawClient;
  before(async () => {
    materia = await startInProcess();
    client = await RawClient.connect(materia.port);
  });
  after(async () => {
    client.close();
    await materia.stop();
  });

  test("Materia declares every parameter: CONFIG GET * lists each name and alias but no hidden one, and SET of its value reads back", async () => {
    const all = pairs(await client.call("CONFIG", "GET", "*"));
    for (const parameter of CONFIG_PARAMETERS) {
      for (const name of [parameter.name, ...(parameter.alias ? [parameter.alias] : [])]) {
        assert.equal(all.has(name), parameter.hidden !== true, `CONFIG GET * and ${name}`);
        const value = all.get(name) ?? pairs(await client.call("CONFIG", "GET", name)).get(name);
        assert.notEqual(value, undefined, `CONFIG GET ${name}`);
        await roundTrip(client, name, value!);
      }
    }
  });

  describe("against redis-server", { skip: live ? false : "no redis-server here: the declared parameters are checked above" }, () => {
    let redis: RedisProcess;
    let theirs: RawClient;
    before(async () => {
      redis = await startRedis();
      theirs = await RawClient.connect(redis.port);
    });
    after(async () => {
      theirs.close();
      await redis.stop();
    });

    test("each parameter of redis-server's CONFIG GET * is Materia's, and Redis's own value is accepted back as Redis accepts it", async () => {
      const redisParameters = pairs(await theirs.call("CONFIG", "GET", "*"));
      assert.ok(redisParameters.size > 180, `redis-server listed ${redisParameters.size} parameters`);
      const ours = pairs(await client.call("CONFIG", "GET", "*"));
      for (const name of ours.keys()) assert.ok(redisParameters.has(name), `Materia lists ${name}, which redis-server does not`);
      for (const [name, value] of redisParameters) {
        // The data directory is the operator's only; hidden from nobody here (auth off).
        assert.ok(ours.has(name), `CONFIG GET * of Materia lacks ${name}`);
        const redisReply = await theirs.call("CONFIG", "SET", name, value);
        const declared = lookupParameter(name)!.parameter;
        if (declared.immutable || declared.protected) {
          assert.equal(redisReply, refusedByRedis(name, declared.immutable ? "immutable" : "protected"), `redis-server: CONFIG SET ${name}`);
        } else {
          assert.equal(redisReply, OK, `redis-server: CONFIG SET ${name} ${JSON.stringify(value)}`);
        }
        await roundTrip(client, name, value);
      }
    });

    test("Redis's default of each remembered parameter is the one Materia starts with", async () => {
      const redisParameters = pairs(await theirs.call("CONFIG", "GET", "*"));
      for (const parameter of CONFIG_PARAMETERS) {
        // startRedis sets save "" (as Materia's default) and the port and bind of the test.
        if (parameter.effect !== "remembered" || !redisParameters.has(parameter.name)) continue;
        assert.equal(parameter.redisDefault, redisParameters.get(parameter.name), parameter.name);
      }
    });
  });
});
