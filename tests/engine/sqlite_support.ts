// The SQLite driver of the runtime running the tests, and temporary data
// directories that tests remove afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OpenSqlite } from "../../src/engine/sqlite/driver.ts";

export const isBun = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined";
export const isDeno = "Deno" in globalThis;

export async function runtimeDriver(): Promise<OpenSqlite> {
  if (isBun) return (await import("../../src/adapter/bun/sqlite_driver.ts")).openSqlite;
  return (await import("../../src/adapter/deno/sqlite_driver.ts")).openSqlite;
}

/** argv prefix that runs a TypeScript file on the current runtime. */
export function runtimeCommand(script: string): string[] {
  if (isBun) return [process.execPath, script];
  const deno = (globalThis as unknown as { Deno: { execPath(): string } }).Deno.execPath();
  return [deno, "run", "-A", script];
}

export class TempDirs {
  private readonly made: string[] = [];

  make(label = "engine"): string {
    const dir = mkdtempSync(join(tmpdir(), `materia-${label}-`));
    this.made.push(dir);
    return dir;
  }

  removeAll(): void {
    for (const dir of this.made.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}
