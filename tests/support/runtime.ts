// What tests need from the runtime they run on: the listener and the SQLite
// driver of that runtime's adapter, and how to spawn the CLI from source.
import type { SqliteDriver } from "../../src/engine/sqlite/driver.ts";
import type { Listen } from "../../src/server/transport.ts";

export const isBun = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined";
export const runtimeName = isBun ? "bun" : "deno";

// Adapters are imported through variables: tsc (Bun's types) must not follow
// the Deno side and deno check (Deno's types) must not follow the Bun side.
// Each is type-checked on its own: tsc covers src/adapter/bun, `deno check`
// covers src/adapter/deno/main.ts.
const DENO_ADAPTER = "../../src/adapter/deno/";
const BUN_ADAPTER = "../../src/adapter/bun/";

export async function runtimeListen(): Promise<Listen> {
  if (isBun) return (await import(`${BUN_ADAPTER}listener.ts`)).bunListen as Listen;
  return (await import(`${DENO_ADAPTER}listener.ts`)).denoListen as Listen;
}

export async function runtimeOpenSqlite(): Promise<(path: string) => SqliteDriver> {
  if (isBun) return (await import(`${BUN_ADAPTER}sqlite_driver.ts`)).openSqlite as (path: string) => SqliteDriver;
  return (await import(`${DENO_ADAPTER}sqlite_driver.ts`)).openSqlite as (path: string) => SqliteDriver;
}

const root = new URL("../../", import.meta.url).pathname;

/** argv prefix that runs a TypeScript file on the current runtime. */
export function runtimeCommand(script: string): string[] {
  if (isBun) return [process.execPath, script];
  const deno = (globalThis as unknown as { Deno: { execPath(): string } }).Deno.execPath();
  return [deno, "run", "-A", script];
}

/** argv that runs `materia ARGS` from source on the current runtime. */
export function materiaCommand(args: readonly string[]): string[] {
  return [...runtimeCommand(`${root}src/adapter/${isBun ? "bun" : "deno"}/main.ts`), ...args];
}

export const projectRoot = root;
