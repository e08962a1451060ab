// Starting a real redis-server for differential tests: on a free port of
// 127.0.0.1, without persistence, stopped by the test's after hook.
// MATERIA_TEST_REDIS_SERVER picks the binary: a path, or `none` to act as if
// redis-server were not installed (the differential test then replays
// tests/differential/recorded/; the model-based test skips its Redis part).
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import process from "node:process";
import { RawClient } from "./raw_client.ts";

export interface RedisProcess {
  readonly port: number;
  stop(): Promise<void>;
}

/** A port that was free a moment ago: bind 127.0.0.1:0, read the port, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The redis-server binary to run: MATERIA_TEST_REDIS_SERVER, or `redis-server` from PATH. */
function defaultBinary(): string {
  return process.env.MATERIA_TEST_REDIS_SERVER || "redis-server";
}

/** Whether a `redis-server` binary can be run (false when MATERIA_TEST_REDIS_SERVER=none). */
export function redisServerAvailable(binary = defaultBinary()): Promise<boolean> {
  if (binary === "none") return Promise.resolve(false);
  return new Promise((resolve) => {
    const child = spawn(binary, ["--version"], { stdio: "ignore" });
    child.once("error", () => resolve(false));
    child.once("exit", (code) => resolve(code === 0));
  });
}

/** Spawns redis-server and resolves once it answers PING. */
export async function startRedis(options: { binary?: string; timeoutMs?: number; args?: readonly string[] } = {}): Promise<RedisProcess> {
  const port = await freePort();
  const child = spawn(options.binary ?? defaultBinary(), [
    "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", ...(options.args ?? []),
  ], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  let exitCode: number | string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exitCode = signal ?? code ?? -1;
      resolve();
    });
  });
  const stop = async () => {
    if (exitCode === undefined) {
      child.kill("SIGKILL");
      await exited;
    }
  };

  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  while (true) {
    if (exitCode !== undefined) throw new Error(`redis-server exited (${exitCode}) before answering PING; output:\n${output}`);
    try {
      const client = await RawClient.connect(port);
      try {
        if ((await client.call("PING")) === "+PONG\r\n") return { port, stop };
      } finally {
        client.close();
      }
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not answer PING on port ${port} in time; output:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
