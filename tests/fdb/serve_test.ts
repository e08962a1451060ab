// `materia serve --engine fdb` as a process, from source and as the compiled
// binary: it serves over the test double and stops its network cleanly on
// SIGTERM; with no client library, no cluster file, or a cluster that does not
// answer, it exits within a few seconds saying which and how to fix it.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RawClient } from "../support/raw_client.ts";
import { materiaCommand, projectRoot } from "../support/runtime.ts";
import { cleanEnv, signalServer, startMateria, TempDirs } from "../support/processes.ts";
import { fdbSkipReason, realCluster, testClusterFile, testLibraryPath } from "./support.ts";

const skip = (await fdbSkipReason()) ?? (realCluster ? "runs over the test double only" : undefined);
const dirs = new TempDirs();
after(() => dirs.removeAll());

interface Exit {
  readonly code: number | string;
  readonly output: string;
  readonly ms: number;
}

/** Runs `command` until it exits (killed after 15 s), with exactly `env`, in `cwd`. */
function runToExit(command: readonly string[], options: { env: Record<string, string>; cwd?: string }): Promise<Exit> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), { env: options.env, cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: signal ?? code ?? -1, output, ms: performance.now() - started });
    });
  });
}

/** The environment of a child that must find neither a cluster file nor a library by accident. */
function fdbEnv(extra: Record<string, string>): Record<string, string> {
  const env = cleanEnv(extra);
  if (extra.FDB_CLUSTER_FILE === undefined) delete env.FDB_CLUSTER_FILE;
  return env;
}

async function smoke(port: number): Promise<void> {
  const client = await RawClient.connect(port);
  try {
    assert.equal(await client.call("SET", "greeting", "hello"), "+OK\r\n");
    assert.equal(await client.call("GET", "greeting"), "$5\r\nhello\r\n");
    assert.equal(await client.call("INCR", "n"), ":1\r\n");
    assert.equal(await client.call("RPUSH", "l", "a", "b"), ":2\r\n");
  } finally {
    client.close();
  }
}

describe("materia serve --engine fdb", { skip }, () => {
  test("serves over the test double and exits 0 on SIGTERM", async () => {
    const server = await startMateria(
      ["serve", "--host", "127.0.0.1", "--port", "0", "--no-auth", "--engine", "fdb", "--fdb-cluster-file", testClusterFile()],
      { env: fdbEnv({ FDB_LIBRARY_PATH: testLibraryPath() }) },
    );
    assert.match(server.output(), /fdb engine, cluster file/);
    await smoke(server.port);
    assert.equal(await signalServer(server, "SIGTERM"), 0, server.output());
  });

  test("the compiled binary bundles the FDB adapter and serves over the double", { timeout: 60_000 }, async () => {
    const out = join(dirs.make("fdb-binary"), "materia");
    const build = await runToExit(
      [join(projectRoot, "node_modules/.bin/bun"), "build", "--compile", "--minify-syntax", join(projectRoot, "src/adapter/bun/main.ts"), "--outfile", out],
      { env: cleanEnv() },
    );
    assert.equal(build.code, 0, build.output);
    // From another directory, so nothing can be read from the source tree.
    const child = spawn(out, ["serve", "--host", "127.0.0.1", "--port", "0", "--no-auth", "--engine", "fdb", "--fdb-cluster-file", testClusterFile()], {
      env: fdbEnv({ FDB_LIBRARY_PATH: testLibraryPath() }),
      cwd: dirs.make("fdb-binary-cwd"),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const exited = new Promise<number | string>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code ?? -1)));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ready line; output:\n${output}`)), 20_000);
        const seen = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /ready on [^\s]+:(\d+)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(Number(match[1]));
          }
        };
        child.stdout!.on("data", seen);
        child.stderr!.on("data", seen);
        void exited.then((code) => reject(new Error(`exited (${code}) before ready; output:\n${output}`)));
      });
      await smoke(port);
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, "SIGTERM");
    }
    assert.equal(await exited, 0, output);
  });

  test("without libfdb_c it exits at once, naming the library and how to install it", async () => {
    const exit = await runToExit(materiaCommand(["serve", "--port", "0", "--no-auth", "--engine", "fdb", "--fdb-cluster-file", testClusterFile()]), {
      env: fdbEnv({ FDB_LIBRARY_PATH: "/nonexistent/libfdb_c.so" }),
    });
    assert.equal(exit.code, 1, exit.output);
    assert.ok(exit.ms < 10_000, `took ${exit.ms} ms`);
    assert.match(exit.output, /cannot load the FoundationDB client library \/nonexistent\/libfdb_c\.so/);
    assert.match(exit.output, /install the FoundationDB client package/);
    assert.match(exit.output, /FDB_LIBRARY_PATH/);
  });

  test("with a cluster file that does not exist it exits, naming the file and the flag", async () => {
    const exit = await runToExit(materiaCommand(["serve", "--port", "0", "--no-auth", "--engine", "fdb", "--fdb-cluster-file", "/nonexistent/fdb.cluster"]), {
      env: fdbEnv({ FDB_LIBRARY_PATH: testLibraryPath() }),
    });
    assert.equal(exit.code, 1, exit.output);
    assert.match(exit.output, /cluster file \/nonexistent\/fdb\.cluster does not exist/);
    assert.match(exit.output, /--fdb-cluster-file/);
  });

  test("with a malformed cluster file it exits, naming the file and the expected format", async () => {
    const file = join(dirs.make("fdb-bad-cluster"), "fdb.cluster");
    writeFileSync(file, "not a cluster file\n");
    const exit = await runToExit(materiaCommand(["serve", "--port", "0", "--no-auth", "--engine", "fdb", "--fdb-cluster-file", file]), {
      env: fdbEnv({ FDB_LIBRARY_PATH: testLibraryPath(), FDB_SIM_STRICT_CLUSTER_FILE: "1" }),
    });
    assert.equal(exit.code, 1, exit.output);
    assert.match(exit.output, /cannot open the FoundationDB cluster file .*FoundationDB error 2104/);
    assert.match(exit.output, /description:id@host:port/);
  });

  test("with no cluster file anywhere it exits, listing where it looked", { skip: existsSync("/etc/foundationdb/fdb.cluster") ? "this machine has /etc/foundationdb/fdb.cluster" : undefined }, async () => {
    const exit = await runToExit(materiaCommand(["serve", "--port", "0", "--no-auth", "--engine", "fdb"]), {
      env: fdbEnv({ FDB_LIBRARY_PATH: testLibraryPath() }),
      cwd: dirs.make("fdb-no-cluster"),
    });
    assert.equal(exit.code, 1, exit.output);
    assert.match(exit.output, /no FoundationDB cluster file found \(looked for \.\/fdb\.cluster and \/etc\/foundationdb\/fdb\.cluster\)/);
    assert.match(exit.output, /--fdb-cluster-file \(or FDB_CLUSTER_FILE\)/);
  });

  test("with a cluster that does not answer it exits within a few seconds, saying so", async () => {
    const exit = await runToExit(materiaCommand(["serve", "--port", "0", "--no-auth", "--engine", "fdb", "--fdb-cluster-file", testClusterFile()]), {
      env: fdbEnv({ FDB_LIBRARY_PATH: testLibraryPath(), FDB_SIM_UNREACHABLE: "1" }),
    });
    assert.equal(exit.code, 1, exit.output);
    assert.ok(exit.ms < 10_000, `took ${exit.ms} ms`);
    assert.match(exit.output, /cannot reach the FoundationDB cluster/);
    assert.match(exit.output, /check that the cluster is running/);
  });
});
