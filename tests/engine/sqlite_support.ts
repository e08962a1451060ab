// The SQLite driver of the runtime running the tests, and temporary data
// directories that tests remove afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OpenSqlite } from "../../src/engine/sqlite/driver.ts";

import { isBun, runtimeOpenSqlite } from "../support/runtime.ts";

export { isBun };
export const isDeno = "Deno" in globalThis;

export function runtimeDriver(): Promise<OpenSqlite> {
  return runtimeOpenSqlite();
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
