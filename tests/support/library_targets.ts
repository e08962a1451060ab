// The servers the real-library suites (redlock, BullMQ: tests/integration/)
// run against. MATERIA_TEST_LIBRARY_TARGET picks them: `materia` (the default:
// Materia in process on the default test engine), `redis` (a redis-server
// started for the suite, to check the test itself against the reference),
// or `both`. An unknown value fails loudly rather than testing nothing.
// A suite may ask for Materia on SQLite too, beside the default engine.
import process from "node:process";
import { SqliteEngine } from "../../src/engine/sqlite/engine.ts";
import { TempDirs } from "./processes.ts";
import { startRedis } from "./redis_server.ts";
import { runtimeOpenSqlite } from "./runtime.ts";
import { defaultTestEngineName, startInProcess } from "./servers.ts";

export interface LibraryTarget {
  readonly name: string;
  start(): Promise<{ readonly port: number; stop(): Promise<void> }>;
}

const MATERIA: LibraryTarget = {
  name: `Materia (in process, ${defaultTestEngineName} engine)`,
  async start() {
    const running = await startInProcess();
    return { port: running.port, stop: () => running.stop() };
  },
};

const MATERIA_SQLITE: LibraryTarget = {
  name: "Materia (in process, sqlite engine)",
  async start() {
    const dirs = new TempDirs();
    const engine = await SqliteEngine.open(dirs.make("library-target"), { openDriver: await runtimeOpenSqlite() });
    const running = await startInProcess({ engine });
    return {
      port: running.port,
      stop: async () => {
        await running.stop();
        dirs.removeAll();
      },
    };
  },
};

const REDIS: LibraryTarget = {
  name: "redis-server",
  start: () => startRedis(),
};

/**
 * The targets named by MATERIA_TEST_LIBRARY_TARGET (materia | redis | both;
 * default materia). With `sqlite`, Materia also runs on SQLite, except when
 * the default engine is FoundationDB (npm run test:fdb-sim runs the suites again for it).
 */
export function libraryTargets(options: { readonly sqlite?: boolean } = {}): readonly LibraryTarget[] {
  const chosen = (process.env.MATERIA_TEST_LIBRARY_TARGET ?? "materia").toLowerCase();
  const materia = options.sqlite === true && defaultTestEngineName !== "fdb" ? [MATERIA, MATERIA_SQLITE] : [MATERIA];
  switch (chosen) {
    case "materia":
      return materia;
    case "redis":
      return [REDIS];
    case "both":
      return [...materia, REDIS];
    default:
      throw new Error(`MATERIA_TEST_LIBRARY_TARGET=${chosen}: expected materia, redis or both`);
  }
}
