// TLS on its own port beside plain TCP, reached by redis-cli --tls and by
// ioredis with `tls`, and `materia env` output sourced by bash then used by
// redis-cli, as the Materia KV docs show. Certificates (a CA and a server
// certificate it signs) are made with openssl at run time.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Redis from "ioredis";
import { generateRootKey } from "../../src/auth/tokens.ts";
import { runMateria, TempDirs } from "../support/processes.ts";
import { materiaCommand } from "../support/runtime.ts";
import { cleanEnv, type ServerProcess, spawnServer } from "../support/servers.ts";

const dirs = new TempDirs();
let certs: string;
let rootKey: string;

/** A CA and a certificate for 127.0.0.1 / localhost signed by it. */
function makeCertificates(dir: string): void {
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Materia test CA");
  ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
  const ext = join(dir, "san.ext");
  execFileSync("sh", ["-c", `printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > '${ext}'`]);
  ssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", ext);
}

function tlsPortOf(server: ServerProcess): number {
  const match = /TLS ready on [^\s]+:(\d+)/.exec(server.output());
  assert.ok(match, server.output());
  return Number(match[1]);
}

async function waitForLine(server: ServerProcess, pattern: RegExp): Promise<void> {
  for (let i = 0; i < 100 && !pattern.test(server.output()); i++) await new Promise((r) => setTimeout(r, 20));
}

async function mint(tenant: string): Promise<string> {
  const { code, stdout, stderr } = await runMateria(["token", "create", "--tenant", tenant], { env: { MATERIA_ROOT_KEY: rootKey } });
  assert.equal(code, 0, stderr);
  return stdout.trim();
}

describe("TLS beside plain TCP", () => {
  let server: ServerProcess;
  let tlsPort: number;
  before(async () => {
    certs = dirs.make("tls");
    makeCertificates(certs);
    rootKey = await generateRootKey();
    // The certificate as a path, the key as PEM text: both forms are accepted.
    server = await spawnServer(
      ["--engine", "memory", "--tls-port", "0", "--tls-cert", join(certs, "server.pem")],
      { env: { MATERIA_ROOT_KEY: rootKey, MATERIA_TLS_KEY: readFileSync(join(certs, "server.key"), "utf8") } },
    );
    await waitForLine(server, /TLS ready on/);
    tlsPort = tlsPortOf(server);
  });
  after(async () => {
    await server?.kill("SIGTERM");
    dirs.removeAll();
  });

  test("redis-cli --tls --cacert connects, authenticates with a token and writes", async () => {
    const token = await mint("tls_cli");
    const cli = (...args: string[]) =>
      spawnSync("redis-cli", ["--tls", "--cacert", join(certs, "ca.pem"), "-h", "127.0.0.1", "-p", String(tlsPort), "--no-auth-warning", "-a", token, ...args], {
        encoding: "utf8",
      });
    assert.equal(cli("SET", "over:tls", "yes").stdout.trim(), "OK");
    assert.equal(cli("GET", "over:tls").stdout.trim(), "yes");
  });

  test("the plain port serves the same data; the TLS port refuses plain text", async () => {
    const token = await mint("tls_cli");
    const plain = spawnSync("redis-cli", ["-p", String(server.port), "--no-auth-warning", "-a", token, "GET", "over:tls"], { encoding: "utf8" });
    assert.equal(plain.stdout.trim(), "yes");
    const wrong = spawnSync("redis-cli", ["-p", String(tlsPort), "--no-auth-warning", "-a", token, "PING"], { encoding: "utf8", timeout: 5_000 });
    assert.notEqual(wrong.stdout.trim(), "PONG");
  });

  test("ioredis with tls and the CA", async () => {
    const token = await mint("tls_ioredis");
    const client = new Redis({
      host: "127.0.0.1",
      port: tlsPort,
      password: token,
      tls: { ca: readFileSync(join(certs, "ca.pem")), servername: "localhost" },
      lazyConnect: true,
      maxRetriesPerRequest: 0,
    });
    try {
      await client.connect();
      assert.equal(await client.set("k", "v"), "OK");
      assert.equal(await client.get("k"), "v");
      assert.equal(await client.dbsize(), 1, "tenant tls_ioredis sees only its own key");
    } finally {
      client.disconnect();
    }
  });

  test("a client that does not trust the CA is refused by its own TLS check", async () => {
    const token = await mint("tls_cli");
    const result = spawnSync("redis-cli", ["--tls", "-h", "127.0.0.1", "-p", String(tlsPort), "--no-auth-warning", "-a", token, "PING"], {
      encoding: "utf8",
      timeout: 5_000,
    });
    assert.notEqual(result.stdout.trim(), "PONG");
    assert.match(result.stdout + result.stderr, /certificate|SSL|TLS/i);
  });

  test("materia env output, sourced by bash, is all redis-cli needs (with the CA)", () => {
    const materia = materiaCommand(["env", "kv_demo", "--port", String(tlsPort)]).map((a) => `'${a}'`).join(" ");
    const script = `set -e
source <(${materia})
redis-cli -h "$KV_HOST" -p "$KV_PORT" --tls --cacert '${join(certs, "ca.pem")}' SET from:env works >/dev/null
redis-cli -h "$KV_HOST" -p "$KV_PORT" --tls --cacert '${join(certs, "ca.pem")}' GET from:env
redis-cli -u "$REDIS_CLI_URL" --cacert '${join(certs, "ca.pem")}' --no-auth-warning GET from:env
test "$KV_TOKEN" = "$REDIS_PASSWORD" && test "$KV_TOKEN" = "$REDISCLI_AUTH" && test "$KV_HOST" = "$REDIS_HOST" && test "$KV_PORT" = "$REDIS_PORT" && echo aliases-ok`;
    const result = spawnSync("bash", ["-c", script], { encoding: "utf8", env: cleanEnv({ MATERIA_ROOT_KEY: rootKey }), timeout: 20_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split("\n"), ["works", "works", "aliases-ok"]);
  });

  test("materia env --format json and fish", async () => {
    const json = await runMateria(["env", "kv_demo", "--format", "json"], { env: { MATERIA_ROOT_KEY: rootKey } });
    assert.equal(json.code, 0, json.stderr);
    const variables = JSON.parse(json.stdout) as Record<string, string>;
    assert.deepEqual(Object.keys(variables).sort(), ["KV_HOST", "KV_PORT", "KV_TOKEN", "REDISCLI_AUTH", "REDIS_CLI_URL", "REDIS_HOST", "REDIS_PASSWORD", "REDIS_PORT"]);
    assert.equal(variables.KV_PORT, "6379");
    const fish = await runMateria(["env", "kv_demo", "--format", "fish"], { env: { MATERIA_ROOT_KEY: rootKey } });
    assert.match(fish.stdout, /^set -gx KV_HOST '127\.0\.0\.1';$/m);
  });
});

describe("serving without a certificate", () => {
  test("plain only, and the start banner says so", async () => {
    const server = await spawnServer(["--engine", "memory"]);
    try {
      await waitForLine(server, /no TLS certificate/);
      assert.match(server.output(), /no TLS certificate .*serving plain TCP only/);
    } finally {
      await server.kill("SIGTERM");
    }
  });
});
