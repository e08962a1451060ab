// The recorded replies of redis-server, so the differential test still checks
// every command's reply on a machine without redis-server. Written by
// scripts/record_differential.ts (which runs observe.ts's runCase against a
// real redis-server), read by suite.ts (each family's differential tests).
//
// File: recorded/redis-<version>.json, keyed by case name (and by command for
// COMMAND INFO metadata), one observation per line so diffs stay readable.
// Bytes are JSON strings of char codes 0-255 (one char per byte, exact); a
// reply longer than LONG_REPLY is stored as its SHA-256, length and first
// bytes (storedForm), and replay compares Materia's reply in that same form.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import type { EntryMetadata, Observation } from "./observe.ts";

export const RECORDER_COMMAND = "bun scripts/record_differential.ts";
const DIRECTORY = new URL("./recorded/", import.meta.url);
const LONG_REPLY = 1024;

export interface Recording {
  /** redis_version of the recorded redis-server. */
  readonly redis: string;
  readonly cases: Readonly<Record<string, readonly Observation[]>>;
  /** COMMAND INFO metadata per command name; null when Redis does not describe it. */
  readonly metadata: Readonly<Record<string, EntryMetadata | null>>;
}

/** An observation as recorded: long bytes become `sha256:<hex> (<n> bytes) <first bytes>…`. */
export function storedForm(observation: Observation): Observation {
  const { bytes } = observation;
  if (bytes.length <= LONG_REPLY) return observation;
  const digest = createHash("sha256").update(Buffer.from(bytes, "latin1")).digest("hex");
  return { ...observation, bytes: `sha256:${digest} (${bytes.length} bytes) ${bytes.slice(0, 80)}…` };
}

export function recordingPath(version: string): URL {
  return new URL(`redis-${version}.json`, DIRECTORY);
}

/** The one checked-in recording, or undefined when there is none. */
export function loadRecording(): Recording | undefined {
  let names: string[];
  try {
    names = readdirSync(DIRECTORY).filter((name) => /^redis-.*\.json$/.test(name));
  } catch {
    return undefined;
  }
  if (names.length > 1) throw new Error(`${names.length} recordings in tests/differential/recorded/ (${names.join(", ")}); keep one`);
  if (names.length === 0) return undefined;
  return JSON.parse(readFileSync(new URL(names[0]!, DIRECTORY), "utf8")) as Recording;
}

/** JSON with one case per key (sorted, so moving a case between files changes nothing here) and one observation per line. */
export function writeRecording(recording: Recording): URL {
  const line = (value: unknown) => JSON.stringify(value);
  const byName = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0);
  const cases = Object.entries(recording.cases).sort(byName).map(([name, observations]) =>
    `    ${line(name)}: [\n${observations.map((o) => `      ${line(storedForm(o))}`).join(",\n")}\n    ]`
  );
  const metadata = Object.entries(recording.metadata).sort(byName).map(([name, entry]) => `    ${line(name)}: ${line(entry)}`);
  const text = `{\n  "redis": ${line(recording.redis)},\n  "recordedBy": ${line(RECORDER_COMMAND)},\n` +
    `  "cases": {\n${cases.join(",\n")}\n  },\n  "metadata": {\n${metadata.join(",\n")}\n  }\n}\n`;
  const path = recordingPath(recording.redis);
  writeFileSync(path, text);
  return path;
}
