// Starting Materia for tests: in-process (fast, any engine) or as a real
// process from source (for signals, restarts and CLI behaviour). Every
// server listens on 127.0.0.1 on a port chosen at run time.
import { spawn, type ChildProcess } from "node:child_process";
import { openAccess } from "../../src/auth/static_password.ts";
import type { Authenticator } from "../../src/commands/spec.ts";
import type { Engine } from "../../src/engine/contract.ts";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { MateriaServer } from "../../src/server/server.ts";
import { materiaCommand, runtimeListen } from "./runtime.ts";

export interface RunningServer {
  readonly port: number;
  readonly server: MateriaServer;
  stop(): Promise<void>;
}

/**
 * The engine tests use when they name none: memory, or FoundationDB (the C
 * test double, or the cluster of FDB_CLUSTER_FILE) when MATERIA_TEST_ENGINE=fdb,
 * as `npm run test:fdb-sim` sets.
 */
export async function defaultTestEngine(): Promise<Engine> {
  if (process.env.MATERIA_TEST_ENGINE === "fdb") return (await import("../fdb/support.ts")).openTestFdbEngine();
  return new MemoryEngine();
}

/** The name of defaultTestEngine's engine, for test titles. */
export const defaultTestEngineName = process.env.MATERIA_TEST_ENGINE === "fdb" ? "fdb" : "memory";

export async function startInProcess(
  options: { engine?: Engine; auth?: Authenticator; maxClients?: number; storageQuotaBytes?: number; clock?: () => number } = {},
): Promise<RunningServer> {
  const server = new MateriaServer({
    engine: options.engine ?? (await defaultTestEngine()),
    auth: options.auth ?? openAccess(),
    version: "test",
    dataDirectory: "",
    maxClients: options.maxClients,
    storageQuotaBytes: options.storageQuotaBytes,
    clock: options.clock,
  });
  const listener = await server.listen(await runtimeListen(), { host: "127.0.0.1", port: 0 });
  return { port: listener.port, server, stop: () => server.shutdown({ timeoutMs: 2_000 }) };
}

export interface ServerProcess {
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): Promise<number | string>;
}

/** Spawns `materia serve --host 127.0.0.1 --port 0 ARGS` from source and waits for its ready line. */
export function spawnServer(args: readonly string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<ServerProcess> {
  return startMateria(["serve", "--host", "127.0.0.1", "--port", "0", ...args], options);
}

/** The environment of tests without any MATERIA_* variable the caller's shell may have set. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith("MATERIA_")) env[name] = value;
  }
  // Servers spawned by tests run without auth unless the test configures it:
  // token auth (the default) would create a root key in the test's data directory.
  const configuresAuth = ["MATERIA_AUTH", "MATERIA_PASSWORD", "MATERIA_ROOT_KEY", "MATERIA_ROOT_KEY_FILE"].some((name) => name in extra);
  return { ...(configuresAuth ? {} : { MATERIA_AUTH: "off" }), ...env, ...extra };
}

/**
 * Spawns `materia ARGS` exactly as given, with a clean environment plus
 * `env`, and waits for its ready line. For tests of how flags and
 * environment variables configure it.
 */
export function startMateria(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<ServerProcess> {
  const [command, ...rest] = materiaCommand(args);
  const child = spawn(command!, rest, { env: cleanEnv(options.env), cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise<number | string>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code ?? -1)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`materia did not print its ready line in time; output:\n${output}`));
    }, options.timeoutMs ?? 20_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready on [^\s]+:(\d+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        port: Number(match[1]),
        child,
        output: () => output,
        exited,
        kill(signal) {
          // process.kill, not child.kill: under Deno, child.kill reports the signal even when the child exited 0.
          if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, signal);
          return exited;
        },
      });
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`materia exited (${code}) before it was ready; output:\n${output}`));
    });
  });
}
