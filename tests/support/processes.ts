// Processes in tests: running the `materia` CLI from source and external
// tools (redis-cli) to completion, starting `materia serve` with exact flags
// and environment, signalling it, temporary data directories, and the servers
// the client suites run against (TARGETS).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { materiaCommand } from "./runtime.ts";
import { cleanEnv, spawnServer, startInProcess, startMateria, type ServerProcess } from "./servers.ts";

export { cleanEnv, startMateria };

export interface Finished {
  /** Exit code, or the signal's name when a signal ended the program. */
  readonly code: number | string;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `command args` to completion, feeding `input` on stdin, and kills it
 * with SIGKILL after `timeoutMs` (the result then says so in `code`).
 */
export function run(
  command: string,
  args: readonly string[],
  options: { input?: string | Uint8Array; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? cleanEnv(), stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 20_000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: signal ?? code ?? -1, stdout, stderr });
    });
    child.stdin!.on("error", () => {});
    if (options.input !== undefined) child.stdin!.write(options.input);
    child.stdin!.end();
  });
}

/** Runs `materia ARGS` from source on the current runtime with a clean environment plus `env`. */
export function runMateria(args: readonly string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<Finished> {
  const [command, ...rest] = materiaCommand(args);
  return run(command!, rest, { env: cleanEnv(options.env), timeoutMs: options.timeoutMs });
}

/** True when `program` is on the PATH. */
export function hasProgram(program: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${program}`]).status === 0;
}

/** Temporary directories, removed together by `removeAll`. */
export class TempDirs {
  private readonly made: string[] = [];

  make(label = "data"): string {
    const dir = mkdtempSync(join(tmpdir(), `materia-${label}-`));
    this.made.push(dir);
    return dir;
  }

  removeAll(): void {
    for (const dir of this.made.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}


/**
 * Sends `signal` to a spawned server and resolves with its exit code (or the
 * signal's name when the signal killed it). Unlike `ServerProcess.kill`, this
 * reports the real exit status under Deno too: Deno's node:child_process
 * reports any child stopped through `child.kill()` as ended by that signal,
 * even when it handled the signal and exited 0.
 */
export function signalServer(server: ServerProcess, signal: NodeJS.Signals): Promise<number | string> {
  if (server.child.exitCode === null && server.child.signalCode === null) process.kill(server.child.pid!, signal);
  return server.exited;
}

/** A server the integration suites run against, and how to stop it and remove what it made. */
export interface TargetServer {
  readonly port: number;
  stop(): Promise<void>;
}

export interface Target {
  readonly name: string;
  start(): Promise<TargetServer>;
}

/**
 * The servers every client suite runs against: the in-process server on the
 * memory engine, and `materia serve --engine sqlite` spawned from source on a
 * fresh data directory.
 */
export const TARGETS: readonly Target[] = [
  {
    name: "in-process server (memory engine)",
    async start() {
      const running = await startInProcess();
      return { port: running.port, stop: () => running.stop() };
    },
  },
  {
    name: "materia serve --engine sqlite",
    async start() {
      const dirs = new TempDirs();
      const child = await spawnServer(["--engine", "sqlite", "--data", dirs.make("sqlite")]);
      return {
        port: child.port,
        async stop() {
          const code = await signalServer(child, "SIGTERM");
          dirs.removeAll();
          if (code !== 0) throw new Error(`materia exited with ${code} on SIGTERM; output:\n${child.output()}`);
        },
      };
    },
  },
];
