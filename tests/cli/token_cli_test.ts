// `materia token` and request-size limits, through the real CLI and server.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runMateria, TempDirs } from "../support/processes.ts";
import { RawClient } from "../support/raw_client.ts";
import { cleanEnv, spawnServer } from "../support/servers.ts";
import { projectRoot } from "../support/runtime.ts";

const dirs = new TempDirs();
after(() => dirs.removeAll());

async function materia(args: string[], env: Record<string, string> = {}) {
  return await runMateria(args, { env, timeoutMs: 20_000 });
}

describe("materia token", () => {
  test("keygen prints a root private key; public-key derives its public key", async () => {
    const keygen = await materia(["token", "keygen"]);
    assert.equal(keygen.code, 0, keygen.stderr);
    assert.match(keygen.stdout, /^ed25519-private\/[0-9a-f]{64}\n$/);
    const pub = await materia(["token", "public-key"], { MATERIA_ROOT_KEY: keygen.stdout.trim() });
    assert.match(pub.stdout, /^ed25519\/[0-9a-f]{64}\n$/);
  });

  test("create prints the token alone on stdout, so TOKEN=$(npm run --silent materia -- token create ...) works", async () => {
    const key = (await materia(["token", "keygen"])).stdout.trim();
    const result = spawnSync("bash", ["-c", `TOKEN=$(npm run --silent materia -- token create --tenant kv_demo) && printf '%s' "$TOKEN"`], {
      cwd: projectRoot,
      encoding: "utf8",
      env: cleanEnv({ MATERIA_ROOT_KEY: key }),
      timeout: 30_000,
    });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^[A-Za-z0-9_=-]{100,}$/, `stdout holds only the token: ${JSON.stringify(result.stdout)}`);
  });

  test("create uses the data directory's root key when MATERIA_ROOT_KEY is unset, and says what is missing otherwise", async () => {
    const data = dirs.make("token");
    const missing = await materia(["token", "create", "--data", data, "--tenant", "t"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no root key: set MATERIA_ROOT_KEY or --root-key-file/);
    assert.equal(existsSync(join(data, "root.key")), false, "token create never creates a key");
    // serve creates it; token create then signs with it, and the server accepts the token.
    const server = await spawnServer(["--engine", "memory", "--data", data], { env: { MATERIA_AUTH: "" } });
    try {
      const created = await materia(["token", "create", "--data", data, "--tenant", "from_dir"]);
      assert.equal(created.code, 0, created.stderr);
      const client = await RawClient.connect(server.port);
      try {
        assert.equal(await client.call("AUTH", created.stdout.trim()), "+OK\r\n");
      } finally {
        client.close();
      }
    } finally {
      await server.kill("SIGTERM");
    }
  });

  test("attenuate adds a block offline; inspect shows blocks, facts, checks and revocation ids", async () => {
    const key = (await materia(["token", "keygen"])).stdout.trim();
    const env = { MATERIA_ROOT_KEY: key };
    const token = (await materia(["token", "create", "--tenant", "kv_demo"], env)).stdout.trim();
    const publicKey = (await materia(["token", "public-key"], env)).stdout.trim();
    // Without the private key: only the public key is given.
    const narrowed = await materia(["token", "attenuate", token, "--read-only", "--prefix", "user:", "--prefix", "cache:", "--expires", "1d", "--public-key", publicKey]);
    assert.equal(narrowed.code, 0, narrowed.stderr);
    const inspected = await materia(["token", "inspect", narrowed.stdout.trim(), "--public-key", publicKey]);
    assert.equal(inspected.code, 0, inspected.stderr);
    const text = inspected.stdout;
    assert.ok(text.includes(`block 0 (authority):\n  tenant("kv_demo");\n  right("read");\n  right("write");`), text);
    assert.ok(text.includes(`block 1 (attenuation):\n  check if operation("read");`), text);
    assert.match(text, /\$r\.starts_with\("user:"\) or resource\(\$r\), \$r\.starts_with\("cache:"\)/);
    assert.match(text, /check if time\(\$t\), \$t <= \d{4}-/);
    assert.equal(text.match(/revocation id: [0-9a-f]{128}/g)?.length, 2);
  });

  test("a tampered token, or one checked against another root key, is refused with the reason", async () => {
    const key = (await materia(["token", "keygen"])).stdout.trim();
    const other = (await materia(["token", "keygen"])).stdout.trim();
    const token = (await materia(["token", "create", "--tenant", "t"], { MATERIA_ROOT_KEY: key })).stdout.trim();
    const middle = Math.floor(token.length / 2);
    const tampered = token.slice(0, middle) + (token[middle] === "A" ? "B" : "A") + token.slice(middle + 1);
    const bad = await materia(["token", "inspect", tampered], { MATERIA_ROOT_KEY: key });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /invalid token/);
    const wrongRoot = await materia(["token", "inspect", token], { MATERIA_ROOT_KEY: other });
    assert.equal(wrongRoot.code, 1);
    assert.match(wrongRoot.stderr, /invalid token/);
  });

  test("bad arguments name the problem", async () => {
    const key = (await materia(["token", "keygen"])).stdout.trim();
    const env = { MATERIA_ROOT_KEY: key };
    assert.match((await materia(["token", "create"], env)).stderr, /--tenant/);
    assert.match((await materia(["token", "create", "--tenant", "bad tenant!"], env)).stderr, /tenant ids are/);
    assert.match((await materia(["token", "create", "--tenant", "t", "--expires", "soon"], env)).stderr, /--expires must be/);
    assert.match((await materia(["token", "frobnicate"], env)).stderr, /unknown command 'frobnicate'/);
  });
});

describe("root key rotation", () => {
  test("with the old public key in MATERIA_TRUSTED_PUBLIC_KEYS, tokens of both keys work; others do not", async () => {
    const [oldKey, newKey, strangerKey] = await Promise.all([1, 2, 3].map(async () => (await materia(["token", "keygen"])).stdout.trim()));
    const oldPublic = (await materia(["token", "public-key"], { MATERIA_ROOT_KEY: oldKey! })).stdout.trim();
    const oldToken = (await materia(["token", "create", "--tenant", "t"], { MATERIA_ROOT_KEY: oldKey! })).stdout.trim();
    const newToken = (await materia(["token", "create", "--tenant", "t"], { MATERIA_ROOT_KEY: newKey! })).stdout.trim();
    const strangerToken = (await materia(["token", "create", "--tenant", "t"], { MATERIA_ROOT_KEY: strangerKey! })).stdout.trim();
    const server = await spawnServer(["--engine", "memory"], { env: { MATERIA_ROOT_KEY: newKey!, MATERIA_TRUSTED_PUBLIC_KEYS: oldPublic } });
    try {
      const client = await RawClient.connect(server.port);
      try {
        assert.equal(await client.call("AUTH", oldToken), "+OK\r\n");
        assert.equal(await client.call("AUTH", newToken), "+OK\r\n");
        assert.equal(await client.call("AUTH", strangerToken), "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
      } finally {
        client.close();
      }
    } finally {
      await server.kill("SIGTERM");
    }
  });
});

describe("request size limit", () => {
  test("a request over --max-request gets an error and the connection is closed before the body is sent", async () => {
    const server = await spawnServer(["--engine", "memory", "--max-request", "64kb"]);
    try {
      const client = await RawClient.connect(server.port);
      // Two 40 kB arguments: each under the limit, together over it. Only the headers and the first body are sent.
      client.writeRaw(`*3\r\n$3\r\nSET\r\n$40000\r\n${"a".repeat(40_000)}\r\n$40000\r\n`);
      assert.match(await client.readReply(), /^-ERR Protocol error: request larger than the 65536-byte limit/);
      assert.equal(await client.closedByServer(), true);
      client.close();
      // One argument over the whole limit is refused from its header alone.
      const second = await RawClient.connect(server.port);
      second.writeRaw(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\n`);
      assert.match(await second.readReply(), /^-ERR Protocol error: request larger than/);
      assert.equal(await second.closedByServer(), true);
      second.close();
      // The server still serves others.
      const third = await RawClient.connect(server.port);
      assert.equal(await third.call("SET", "k", "a".repeat(60_000)), "+OK\r\n");
      third.close();
    } finally {
      await server.kill("SIGTERM");
    }
  });
});
