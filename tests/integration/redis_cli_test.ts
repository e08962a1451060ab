// The real `redis-cli` against Materia (in-process on the memory engine, and
// `materia serve --engine sqlite`): one-shot commands, --pipe with 10,000
// commands, --scan, -3 (HELLO 3), inline commands typed as over telnet, and an
// interactive session through a pseudo-terminal (`script`), as a user types.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { spawnServer, type ServerProcess } from "../support/servers.ts";
import { hasProgram, run, signalServer, TARGETS, type Finished, type TargetServer } from "../support/processes.ts";

const HAS_REDIS_CLI = hasProgram("redis-cli");
const HAS_SCRIPT = hasProgram("script");

function redisCli(port: number, args: readonly string[], options: { input?: string } = {}): Promise<Finished> {
  return run("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args], options);
}

/** `count` SET commands in RESP, as `redis-cli --pipe` expects them. */
function setCommands(count: number, prefix: string): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const key = `${prefix}${i}`;
    const value = `value-${i}`;
    parts.push(`*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${value.length}\r\n${value}\r\n`);
  }
  return parts.join("");
}

/** Writes `text` on a plain TCP connection and collects what comes back until the server closes it (or `waitMs`). */
function telnet(port: number, text: string, waitMs = 2_000): Promise<{ received: string; closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    let received = "";
    const socket = connect({ port, host: "127.0.0.1" }, () => socket.write(text));
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ received, closedByServer: false });
    }, waitMs);
    socket.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
    socket.on("error", reject);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ received, closedByServer: true });
    });
  });
}

/**
 * `redis-cli` in interactive mode on a pseudo-terminal made by util-linux
 * `script`. The terminal gets a size first (`stty`), otherwise linenoise
 * queries the cursor position and waits for an answer.
 */
class InteractiveCli {
  private raw = "";
  private mark = 0;
  private readonly closed: Promise<number | string>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout!.on("data", (chunk: Buffer) => (this.raw += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (this.raw += chunk.toString()));
    this.closed = new Promise((resolve) => child.on("close", (code, signal) => resolve(signal ?? code ?? -1)));
  }

  static start(port: number): InteractiveCli {
    const child = spawn("script", ["-qfec", `stty cols 250 rows 50; exec redis-cli -h 127.0.0.1 -p ${port}`, "/dev/null"], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    return new InteractiveCli(child);
  }

  /** What the terminal showed, without colour and cursor escapes, as lines. */
  private lines(from: number): string[] {
    // deno-lint-ignore no-control-regex
    const plain = this.raw.slice(from).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
    return plain.split(/\r\n|\r|\n/);
  }

  /** Waits until a line after the last command matches. */
  async expectLine(expected: string | RegExp, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const matches = (line: string) => (typeof expected === "string" ? line === expected : expected.test(line));
    while (!this.lines(this.mark).some(matches)) {
      if (Date.now() > deadline) {
        throw new Error(`no line matching ${String(expected)}; terminal showed:\n${this.lines(this.mark).join("\n")}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Types a line and presses Enter. */
  type(line: string): void {
    this.mark = this.raw.length;
    this.child.stdin!.write(`${line}\r`);
  }

  async end(): Promise<number | string> {
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5_000);
    const code = await this.closed;
    clearTimeout(timer);
    return code;
  }
}

for (const target of TARGETS) {
  describe(`redis-cli against ${target.name}`, { skip: HAS_REDIS_CLI ? false : "redis-cli is not installed" }, () => {
    let server: TargetServer;
    before(async () => {
      server = await target.start();
    });
    after(async () => {
      await server.stop();
    });

    test("one-shot commands print raw replies when stdout is not a terminal", async () => {
      const port = server.port;
      assert.deepEqual(await redisCli(port, ["SET", "cli:k", "v"]), { code: 0, stdout: "OK\n", stderr: "" });
      assert.equal((await redisCli(port, ["GET", "cli:k"])).stdout, "v\n");
      assert.equal((await redisCli(port, ["GET", "cli:missing"])).stdout, "\n");
      assert.equal((await redisCli(port, ["INCR", "cli:n"])).stdout, "1\n");
      assert.equal((await redisCli(port, ["MSET", "cli:a", "1", "cli:b", "2"])).stdout, "OK\n");
      assert.equal((await redisCli(port, ["MGET", "cli:a", "cli:none", "cli:b"])).stdout, "1\n\n2\n");
      assert.equal((await redisCli(port, ["SET", "cli:sp", "a b"])).stdout, "OK\n");
      assert.equal((await redisCli(port, ["GET", "cli:sp"])).stdout, "a b\n");
      assert.equal((await redisCli(port, ["INCR", "cli:k"])).stdout, "ERR value is not an integer or out of range\n\n");
    });

    test("one-shot commands with --no-raw print as in a terminal", async () => {
      const port = server.port;
      assert.equal((await redisCli(port, ["--no-raw", "INCRBY", "cli:nr", "5"])).stdout, "(integer) 5\n");
      assert.equal((await redisCli(port, ["--no-raw", "GET", "cli:nr-missing"])).stdout, "(nil)\n");
      assert.equal((await redisCli(port, ["--no-raw", "GET", "cli:nr"])).stdout, '"5"\n');
      assert.equal((await redisCli(port, ["--no-raw", "SET", "cli:nr", "1", "BAD"])).stdout, "(error) ERR syntax error\n");
      assert.equal((await redisCli(port, ["--no-raw", "TYPE", "cli:nr"])).stdout, "string\n");
    });

    test("-3 negotiates RESP3 with HELLO 3 and prints the HELLO map", async () => {
      const { code, stdout } = await redisCli(server.port, ["-3", "--no-raw", "HELLO", "3"]);
      assert.equal(code, 0);
      const lines = stdout.trimEnd().split("\n");
      assert.deepEqual(lines.map((l) => l.replace(/\(integer\) \d+$/, "(integer) N")), [
        '1# "server" => "redis"',
        `2# "version" => ${lines[1]!.split(" => ")[1]}`,
        '3# "proto" => (integer) N',
        '4# "id" => (integer) N',
        '5# "mode" => "standalone"',
        '6# "role" => "master"',
        '7# "modules" => (empty array)',
      ]);
      assert.match(lines[1]!, /^2# "version" => "\d+\.\d+\.\d+"$/);
      assert.equal(lines[2], '3# "proto" => (integer) 3');
      assert.equal((await redisCli(server.port, ["-3", "--no-raw", "GET", "cli:r3-missing"])).stdout, "(nil)\n");
      assert.equal((await redisCli(server.port, ["-3", "HELLO", "3"])).stdout.split("\n")[0], "server redis");
    });

    test("--pipe sends 10,000 SETs in RESP: no errors, 10,000 replies, DBSIZE 10,000", async () => {
      const { code, stdout } = await redisCli(server.port, ["-n", "7", "--pipe"], { input: setCommands(10_000, "pipe:") });
      assert.equal(code, 0, stdout);
      assert.match(stdout, /All data transferred\. Waiting for the last reply\.\.\./);
      assert.match(stdout, /Last reply received from server\./);
      assert.match(stdout, /^errors: 0, replies: 10000$/m);
      assert.equal((await redisCli(server.port, ["-n", "7", "DBSIZE"])).stdout, "10000\n");
      assert.equal((await redisCli(server.port, ["-n", "7", "GET", "pipe:9999"])).stdout, "value-9999\n");
      assert.equal((await redisCli(server.port, ["-n", "7", "FLUSHDB"])).stdout, "OK\n");
      assert.equal((await redisCli(server.port, ["-n", "7", "DBSIZE"])).stdout, "0\n");
    });

    test("--pipe counts error replies", async () => {
      const input = "*2\r\n$4\r\nINCR\r\n$6\r\npe:txt\r\n".repeat(1) +
        "*3\r\n$3\r\nSET\r\n$6\r\npe:txt\r\n$3\r\nabc\r\n*2\r\n$4\r\nINCR\r\n$6\r\npe:txt\r\n*1\r\n$4\r\nPING\r\n";
      const { stdout } = await redisCli(server.port, ["-n", "8", "--pipe"], { input });
      assert.match(stdout, /^errors: 1, replies: 4$/m);
    });

    test("--scan --pattern lists every matching key once", async () => {
      const keys = Array.from({ length: 150 }, (_, i) => `kscan${i}`);
      await redisCli(server.port, ["-n", "9", "MSET", ...keys.flatMap((k) => [k, "v"]), "other", "v", "akscan", "v"]);
      const { code, stdout } = await redisCli(server.port, ["-n", "9", "--scan", "--pattern", "k*"]);
      assert.equal(code, 0);
      const listed = stdout.trimEnd().split("\n");
      assert.equal(listed.length, keys.length);
      assert.deepEqual(listed.sort(), [...keys].sort());
      const ones = (await redisCli(server.port, ["-n", "9", "--scan", "--pattern", "kscan1?"])).stdout.trimEnd().split("\n");
      assert.deepEqual(ones.sort(), Array.from({ length: 10 }, (_, i) => `kscan1${i}`).sort());
    });

    test("inline commands typed over a plain socket, as with telnet", async () => {
      const { received } = await telnet(
        server.port,
        'PING\r\nSET tel:k "a b"\r\nGET tel:k\nSET tel:e "x\\x41\\n\\t"\nGET tel:e\r\n\r\n\nECHO \'it\'\r\n   PING    hello  \r\nQUIT\r\n',
      );
      assert.equal(received, "+PONG\r\n+OK\r\n$3\r\na b\r\n+OK\r\n$4\r\nxA\n\t\r\n$2\r\nit\r\n$5\r\nhello\r\n+OK\r\n");
    });

    test("an inline command with unbalanced quotes gets Redis's protocol error and the connection closes", async () => {
      const { received, closedByServer } = await telnet(server.port, 'PING\r\nSET "unbalanced\r\nPING\r\n');
      assert.equal(received, "+PONG\r\n-ERR Protocol error: unbalanced quotes in request\r\n");
      assert.ok(closedByServer);
    });

    test("an interactive session on a terminal: prompt, typed commands, formatted replies, SELECT in the prompt", {
      skip: HAS_SCRIPT ? false : "util-linux `script` is not installed",
    }, async () => {
      const cli = InteractiveCli.start(server.port);
      try {
        const prompt = `127.0.0.1:${server.port}> `;
        await cli.expectLine(prompt);
        cli.type('SET it:k "a b"');
        await cli.expectLine("OK");
        cli.type("GET it:k");
        await cli.expectLine('"a b"');
        cli.type("INCR it:n");
        await cli.expectLine("(integer) 1");
        cli.type("GET it:missing");
        await cli.expectLine("(nil)");
        cli.type("INCR it:k");
        await cli.expectLine("(error) ERR value is not an integer or out of range");
        cli.type("SELECT 2");
        await cli.expectLine(`127.0.0.1:${server.port}[2]> `);
        cli.type("GET it:k");
        await cli.expectLine("(nil)");
        cli.type("HELLO 3");
        await cli.expectLine('3# "proto" => (integer) 3');
        cli.type("QUIT");
      } finally {
        assert.equal(await cli.end(), 0);
      }
    });
  });
}

describe("redis-cli against materia serve with MATERIA_PASSWORD=secret", { skip: HAS_REDIS_CLI ? false : "redis-cli is not installed" }, () => {
  let server: ServerProcess;
  before(async () => {
    server = await spawnServer(["--engine", "memory"], { env: { MATERIA_PASSWORD: "secret" } });
  });
  after(async () => {
    await signalServer(server, "SIGTERM");
  });

  test("-a authenticates; without it commands get NOAUTH; a wrong one is WRONGPASS", async () => {
    assert.equal((await redisCli(server.port, ["-a", "secret", "--no-auth-warning", "SET", "pw:k", "v"])).stdout, "OK\n");
    assert.equal((await redisCli(server.port, ["--user", "anyone", "-a", "secret", "--no-auth-warning", "GET", "pw:k"])).stdout, "v\n");
    assert.equal((await redisCli(server.port, ["GET", "pw:k"])).stdout, "NOAUTH Authentication required.\n\n");
    const wrong = await redisCli(server.port, ["-a", "nope", "--no-auth-warning", "GET", "pw:k"]);
    assert.match(wrong.stdout + wrong.stderr, /WRONGPASS invalid username-password pair or user is disabled\./);
  });

  test("-3 with -a sends HELLO 3 AUTH", async () => {
    const { stdout } = await redisCli(server.port, ["-3", "-a", "secret", "--no-auth-warning", "--no-raw", "GET", "pw:missing"]);
    assert.equal(stdout, "(nil)\n");
  });
});
