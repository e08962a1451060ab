// The checked-in recording of redis-server's replies (recording.ts) against the
// cases of the whole suite (all_cases.ts): every case is recorded under its
// unique name, and nothing recorded belongs to a case that no longer exists.
// Whether the recorded replies are still Redis's is checked per case by each
// family's differential suite when redis-server is installed (suite.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { ALL_CASES, ALL_METADATA_COMMANDS, ALL_SCENARIOS } from "./all_cases.ts";
import { loadRecording } from "./recording.ts";
import { scenarioKey } from "./scenario.ts";
import { RERECORD } from "./suite.ts";

const recording = loadRecording();

test("a recording of redis-server's replies is checked in", () => {
  assert.ok(recording, `no recording in tests/differential/recorded/: ${RERECORD}`);
});

/** Every name that keys the recording: the cases', and the multi-client scenarios' (scenario.ts). */
const ALL_NAMES = [...ALL_CASES.map((c) => c.name), ...ALL_SCENARIOS.map(scenarioKey)];

test("case and scenario names are unique across the suite (they key the recording)", () => {
  const seen = new Set<string>();
  const twice = ALL_NAMES.filter((name) => seen.has(name) || !seen.add(name));
  assert.deepEqual(twice, []);
});

test("every case, scenario and COMMAND INFO entry is recorded, and nothing else is", () => {
  assert.ok(recording);
  const names = new Set(ALL_NAMES);
  assert.deepEqual(ALL_NAMES.filter((name) => !(name in recording.cases)), [], `cases missing from the recording: ${RERECORD}`);
  assert.deepEqual(Object.keys(recording.cases).filter((name) => !names.has(name)), [], `recorded cases that no longer exist: ${RERECORD}`);
  const metadata = new Set(ALL_METADATA_COMMANDS);
  assert.deepEqual(Object.keys(recording.metadata).filter((name) => !metadata.has(name)), [], `recorded COMMAND INFO entries no longer compared: ${RERECORD}`);
});
