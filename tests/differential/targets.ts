// The servers a differential suite compares, started before its tests and
// stopped after them: redis-server when one can run here, and Materia on the
// default test engine and on SQLite. Shared by the one-connection cases
// (suite.ts) and the several-client scenarios (scenario_suite.ts).
import { after, before } from "node:test";
import { SqliteEngine } from "../../src/engine/sqlite/engine.ts";
import { TempDirs } from "../engine/sqlite_support.ts";
import { startRedis, type RedisProcess } from "../support/redis_server.ts";
import { runtimeOpenSqlite } from "../support/runtime.ts";
import { defaultTestEngineName, startInProcess, type RunningServer } from "../support/servers.ts";

export interface DifferentialTargets {
  /** The live redis-server, or undefined when the recording is the reference. */
  redis(): RedisProcess | undefined;
  /** Materia's servers by engine name, each read once the suite has started. */
  readonly materia: readonly (readonly [engineName: string, server: () => RunningServer])[];
}

/** Registers, in the enclosing describe, the start and stop of the servers; `label` names the SQLite directory. */
export function differentialTargets(label: string, live: boolean): DifferentialTargets {
  const dirs = new TempDirs();
  let redis: RedisProcess | undefined;
  let memory: RunningServer | undefined;
  let sqlite: RunningServer | undefined;
  before(async () => {
    if (live) redis = await startRedis();
    memory = await startInProcess();
    const engine = await SqliteEngine.open(dirs.make(label), { openDriver: await runtimeOpenSqlite() });
    sqlite = await startInProcess({ engine });
  });
  after(async () => {
    await redis?.stop();
    await memory?.stop();
    await sqlite?.stop();
    dirs.removeAll();
  });
  return { redis: () => redis, materia: [[defaultTestEngineName, () => memory!], ["sqlite", () => sqlite!]] };
}
