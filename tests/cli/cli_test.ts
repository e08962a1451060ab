// The `materia` command-line contract that later issues and checks rely on:
// help and version, every `serve` flag and its environment variable, errors
// that name the flag or variable at fault, the ready line, and refusals (a
// data directory in use, a busy port). Runs `materia` from source on the
// runtime running the tests.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RawClient } from "../support/raw_client.ts";
import { projectRoot, runtimeName } from "../support/runtime.ts";
import type { ServerProcess } from "../support/servers.ts";
import { run, runMateria, signalServer, startMateria, TempDirs } from "../support/processes.ts";

const dirs = new TempDirs();
after(() => dirs.removeAll());

const FLAGS = ["--engine", "--data", "--host", "--port", "--no-auth", "--maxclients", "--help"];
const VARIABLES = ["MATERIA_ENGINE", "MATERIA_DATA", "MATERIA_HOST", "MATERIA_PORT", "MATERIA_AUTH=off", "MATERIA_PASSWORD"];

/** Runs `body` with a started server, then stops it with SIGTERM and checks it exited 0. */
async function withServer(
  args: readonly string[],
  env: Record<string, string>,
  body: (server: ServerProcess) => Promise<void>,
  options: { cwd?: string } = {},
): Promise<void> {
  const server = await startMateria(args, { env, cwd: options.cwd });
  try {
    await body(server);
  } finally {
    // One round trip first: a signal sent the instant the ready line appears
    // can kill the server (see the test "a signal sent the moment ...").
    await roundTrip(server);
    const code = await signalServer(server, "SIGTERM");
    assert.equal(code, 0, `materia should exit 0 on SIGTERM; output:\n${server.output()}`);
  }
}

/** Sends PING to the address in the ready line and waits for any reply. */
async function roundTrip(server: ServerProcess): Promise<void> {
  const host = /ready on ([^\s:]+):/.exec(server.output())![1]!;
  const client = await RawClient.connect(server.port, host);
  try {
    await client.call("PING");
  } finally {
    client.close();
  }
}

/** The ready line: the first line the server prints. */
function readyLine(server: ServerProcess): string {
  return server.output().split("\n")[0]!;
}

/** True when a fresh connection may run a data command without AUTH. */
async function openWithoutAuth(port: number, host = "127.0.0.1"): Promise<string> {
  const client = await RawClient.connect(port, host);
  try {
    return await client.call("GET", "cli:probe");
  } finally {
    client.close();
  }
}

describe("materia help and version", () => {
  test("materia --help describes the commands and exits 0", async () => {
    const { code, stdout, stderr } = await runMateria(["--help"]);
    assert.equal(code, 0);
    assert.equal(stderr, "");
    assert.match(stdout, /^Usage: materia <command>/);
    assert.match(stdout, /\bserve\b/);
    assert.match(stdout, /--version/);
  });

  test("materia without a command prints the same help", async () => {
    const [bare, help] = await Promise.all([runMateria([]), runMateria(["--help"])]);
    assert.equal(bare.code, 0);
    assert.equal(bare.stdout, help.stdout);
  });

  test("materia serve --help lists every flag and its environment variable", async () => {
    const { code, stdout } = await runMateria(["serve", "--help"]);
    assert.equal(code, 0);
    assert.match(stdout, /^Usage: materia serve/);
    for (const flag of FLAGS) assert.match(stdout, new RegExp(`^\\s+${flag}\\b`, "m"), `help lists ${flag}`);
    for (const variable of VARIABLES) assert.ok(stdout.includes(variable), `help names ${variable}`);
    assert.match(stdout, /--engine sqlite\|memory/);
    // Every flag's text stands apart from its help: a long flag puts the help on the next line.
    const options = stdout.split("\n\n").find((block) => block.startsWith("Options:"))!.split("\n").slice(1);
    options.forEach((line, i) => {
      if (!line.startsWith("  --")) return;
      const helpOnNextLine = options[i + 1]?.startsWith(" ".repeat(28)) === true;
      assert.ok(helpOnNextLine || line[27] === " ", `flag and help run together: ${line}`);
    });
  });

  test("materia --version prints the package's version", async () => {
    const { version } = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as { version: string };
    const { code, stdout } = await runMateria(["--version"]);
    assert.equal(code, 0);
    assert.ok(stdout.startsWith(`materia ${version}`), stdout);
    assert.ok(stdout.includes(runtimeName), "it names the runtime it runs on");
    assert.equal(stdout.split("\n").length, 2, "one line");
  });

  test("an unknown command exits 2 naming it", async () => {
    const { code, stdout, stderr } = await runMateria(["frobnicate"]);
    assert.equal(code, 2);
    assert.equal(stdout, "");
    assert.match(stderr, /'frobnicate'/);
  });
});

describe("materia serve refuses bad flags and values, naming them", () => {
  const cases: Array<{ name: string; args: string[]; env?: Record<string, string>; names: RegExp }> = [
    { name: "an unknown flag", args: ["--bogus"], names: /--bogus/ },
    { name: "a port above 65535", args: ["--port", "70000"], names: /--port.*70000/ },
    { name: "a port that is not a number", args: ["--port", "abc"], names: /--port.*'abc'/ },
    { name: "a negative port", args: ["--port=-1"], names: /--port/ },
    { name: "a flag without its value", args: ["--port"], names: /--port/ },
    { name: "an unknown engine", args: ["--engine", "nope"], names: /--engine.*'nope'/ },
    { name: "a value for --no-auth", args: ["--no-auth=yes"], names: /--no-auth/ },
    { name: "a positional argument", args: ["extra"], names: /'extra'/ },
    { name: "maxclients 0", args: ["--maxclients", "0"], names: /--maxclients/ },
    { name: "MATERIA_PORT=abc", args: [], env: { MATERIA_PORT: "abc" }, names: /MATERIA_PORT.*'abc'/ },
    { name: "MATERIA_PORT=65536", args: [], env: { MATERIA_PORT: "65536" }, names: /MATERIA_PORT/ },
    { name: "MATERIA_ENGINE=nope", args: [], env: { MATERIA_ENGINE: "nope" }, names: /MATERIA_ENGINE.*'nope'/ },
    { name: "MATERIA_MAXCLIENTS=lots", args: [], env: { MATERIA_MAXCLIENTS: "lots" }, names: /MATERIA_MAXCLIENTS/ },
    { name: "MATERIA_AUTH=maybe", args: [], env: { MATERIA_AUTH: "maybe" }, names: /MATERIA_AUTH.*'maybe'/ },
    { name: "a malformed MATERIA_ROOT_KEY", args: [], env: { MATERIA_ROOT_KEY: "not-a-key" }, names: /root key must be/ },
    { name: "a missing --root-key-file", args: ["--root-key-file", "/nonexistent/root.key"], env: { MATERIA_AUTH: "" }, names: /cannot read the root key file '\/nonexistent\/root.key'/ },
    { name: "a TLS certificate without its key", args: ["--tls-cert", "/nonexistent/cert.pem"], env: {}, names: /--tls-key/ },
    { name: "an unreadable TLS certificate", args: ["--tls-cert", "/nonexistent/cert.pem", "--tls-key", "/nonexistent/key.pem"], env: {}, names: /--tls-cert: cannot read '\/nonexistent\/cert.pem'/ },
    { name: "a bad storage quota", args: ["--quota-storage", "lots"], env: {}, names: /--quota-storage/ },
  ];
  for (const c of cases) {
    test(`${c.name}: non-zero exit, a message naming it, nothing served`, async () => {
      // A valid data directory and port, so that only the value under test can fail.
      const env = { MATERIA_DATA: dirs.make("cli"), MATERIA_PORT: "0", ...c.env };
      const { code, stdout, stderr } = await runMateria(["serve", ...c.args], { env, timeoutMs: 10_000 });
      assert.notEqual(code, 0);
      assert.equal(typeof code, "number", "it exits by itself, it is not killed");
      assert.match(stderr, c.names);
      assert.match(stderr, /^materia serve: /);
      assert.doesNotMatch(stdout, /ready on/);
    });
  }

  test("a --data path that is a file: non-zero exit naming the path", async () => {
    const file = join(dirs.make("cli"), "not-a-directory");
    writeFileSync(file, "x");
    const { code, stderr } = await runMateria(["serve", "--port", "0", "--data", file]);
    assert.notEqual(code, 0);
    assert.equal(typeof code, "number");
    assert.ok(stderr.includes(file), stderr);
  });
});

describe("materia serve takes each setting from a flag or its environment variable", () => {
  test("by default the engine is sqlite in ./data (relative to the working directory), auth by token with a root key created there", async () => {
    const cwd = dirs.make("cli");
    // MATERIA_AUTH empty: the test helpers' default of auth off does not apply.
    await withServer(["serve"], { MATERIA_PORT: "0", MATERIA_AUTH: "" }, async (server) => {
      assert.match(readyLine(server), /\(sqlite engine in \.\/data, auth token\)/);
      assert.equal(await openWithoutAuth(server.port), "-NOAUTH Authentication required.\r\n");
      assert.ok(existsSync(join(cwd, "data", "materia.sqlite3")));
      assert.ok(existsSync(join(cwd, "data", "root.key")));
      assert.match(server.output(), /created a root key for local use in (\.\/)?data\/root\.key/);
      const token = /a token for tenant 'dev' \(read and write\): (\S+)/.exec(server.output())?.[1];
      assert.ok(token, server.output());
      const client = await RawClient.connect(server.port);
      try {
        assert.equal(await client.call("AUTH", token), "+OK\r\n");
        assert.equal(await client.call("SET", "k", "v"), "+OK\r\n");
      } finally {
        client.close();
      }
    }, { cwd });
  });

  test("MATERIA_PORT=0 and MATERIA_ENGINE=memory: the ready line says memory engine and a real port", async () => {
    await withServer(["serve"], { MATERIA_PORT: "0", MATERIA_ENGINE: "memory" }, async (server) => {
      assert.match(readyLine(server), /ready on 127\.0\.0\.1:\d+ \(memory engine/);
      assert.notEqual(server.port, 0);
      assert.notEqual(server.port, 6378);
      assert.equal(await openWithoutAuth(server.port), "$-1\r\n");
    });
  });

  test("MATERIA_ENGINE=sqlite and MATERIA_DATA: the ready line names the directory, the database file is in it", async () => {
    const data = join(dirs.make("cli"), "nested", "data");
    await withServer(["serve"], { MATERIA_PORT: "0", MATERIA_ENGINE: "sqlite", MATERIA_DATA: data }, async (server) => {
      assert.ok(readyLine(server).includes(`sqlite engine in ${data}`), readyLine(server));
      const client = await RawClient.connect(server.port);
      try {
        assert.equal(await client.call("SET", "k", "v"), "+OK\r\n");
      } finally {
        client.close();
      }
      assert.ok(existsSync(join(data, "materia.sqlite3")));
    });
  });

  test("--engine, --data and --port as flags", async () => {
    const data = dirs.make("cli");
    await withServer(["serve", "--engine", "sqlite", "--data", data, "--port", "0", "--host", "127.0.0.1"], {}, async (server) => {
      assert.ok(readyLine(server).includes(`sqlite engine in ${data}`), readyLine(server));
    });
  });

  test("a flag wins over its environment variable", async () => {
    await withServer(["serve", "--engine", "memory", "--port", "0"], { MATERIA_ENGINE: "sqlite", MATERIA_PORT: "abc" }, async (server) => {
      assert.match(readyLine(server), /\(memory engine/);
    });
  });

  test("MATERIA_HOST and --host choose the address listened on", async () => {
    // Any 127.0.0.0/8 address is loopback on Linux; a second one shows the setting took effect.
    await withServer(["serve"], { MATERIA_PORT: "0", MATERIA_ENGINE: "memory", MATERIA_HOST: "127.0.0.2" }, async (server) => {
      assert.match(readyLine(server), new RegExp(`ready on 127\\.0\\.0\\.2:${server.port} `));
      assert.equal(await openWithoutAuth(server.port, "127.0.0.2"), "$-1\r\n");
      await assert.rejects(RawClient.connect(server.port, "127.0.0.1"), "nothing listens on 127.0.0.1");
    });
    await withServer(["serve", "--host", "127.0.0.3", "--port", "0", "--engine", "memory"], {}, async (server) => {
      assert.match(readyLine(server), /ready on 127\.0\.0\.3:/);
    });
  });

  test("MATERIA_PASSWORD turns auth on; the ready line says so and shows -a without the password", async () => {
    await withServer(["serve", "--port", "0", "--engine", "memory"], { MATERIA_PASSWORD: "pw-not-to-print" }, async (server) => {
      assert.match(readyLine(server), /auth password/);
      assert.match(readyLine(server), /-a <MATERIA_PASSWORD>/);
      assert.ok(!server.output().includes("pw-not-to-print"), "the password is never printed");
      assert.equal(await openWithoutAuth(server.port), "-NOAUTH Authentication required.\r\n");
    });
  });

  test("--no-auth with MATERIA_PASSWORD set lets clients in without AUTH", async () => {
    await withServer(["serve", "--port", "0", "--engine", "memory", "--no-auth"], { MATERIA_PASSWORD: "secret" }, async (server) => {
      assert.match(readyLine(server), /auth off/);
      assert.equal(await openWithoutAuth(server.port), "$-1\r\n");
    });
  });

  test("MATERIA_AUTH=off with MATERIA_PASSWORD set lets clients in without AUTH", async () => {
    await withServer(["serve", "--port", "0", "--engine", "memory"], { MATERIA_PASSWORD: "secret", MATERIA_AUTH: "off" }, async (server) => {
      assert.match(readyLine(server), /auth off/);
      assert.equal(await openWithoutAuth(server.port), "$-1\r\n");
    });
  });

  test("MATERIA_MAXCLIENTS limits clients", async () => {
    await withServer(["serve", "--port", "0", "--engine", "memory"], { MATERIA_MAXCLIENTS: "1" }, async (server) => {
      const first = await RawClient.connect(server.port);
      try {
        assert.equal(await first.call("PING"), "+PONG\r\n");
        const second = await RawClient.connect(server.port);
        try {
          assert.equal(await second.readReply(), "-ERR max number of clients reached\r\n");
        } finally {
          second.close();
        }
      } finally {
        first.close();
      }
    });
  });
});

describe("materia serve's ready line and refusals", () => {
  test("the ready line tells how to connect with redis-cli, and that command works", async () => {
    await withServer(["serve", "--port", "0", "--engine", "memory"], {}, async (server) => {
      const line = readyLine(server);
      const match = /connect with: (redis-cli .*)$/.exec(line);
      assert.ok(match, line);
      assert.equal(match[1], `redis-cli -h 127.0.0.1 -p ${server.port}`);
      const [program, ...args] = match[1]!.split(" ");
      const { code, stdout } = await run(program!, [...args, "PING"]);
      assert.equal(code, 0);
      assert.equal(stdout, "PONG\n");
    });
  });

  test("a second server on the same --data directory is refused with a message naming the directory", async () => {
    const data = dirs.make("cli");
    await withServer(["serve", "--port", "0", "--data", data], {}, async (first) => {
      const second = await runMateria(["serve", "--port", "0", "--data", data], { timeoutMs: 10_000 });
      assert.notEqual(second.code, 0);
      assert.equal(typeof second.code, "number");
      assert.ok(second.stderr.includes(data), second.stderr);
      assert.match(second.stderr, /another materia server/);
      assert.doesNotMatch(second.stdout, /ready on/);
      // The first server is unharmed.
      const client = await RawClient.connect(first.port);
      try {
        assert.equal(await client.call("SET", "still", "mine"), "+OK\r\n");
      } finally {
        client.close();
      }
    });
  });

  test("a busy port fails with a message naming the address and what to do", async () => {
    await withServer(["serve", "--port", "0", "--engine", "memory"], {}, async (first) => {
      const second = await runMateria(["serve", "--port", String(first.port), "--engine", "memory"], { timeoutMs: 10_000 });
      assert.notEqual(second.code, 0);
      assert.equal(typeof second.code, "number");
      assert.ok(second.stderr.includes(`cannot listen on 127.0.0.1:${first.port}`), second.stderr);
      assert.match(second.stderr, /--port/);
      assert.doesNotMatch(second.stdout, /ready on/);
    });
  });

  test("a busy port with the sqlite engine releases the data directory for the next server", async () => {
    const data = dirs.make("cli");
    await withServer(["serve", "--port", "0", "--engine", "memory"], {}, async (first) => {
      const refused = await runMateria(["serve", "--port", String(first.port), "--data", data], { timeoutMs: 10_000 });
      assert.equal(refused.code, 1, refused.stderr);
    });
    await withServer(["serve", "--port", "0", "--data", data], {}, async (server) => {
      assert.ok(readyLine(server).includes(data));
    });
  });

  test("SIGINT and SIGTERM stop a running server gracefully with exit code 0, closing idle clients", async () => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      const server = await startMateria(["serve", "--port", "0", "--engine", "memory"]);
      const idle = await RawClient.connect(server.port);
      try {
        assert.equal(await idle.call("PING"), "+PONG\r\n");
        const started = Date.now();
        const code = await signalServer(server, signal);
        assert.equal(code, 0, server.output());
        assert.ok(Date.now() - started < 5_000, "an idle client does not hold up the shutdown");
        assert.ok(await idle.closedByServer(), "the idle client's connection is closed");
        assert.match(server.output(), new RegExp(`${signal} received`));
        assert.match(server.output(), /stopped/);
      } finally {
        idle.close();
      }
    }
  });

  test("SHUTDOWN from the operator stops materia serve as SIGTERM does: exit code 0, other clients closed", async () => {
    const server = await startMateria(["serve", "--port", "0", "--engine", "memory", "--no-auth"]);
    const other = await RawClient.connect(server.port);
    const client = await RawClient.connect(server.port);
    try {
      assert.equal(await other.call("PING"), "+PONG\r\n");
      client.writeRaw("*1\r\n$8\r\nSHUTDOWN\r\n");
      assert.equal(await server.exited, 0, server.output());
      assert.ok(await other.closedByServer(), "the other client's connection is closed");
      assert.match(server.output(), /SHUTDOWN received/);
      assert.match(server.output(), /stopped/);
    } finally {
      client.close();
      other.close();
    }
  });

  test("a signal sent the moment the ready line appears still stops the server gracefully", async () => {
    // The ready line promises a running server; a supervisor may stop it at once.
    const outcomes: Array<number | string> = [];
    for (let i = 0; i < 10; i++) {
      const server = await startMateria(["serve", "--port", "0", "--engine", "memory"]);
      outcomes.push(await signalServer(server, i % 2 === 0 ? "SIGTERM" : "SIGINT"));
    }
    assert.deepEqual(outcomes, outcomes.map(() => 0), "exit codes (a signal name means the signal killed it)");
  });
});
