// Records redis-server's replies to every differential case (and its
// COMMAND INFO metadata) into tests/differential/recorded/redis-<version>.json,
// so the differential cases (tests/commands/<family>_cases.ts and
// tests/differential/protocol_cases.ts) and the multi-client scenarios (a
// family's SCENARIOS) run without redis-server. The cases run through the same
// code as the live tests (tests/differential/observe.ts, scenario.ts).
// Usage: bun scripts/record_differential.ts   (redis-server on PATH, or MATERIA_TEST_REDIS_SERVER=/path/to/redis-server)
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { startRedis } from "../tests/support/redis_server.ts";
import { ALL_CASES, ALL_METADATA_COMMANDS, ALL_SCENARIOS } from "../tests/differential/all_cases.ts";
import { runScenario, scenarioKey } from "../tests/differential/scenario.ts";
import { commandInfo, runCase, serverVersion, withinTolerance, type EntryMetadata, type Observation } from "../tests/differential/observe.ts";
import { loadRecording, storedForm, writeRecording } from "../tests/differential/recording.ts";

const started = Date.now();
const previous = loadRecording();

/** A TTL-like reply within tolerance of the previous recording keeps its old value, so re-recording only shows real changes. */
function keepPrevious(name: string, observations: Observation[]): Observation[] {
  const old = previous?.cases[name];
  return observations.map((o, i) => (old?.[i]?.label === o.label && withinTolerance(old[i], storedForm(o)) ? old[i]! : o));
}
const redis = await startRedis();
try {
  const version = await serverVersion(redis.port);
  console.log(`redis-server ${version} on port ${redis.port}: ${ALL_CASES.length} cases, ${ALL_METADATA_COMMANDS.length} COMMAND INFO entries`);
  const cases: Record<string, Observation[]> = {};
  let steps = 0;
  for (const [i, script] of ALL_CASES.entries()) {
    if (script.name in cases) throw new Error(`two cases are named ${JSON.stringify(script.name)}; names key the recording`);
    cases[script.name] = keepPrevious(script.name, await runCase(redis.port, script));
    steps += cases[script.name]!.length;
    if ((i + 1) % 25 === 0 || i + 1 === ALL_CASES.length) console.log(`  ${i + 1}/${ALL_CASES.length} cases`);
  }
  for (const scenario of ALL_SCENARIOS) {
    const name = scenarioKey(scenario);
    if (name in cases) throw new Error(`two cases are named ${JSON.stringify(name)}; names key the recording`);
    cases[name] = keepPrevious(name, await runScenario(redis.port, scenario));
    steps += cases[name]!.length;
  }
  console.log(`  ${ALL_SCENARIOS.length} scenarios with several clients`);
  const metadata: Record<string, EntryMetadata | null> = {};
  for (const name of ALL_METADATA_COMMANDS) metadata[name] = (await commandInfo(redis.port, name)).entry ?? null;

  const directory = new URL("../tests/differential/recorded/", import.meta.url);
  mkdirSync(directory, { recursive: true });
  for (const old of readdirSync(directory)) if (/^redis-.*\.json$/.test(old)) rmSync(new URL(old, directory));
  const path = writeRecording({ redis: version, cases, metadata });
  const undescribed = Object.values(metadata).filter((entry) => entry === null).length;
  console.log(
    `wrote ${path.pathname}: ${ALL_CASES.length} cases, ${steps} replies, ${ALL_METADATA_COMMANDS.length} metadata entries` +
      `${undescribed ? ` (${undescribed} not described by Redis)` : ""} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
} finally {
  await redis.stop();
}
