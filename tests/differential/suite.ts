// The differential suite of one command family (tests/commands/<family>_test.ts
// calls it with its <family>_cases.ts) or of the protocol (protocol_test.ts):
// every case runs against Materia (memory engine, then SQLite engine), each on
// a fresh connection after FLUSHALL, and its replies must be byte-identical to
// Redis's, or equal after the step's normalization (case_types.ts `Compare`;
// observe.ts runs the steps). Cases are grouped by the command they test, so
// the report reads `hashes > memory engine > HSET > <case>`; the family's
// generated error cases (error_cases.ts) join their command's group.
//
// Redis's replies come from a live redis-server when one can be run, else
// from the recording in recorded/ (scripts/record_differential.ts). With a
// live redis-server of the recorded version, the recording is also checked
// against it, so a case edited without re-recording fails.
// MATERIA_TEST_REDIS_SERVER=none replays the recording even when
// redis-server is installed (tests/support/redis_server.ts).
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { CommandSpec } from "../../src/commands/spec.ts";
import { redisServerAvailable } from "../support/redis_server.ts";
import type { CasesByCommand, DifferentialCase } from "./case_types.ts";
import { show } from "./compare.ts";
import { differentialTargets } from "./targets.ts";
import { errorCases } from "./error_cases.ts";
import { commandInfo, mismatches, runCase, serverVersion, type EntryMetadata, type Observation } from "./observe.ts";
import { loadRecording, RECORDER_COMMAND, storedForm } from "./recording.ts";

const live = await redisServerAvailable();
const recording = loadRecording();
export const RERECORD = `rerun \`${RECORDER_COMMAND}\` (needs redis-server) and commit tests/differential/recorded/`;

export interface SuiteOptions {
  readonly cases: CasesByCommand;
  /** Commands whose COMMAND INFO must equal Redis's. */
  readonly metadata?: readonly string[];
  /** The family's command specs: their generated error cases (error_cases.ts) run too. */
  readonly specs?: readonly CommandSpec[];
}

/** The hand-written cases and the generated error cases, grouped by command (hand-written first). */
export function suiteCases(options: SuiteOptions): CasesByCommand {
  const grouped: Record<string, DifferentialCase[]> = {};
  for (const [command, cases] of Object.entries(options.cases)) grouped[command] = [...cases];
  for (const [command, cases] of Object.entries(errorCases(options.specs ?? []))) (grouped[command] ??= []).push(...cases);
  return grouped;
}

/** The recorded observations of a case; fails when the case is not recorded. */
function recorded(script: DifferentialCase): readonly Observation[] {
  assert.ok(recording, `no recording in tests/differential/recorded/ and no redis-server: ${RERECORD}`);
  const observations = recording.cases[script.name];
  assert.ok(observations, `case ${JSON.stringify(script.name)} is not in the recording of redis-server ${recording.redis}: ${RERECORD}`);
  return observations;
}

/** The steps as recorded and as run now must be the same steps (labels), else the recording is stale. */
function assertSameSteps(script: DifferentialCase, saved: readonly Observation[], now: readonly Observation[]): void {
  const savedLabels = saved.map((o) => o.label);
  const nowLabels = now.map((o) => o.label);
  assert.deepEqual(nowLabels, savedLabels, `case ${JSON.stringify(script.name)} changed since it was recorded: ${RERECORD}`);
}

/** Registers the differential tests of `title` (a family's name, or "protocol"). */
export function differentialSuite(title: string, options: SuiteOptions): void {
  const grouped = Object.entries(suiteCases(options));
  const metadata = options.metadata ?? [];

  describe(`${title}: ${live ? "differential against redis-server" : "differential against recorded redis-server replies"}`, () => {
    const targets = differentialTargets(`differential-${title}`, live);
    /** Live Redis observations of the first engine's pass, checked against the recording afterwards. */
    const liveObservations = new Map<string, Observation[]>();

    for (const [engineName, target] of targets.materia) {
      describe(`${engineName} engine`, () => {
        for (const [command, cases] of grouped) {
          describe(command, () => {
            for (const script of cases) {
              test(script.name, { skip: script.skip ?? false }, async () => {
                if (targets.redis()) {
                  const [theirs, ours] = await Promise.all([runCase(targets.redis()!.port, script), runCase(target().port, script)]);
                  if (!liveObservations.has(script.name)) liveObservations.set(script.name, theirs);
                  const found = mismatches(theirs, ours);
                  assert.equal(found.length, 0, `${found.length} of ${theirs.length} replies differ from Redis's:\n  ${found.join("\n  ")}`);
                } else {
                  const theirs = recorded(script);
                  const ours = (await runCase(target().port, script)).map(storedForm);
                  assertSameSteps(script, theirs, ours);
                  const found = mismatches(theirs, ours, { theirs: "recorded redis", ours: "ours" });
                  assert.equal(found.length, 0, `${found.length} of ${theirs.length} replies differ from Redis's recorded ones:\n  ${found.join("\n  ")}`);
                }
              });
            }
          });
        }
      });
    }

    if (metadata.length > 0) {
      describe("COMMAND INFO metadata equals Redis's", () => {
        for (const name of metadata) {
          test(`${name}: name, arity, flags and key positions`, async () => {
            const ours = await commandInfo(targets.materia[0]![1]().port, name);
            let theirs: { reply: string; entry: EntryMetadata | undefined };
            if (targets.redis()) theirs = await commandInfo(targets.redis()!.port, name);
            else {
              assert.ok(recording, `no recording in tests/differential/recorded/ and no redis-server: ${RERECORD}`);
              assert.ok(name in recording.metadata, `COMMAND INFO ${name} is not in the recording: ${RERECORD}`);
              theirs = { reply: "<recorded: not described>", entry: recording.metadata[name] ?? undefined };
            }
            assert.ok(theirs.entry, `COMMAND INFO ${name}: Redis does not describe it (${show(theirs.reply)}); drop it from METADATA_COMMANDS`);
            assert.ok(ours.entry, `COMMAND INFO ${name}: Redis describes it, we answer ${show(ours.reply)}`);
            assert.deepEqual(ours.entry, theirs.entry, `COMMAND INFO ${name}: ours (actual) differs from Redis's (expected)`);
          });
        }
      });
    }

    describe("the recording matches the live redis-server", { skip: live ? false : "no redis-server: the recording is the reference" }, () => {
      let version = "";
      before(async () => {
        version = await serverVersion(targets.redis()!.port);
        if (recording && recording.redis !== version) console.log(`redis-server ${version} is not the recorded ${recording.redis}: the replies are not cross-checked`);
      });
      const sameVersion = () => recording === undefined || recording.redis === version;

      for (const [, cases] of grouped) {
        for (const script of cases) {
          test(script.name, async () => {
            if (!sameVersion()) return;
            const saved = recorded(script);
            const now = (liveObservations.get(script.name) ?? (await runCase(targets.redis()!.port, script))).map(storedForm);
            assertSameSteps(script, saved, now);
            const found = mismatches(saved, now, { theirs: "recorded", ours: "live" });
            assert.equal(found.length, 0, `the live redis-server answers differently from the recording: ${RERECORD}\n  ${found.join("\n  ")}`);
          });
        }
      }

      if (metadata.length > 0) {
        test("COMMAND INFO metadata", async () => {
          if (!sameVersion()) return;
          assert.ok(recording, `no recording in tests/differential/recorded/: ${RERECORD}`);
          for (const name of metadata) {
            const entry = (await commandInfo(targets.redis()!.port, name)).entry ?? null;
            assert.deepEqual(recording.metadata[name] ?? null, entry, `COMMAND INFO ${name}: the live redis-server differs from the recording: ${RERECORD}`);
          }
        });
      }
    });
  });
}
