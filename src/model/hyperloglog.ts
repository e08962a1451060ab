// HyperLogLog commands over the keyspace (PFADD, PFCOUNT, PFMERGE). A
// HyperLogLog is a plain string holding Redis's bytes (hyperloglog_sketch.ts):
// TYPE says "string", GET returns them, SET of bytes taken from Redis makes
// one. Each command reads the whole value and, when it changes, writes the
// whole value back (at most 12,304 bytes), keeping the key's TTL.
import type { Txn } from "../engine/contract.ts";
import { lookup, lookupForWrite } from "./db.ts";
import type { Keyspace } from "./keyspace.ts";
import { KeyType, type Meta } from "./meta.ts";
import { estimate, histogramOfRegisters, HLL_REGISTERS, isHllValue, Sketch } from "./hyperloglog_sketch.ts";
import { readValue, writeString } from "./strings.ts";

/**
 * Why a HyperLogLog command failed: WRONGTYPE (not a string), NOT_HLL (a
 * string that is not a HyperLogLog), CORRUPT (a sparse encoding that does
 * not cover the registers exactly).
 */
export type HllFailure = "WRONGTYPE" | "NOT_HLL" | "CORRUPT";

export function isHllFailure(value: unknown): value is HllFailure {
  return value === "WRONGTYPE" || value === "NOT_HLL" || value === "CORRUPT";
}

/** The cardinality as Redis replies it: a uint64 sent as a signed long long (2^63 is the forged-value case in estimate). */
function asInt64(card: bigint): bigint {
  return BigInt.asIntN(64, card);
}

interface Found {
  readonly meta: Meta;
  readonly sketch: Sketch;
}

/** The HyperLogLog of a live key whose meta is `meta` (undefined: missing). */
async function sketchOf(tx: Txn, ks: Keyspace, key: Uint8Array, meta: Meta | undefined): Promise<Found | undefined | HllFailure> {
  if (meta === undefined) return undefined;
  if (meta.type !== KeyType.String) return "WRONGTYPE";
  const value = await readValue(tx, ks, key, meta);
  if (!isHllValue(value)) return "NOT_HLL";
  return { meta, sketch: Sketch.of(value) };
}

function store(tx: Txn, ks: Keyspace, key: Uint8Array, meta: Meta | undefined, sketch: Sketch): void {
  writeString(tx, ks, key, meta, sketch.toBytes(), { expireAt: meta?.expireAt ?? 0 });
}

/** PFADD: 1 when the key was created or a register changed, else 0. */
export async function pfAdd(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  add: { readonly elements: readonly Uint8Array[]; readonly nowMs: number },
): Promise<0 | 1 | HllFailure> {
  const meta = await lookupForWrite(tx, ks, key, add.nowMs);
  const found = await sketchOf(tx, ks, key, meta);
  if (isHllFailure(found)) return found;
  const sketch = found?.sketch ?? Sketch.empty();
  let updated = found === undefined;
  for (const element of add.elements) {
    const result = sketch.add(element);
    if (result === -1) {
      // Redis changes the value in place: the elements before the corrupt spot stay added.
      if (updated) store(tx, ks, key, meta, sketch);
      return "CORRUPT";
    }
    if (result === 1) updated = true;
  }
  if (!updated) return 0;
  sketch.invalidateCache();
  store(tx, ks, key, meta, sketch);
  ks.notify("$", "pfadd", key);
  return 1;
}

/**
 * PFCOUNT of one key: the cached cardinality, or the estimate, then cached
 * in the value when `storeCache` (Redis always stores it; a caller without
 * the write right gets the estimate without the write).
 */
export async function pfCountOne(
  tx: Txn,
  ks: Keyspace,
  key: Uint8Array,
  count: { readonly nowMs: number; readonly storeCache: boolean },
): Promise<bigint | HllFailure> {
  const meta = await lookup(tx, ks, key, count.nowMs);
  const found = await sketchOf(tx, ks, key, meta);
  if (found === undefined) return 0n;
  if (isHllFailure(found)) return found;
  const cached = found.sketch.cachedCardinality();
  if (cached !== undefined) return asInt64(cached);
  const histogram = found.sketch.histogram();
  if (histogram === undefined) return "CORRUPT";
  const card = estimate(histogram);
  if (count.storeCache) {
    found.sketch.cacheCardinality(card);
    store(tx, ks, key, found.meta, found.sketch);
  }
  return asInt64(card);
}

/** The registers of the union of `keys` (missing keys are empty), one per byte, and whether any of them was dense. */
async function unionOf(tx: Txn, ks: Keyspace, keys: readonly Uint8Array[], nowMs: number): Promise<{ max: Uint8Array; dense: boolean } | HllFailure> {
  const max = new Uint8Array(HLL_REGISTERS);
  let dense = false;
  for (const key of keys) {
    const found = await sketchOf(tx, ks, key, await lookup(tx, ks, key, nowMs));
    if (found === undefined) continue;
    if (isHllFailure(found)) return found;
    if (found.sketch.isDense) dense = true;
    if (!found.sketch.mergeInto(max)) return "CORRUPT";
  }
  return { max, dense };
}

/** PFCOUNT of several keys: the estimate of their union; nothing is written. */
export async function pfCountUnion(tx: Txn, ks: Keyspace, keys: readonly Uint8Array[], nowMs: number): Promise<bigint | HllFailure> {
  const union = await unionOf(tx, ks, keys, nowMs);
  if (isHllFailure(union)) return union;
  return asInt64(estimate(histogramOfRegisters(union.max)));
}

/** PFMERGE: `dest` becomes the union of itself and `sources`, dense if any of them is. */
export async function pfMerge(
  tx: Txn,
  ks: Keyspace,
  merge: { readonly dest: Uint8Array; readonly sources: readonly Uint8Array[]; readonly nowMs: number },
): Promise<"OK" | HllFailure> {
  const { dest, nowMs } = merge;
  // An expired destination goes first, as Redis's lookupKeyRead would not see it either.
  const previous = await lookupForWrite(tx, ks, dest, nowMs);
  const union = await unionOf(tx, ks, [dest, ...merge.sources], nowMs);
  if (isHllFailure(union)) return union;
  // The destination was checked as a source: it is missing or a valid HyperLogLog.
  const found = await sketchOf(tx, ks, dest, previous);
  const sketch = found === undefined || isHllFailure(found) ? Sketch.empty() : found.sketch;
  if (union.dense && !sketch.toDense()) return "CORRUPT";
  // Register by register, as Redis does: a sparse destination may turn dense on the way.
  for (let i = 0; i < HLL_REGISTERS; i++) if (union.max[i] !== 0) sketch.set(i, union.max[i]!);
  sketch.invalidateCache();
  store(tx, ks, dest, previous, sketch);
  // PFMERGE reports itself as a PFADD, even when nothing changed.
  ks.notify("$", "pfadd", dest);
  return "OK";
}
