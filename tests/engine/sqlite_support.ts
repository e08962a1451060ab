// The SQLite driver of the runtime running the tests, and temporary data
// directories that tests remove afterwards.
import type { OpenSqlite } from "../../src/engine/sqlite/driver.ts";
import { isBun, runtimeOpenSqlite } from "../support/runtime.ts";

export { isBun };
export const isDeno = "Deno" in globalThis;

export function runtimeDriver(): Promise<OpenSqlite> {
  return runtimeOpenSqlite();
}

export { runtimeCommand } from "../support/runtime.ts";
export { TempDirs } from "../support/processes.ts";
