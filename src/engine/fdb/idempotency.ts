// Idempotency markers: how a write whose commit reported
// commit_unknown_result (1021) is not applied twice (developer-guide.html,
// "Transactions with unknown results"). Every attempt of a write transaction
// also writes one marker key, unique to the engine.write call, holding the
// attempt's number. After a 1021 the next attempt first reads the marker (a
// serializable read, so an earlier attempt landing late makes this one
// conflict and retry): present, the attempt it names committed and its result
// is the answer; absent, nothing committed and the body runs again.
//
//   (null) "i" <minute> <random id>   →   attempt number (1 byte)
//
// The markers live in the reserved (null, ...) space below every tenant
// (model/keyspace.ts), apart from the expiry index (null, "x"). The engine
// hides them from its callers' range reads and clears. A marker is needed
// only while its call retries (seconds), so whole minute buckets older than
// KEEP_MINUTES are dropped with one range clear, once a minute per engine.
import type { KeyRange } from "../contract.ts";
import { childRange, packTuple } from "../tuple.ts";

const MARKER_TAG = "i";
const MARKER_PREFIX = packTuple([null, MARKER_TAG]);

/** Every marker: the engine's callers never see keys in here. */
export const MARKER_SPACE: KeyRange = childRange(MARKER_PREFIX);

/** Buckets kept besides the current one; older ones are cleared. Covers clock skew between servers up to a minute. */
export const KEEP_MINUTES = 2;

const MINUTE_MS = 60_000;
const ID_BYTES = 8;

export function minuteOf(wallMs: number): number {
  return Math.floor(wallMs / MINUTE_MS);
}

/** A marker key for one engine.write call, made before its first attempt. */
export function newMarkerKey(wallMs: number): Uint8Array {
  const id = new Uint8Array(ID_BYTES);
  crypto.getRandomValues(id);
  return packTuple([null, MARKER_TAG, minuteOf(wallMs), id]);
}

/** The marker's value: the number of the attempt that wrote it. */
export function markerValue(attempt: number): Uint8Array {
  return new Uint8Array([attempt]);
}

export function attemptOfMarker(value: Uint8Array): number {
  return value[0] ?? 0;
}

/** Markers of buckets before `minute`: one range clear drops them. */
export function markersBefore(minute: number): KeyRange {
  return { start: MARKER_SPACE.start, end: packTuple([null, MARKER_TAG, minute]) };
}
