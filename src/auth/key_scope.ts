// The keys a prefix-limited token may touch, compiled once at AUTH into a
// list of byte prefixes checked in a few comparisons per key.
import type { KeyScope } from "./contract.ts";

const encoder = new TextEncoder();

/**
 * A key must start with one prefix of every set (each set is one check of the
 * token, its prefixes the alternatives). The intersection of two sets is the
 * longer of each pair of nested prefixes, so the whole is one flat list.
 */
export function keyScopeOf(prefixSets: readonly (readonly string[])[]): KeyScope {
  let effective: Uint8Array[] | undefined;
  for (const set of prefixSets) {
    const bytes = set.map((p) => encoder.encode(p));
    effective = effective === undefined ? bytes : intersect(effective, bytes);
  }
  const prefixes = minimal(effective ?? [new Uint8Array(0)]);
  return {
    allows: (key) => prefixes.some((prefix) => startsWith(key, prefix)),
    scanPrefixes: prefixes,
    description: prefixSets.map((set) => set.map((p) => JSON.stringify(p)).join(" or ")).join(", and "),
  };
}

function intersect(a: readonly Uint8Array[], b: readonly Uint8Array[]): Uint8Array[] {
  const result: Uint8Array[] = [];
  for (const x of a) {
    for (const y of b) {
      if (startsWith(x, y)) result.push(x);
      else if (startsWith(y, x)) result.push(y);
    }
  }
  return result;
}

/** Sorted, without duplicates and without prefixes covered by a shorter one. */
function minimal(prefixes: readonly Uint8Array[]): Uint8Array[] {
  const sorted = [...prefixes].sort(compare);
  const result: Uint8Array[] = [];
  for (const prefix of sorted) {
    const last = result[result.length - 1];
    if (last !== undefined && startsWith(prefix, last)) continue;
    result.push(prefix);
  }
  return result;
}

function startsWith(key: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > key.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}

function compare(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
