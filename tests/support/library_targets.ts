// The servers the real-library suites (redlock, BullMQ: tests/integration/)
// run against. MATERIA_TEST_LIBRARY_TARGET picks them: `materia` (the default:
// Materia in process on the default test engine), `redis` (a redis-server
// started for the suite, to check the test itself against the reference),
// or `both`. An unknown value fails loudly rather than testing nothing.
import process from "node:process";
import { startRedis } from "./redis_server.ts";
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

const REDIS: LibraryTarget = {
  name: "redis-server",
  start: () => startRedis(),
};

/** The targets named by MATERIA_TEST_LIBRARY_TARGET (materia | redis | both; default materia). */
export function libraryTargets(): readonly LibraryTarget[] {
  const chosen = (process.env.MATERIA_TEST_LIBRARY_TARGET ?? "materia").toLowerCase();
  switch (chosen) {
    case "materia":
      return [MATERIA];
    case "redis":
      return [REDIS];
    case "both":
      return [MATERIA, REDIS];
    default:
      throw new Error(`MATERIA_TEST_LIBRARY_TARGET=${chosen}: expected materia, redis or both`);
  }
}
