// The servers a benchmark compares: redis-server and materia processes on
// free loopback ports, each in its own temporary directory, with their
// resident memory read from /proc. Nothing here installs anything: a missing
// program is named with the Debian package that provides it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type EngineName = "memory" | "sqlite";

export interface ServerSpec {
  /** Short id used in the JSON ("materia-memory", "redis-aof-always"). */
  readonly id: string;
  readonly product: "materia" | "redis";
  /** Materia's engine. */
  readonly engine?: EngineName;
  /** redis-server options after --port/--bind/--dir. */
  readonly redisOptions?: readonly string[];
  /** Clients must authenticate: Materia with a Biscuit token, Redis with requirepass. */
  readonly auth?: boolean;
}

export interface HowToRunMateria {
  /** The command before `serve`: [bun, main.ts] or [dist/materia]. */
  readonly command: readonly string[];
}

const REDIS_PASSWORD = "bench-password";

/** A started server. `secret` is what redis-benchmark passes with -a, if anything. */
export class RunningServer {
  private exitNote: string | undefined;
  private output = "";

  constructor(
    readonly spec: ServerSpec,
    readonly child: ChildProcess,
    readonly port: number,
    readonly dir: string,
    public secret: string | undefined,
  ) {
    const keep = (chunk: Buffer): void => {
      // Only the tail matters, for error messages.
      this.output = (this.output + chunk.toString()).slice(-4000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    child.once("exit", (code, signal) => {
      this.exitNote = `exited with ${signal ?? code}`;
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Why the server is gone, or undefined while it runs. */
  get exited(): string | undefined {
    return this.exitNote;
  }

  get recentOutput(): string {
    return this.output.trim();
  }

  /** Resident set size in bytes (VmRSS), or NaN once the process is gone. */
  rssBytes(): number {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, "utf8");
      const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
      return match ? Number(match[1]) * 1024 : NaN;
    } catch {
      return NaN;
    }
  }

  /** Bytes of files in the server's directory (the sqlite file and WAL, the AOF). */
  diskBytes(): number {
    return directoryBytes(this.dir);
  }

  async stop(): Promise<void> {
    if (this.exitNote === undefined) {
      const gone = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
      this.child.kill("SIGKILL");
      await gone;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function directoryBytes(dir: string): number {
  let total = 0;
  if (!existsSync(dir)) return 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    total += stat.isDirectory() ? directoryBytes(path) : stat.size;
  }
  return total;
}

/** A port that was free a moment ago. */
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

/** Resolves once something on `port` answers an inline PING with any reply line (+PONG or -NOAUTH). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let text = "";
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes("\r\n")) done(text.startsWith("+") || text.startsWith("-"));
    });
  });
}

async function waitUntilServing(server: RunningServer, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exited !== undefined) {
      throw new Error(`${server.spec.id} ${server.exited} before answering PING:\n${server.recentOutput}`);
    }
    if (await answersPing(server.port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${server.spec.id} did not answer PING on port ${server.port} within ${timeoutMs} ms:\n${server.recentOutput}`);
}

/** The environment without MATERIA_* variables from the caller's shell, which would change what is measured. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith("MATERIA_")) env[name] = value;
  }
  return env;
}

export class SkipSide extends Error {
  override readonly name = "SkipSide";
}

export async function startServer(spec: ServerSpec, materia: HowToRunMateria): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), `materia-bench-${spec.id}-`));
  try {
    return spec.product === "redis" ? await startRedis(spec, dir) : await startMateria(spec, materia, dir);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function startRedis(spec: ServerSpec, dir: string): Promise<RunningServer> {
  const port = await freePort();
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--daemonize", "no", ...(spec.redisOptions ?? [])];
  if (spec.auth) args.push("--requirepass", REDIS_PASSWORD);
  const child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
  const server = new RunningServer(spec, child, port, dir, spec.auth ? REDIS_PASSWORD : undefined);
  await waitUntilServing(server, 10_000);
  return server;
}

async function startMateria(spec: ServerSpec, materia: HowToRunMateria, dir: string): Promise<RunningServer> {
  const port = await freePort();
  const [program, ...prefix] = materia.command;
  const args = [...prefix, "serve", "--engine", spec.engine ?? "memory", "--data", dir, "--host", "127.0.0.1", "--port", String(port)];
  if (!spec.auth) args.push("--no-auth");
  // The per-tenant storage quota (128 MB by default) would refuse the million keys: Redis has none here either.
  if (servesWithQuota(materia)) args.push("--quota-storage", "1024gb");
  const child = spawn(program!, args, { stdio: ["ignore", "pipe", "pipe"], env: cleanEnv() });
  const server = new RunningServer(spec, child, port, dir, undefined);
  try {
    await waitUntilServing(server, 20_000);
    if (spec.auth) server.secret = createToken(materia, dir);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

const quotaOption = new Map<string, boolean>();

/** Whether this materia has --quota-storage (older checkouts, compared with --source, do not). */
function servesWithQuota(materia: HowToRunMateria): boolean {
  const key = materia.command.join(" ");
  let known = quotaOption.get(key);
  if (known === undefined) {
    const [program, ...prefix] = materia.command;
    const help = spawnSync(program!, [...prefix, "serve", "--help"], { encoding: "utf8", env: cleanEnv(), timeout: 30_000 });
    known = `${help.stdout ?? ""}${help.stderr ?? ""}`.includes("--quota-storage");
    quotaOption.set(key, known);
  }
  return known;
}

/**
 * `materia token create --data DIR --tenant bench` prints a token alone on
 * stdout; the server created the root key in DIR when it started.
 */
function createToken(materia: HowToRunMateria, dir: string): string {
  const [program, ...prefix] = materia.command;
  const result = spawnSync(program!, [...prefix, "token", "create", "--data", dir, "--tenant", "bench"], {
    encoding: "utf8",
    env: cleanEnv(),
    timeout: 30_000,
  });
  const token = (result.stdout ?? "").trim();
  if (result.status !== 0 || token === "" || /\s/.test(token)) {
    const why = (result.stderr ?? "").trim().split("\n")[0] || `exit status ${result.status}`;
    throw new SkipSide(`'materia token create' did not print a token (${why}); auth runs skipped`);
  }
  return token;
}

/** Debian packages of the programs the benchmark needs that are missing, with what each provides. */
export function missingPrograms(materia: HowToRunMateria): string[] {
  const missing: string[] = [];
  const runs = (program: string, args: string[]): boolean => {
    const result = spawnSync(program, args, { stdio: "ignore", timeout: 10_000 });
    return result.error === undefined && result.status === 0;
  };
  if (!runs("redis-server", ["--version"])) missing.push("redis-server (Debian package 'redis-server')");
  if (!runs("redis-benchmark", ["--version"])) missing.push("redis-benchmark (Debian package 'redis-tools')");
  if (!runs("redis-cli", ["--version"])) missing.push("redis-cli (Debian package 'redis-tools')");
  const [program, ...prefix] = materia.command;
  if (!runs(program!, [...prefix, "--version"])) missing.push(`materia (${materia.command.join(" ")} --version failed)`);
  return missing;
}

/** `redis-server --version`'s "v=7.0.15", for the results file. */
export function versionOf(program: string, args: string[] = ["--version"]): string {
  const result = spawnSync(program, args, { encoding: "utf8", timeout: 10_000 });
  return (result.stdout ?? "").trim().split("\n")[0] ?? "";
}
