// The differential tests of a family's multi-client scenarios (scenario.ts):
// each runs against Materia (memory engine, then SQLite engine) and must
// observe exactly what redis-server does, live when redis-server can run,
// else as recorded in recorded/ (scripts/record_differential.ts records the
// scenarios with the cases, under "scenario: <name>"). As in suite.ts, a live
// run also checks the recording.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { redisServerAvailable } from "../support/redis_server.ts";
import { differentialTargets } from "./targets.ts";
import { mismatches, serverVersion, type Observation } from "./observe.ts";
import { loadRecording, storedForm } from "./recording.ts";
import { runScenario, type Scenario, scenarioKey } from "./scenario.ts";
import { RERECORD } from "./suite.ts";

const live = await redisServerAvailable();
const recording = loadRecording();

function recorded(scenario: Scenario): readonly Observation[] {
  assert.ok(recording, `no recording in tests/differential/recorded/ and no redis-server: ${RERECORD}`);
  const observations = recording.cases[scenarioKey(scenario)];
  assert.ok(observations, `scenario ${JSON.stringify(scenario.name)} is not in the recording of redis-server ${recording.redis}: ${RERECORD}`);
  return observations;
}

function assertSameSteps(scenario: Scenario, saved: readonly Observation[], now: readonly Observation[]): void {
  assert.deepEqual(now.map((o) => o.label), saved.map((o) => o.label), `scenario ${JSON.stringify(scenario.name)} changed since it was recorded: ${RERECORD}`);
}

/** Registers the differential tests of `scenarios` under `title`. */
export function scenarioSuite(title: string, scenarios: readonly Scenario[]): void {
  describe(`${title}: scenarios with several clients, ${live ? "against redis-server" : "against recorded redis-server observations"}`, () => {
    const targets = differentialTargets(`scenarios-${title}`, live);
    const liveObservations = new Map<string, Observation[]>();

    for (const [engineName, target] of targets.materia) {
      describe(`${engineName} engine`, () => {
        for (const scenario of scenarios) {
          test(scenario.name, async () => {
            if (targets.redis()) {
              const [theirs, ours] = await Promise.all([runScenario(targets.redis()!.port, scenario), runScenario(target().port, scenario)]);
              if (!liveObservations.has(scenario.name)) liveObservations.set(scenario.name, theirs);
              const found = mismatches(theirs, ours);
              assert.equal(found.length, 0, `${found.length} of ${theirs.length} observations differ from Redis's:\n  ${found.join("\n  ")}`);
            } else {
              const theirs = recorded(scenario);
              const ours = (await runScenario(target().port, scenario)).map(storedForm);
              assertSameSteps(scenario, theirs, ours);
              const found = mismatches(theirs, ours, { theirs: "recorded redis", ours: "ours" });
              assert.equal(found.length, 0, `${found.length} of ${theirs.length} observations differ from Redis's recorded ones:\n  ${found.join("\n  ")}`);
            }
          });
        }
      });
    }

    describe("the recording matches the live redis-server", { skip: live ? false : "no redis-server: the recording is the reference" }, () => {
      let version = "";
      before(async () => {
        version = await serverVersion(targets.redis()!.port);
      });
      for (const scenario of scenarios) {
        test(scenario.name, async () => {
          if (recording !== undefined && recording.redis !== version) return;
          const saved = recorded(scenario);
          const now = (liveObservations.get(scenario.name) ?? (await runScenario(targets.redis()!.port, scenario))).map(storedForm);
          assertSameSteps(scenario, saved, now);
          const found = mismatches(saved, now, { theirs: "recorded", ours: "live" });
          assert.equal(found.length, 0, `the live redis-server observes differently from the recording: ${RERECORD}\n  ${found.join("\n  ")}`);
        });
      }
    });
  });
}
