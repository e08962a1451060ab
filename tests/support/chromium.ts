// What the headless GUI test needs besides Materia: a free loopback port,
// redis-commander run by Node (it is a Node application, and is tested as
// users run it), and Debian's chromium driven by playwright-core on a fresh,
// empty profile.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { cleanEnv } from "./servers.ts";
import { projectRoot } from "./runtime.ts";

export const CHROMIUM_PATH = "/usr/bin/chromium";
export const REDIS_COMMANDER_CLI = `${projectRoot}node_modules/redis-commander/bin/redis-commander.js`;

/** Why the GUI test cannot run on this machine, or false when it can. */
export function guiSkipReason(): string | false {
  if (!existsSync(CHROMIUM_PATH)) return `${CHROMIUM_PATH} is not installed (apt-get install chromium)`;
  if (!existsSync(REDIS_COMMANDER_CLI)) return "redis-commander is not installed (npm ci)";
  return false;
}

/** A port nothing listens on right now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface RedisCommander {
  readonly url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts redis-commander with `node` on 127.0.0.1, connected to one Redis
 * server given on the command line, and waits until its HTTP port answers.
 * Its configuration directory is a temporary one so nothing is saved in the
 * user's home.
 */
export async function startRedisCommander(redis: { port: number; password?: string }, options: { timeoutMs?: number } = {}): Promise<RedisCommander> {
  const port = await freePort();
  const configDir = mkdtempSync(join(tmpdir(), "materia-redis-commander-"));
  const args = [
    REDIS_COMMANDER_CLI,
    "--redis-host", "127.0.0.1",
    "--redis-port", String(redis.port),
    "--address", "127.0.0.1",
    "--port", String(port),
    "--noload",
    "--nosave",
    "--no-log-data",
  ];
  if (redis.password !== undefined) args.push("--redis-password", redis.password);
  const child: ChildProcess = spawn("node", args, {
    env: cleanEnv({ NODE_ENV: "test", HOME: configDir, NODE_CONFIG_DIR: `${projectRoot}node_modules/redis-commander/config` }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, "SIGTERM");
    const timer = setTimeout(() => child.exitCode === null && process.kill(child.pid!, "SIGKILL"), 3_000);
    await exited;
    clearTimeout(timer);
    rmSync(configDir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    try {
      const response = await fetch(url);
      await response.body?.cancel();
      if (response.ok) return { url, output: () => output, stop };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`redis-commander did not answer on ${url}; output:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Launches headless chromium on a new, empty profile directory (removed by `close`). */
export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "materia-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    timeout: 15_000,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
