// The name WATCH bookkeeping gives a key of one database of one tenant.
import type { Keyspace } from "../model/keyspace.ts";

/** One string per (tenant, database, key): the connection's WATCH map and the server's registry share it. */
export function watchId(ks: Keyspace, key: Uint8Array): string {
  let text = `${ks.db}\u0000${ks.tenant}\u0000`;
  // Each byte becomes one char (exact). apply() reads the typed array by index, where a spread
  // runs the iterator byte by byte (measured: 5 times slower); in slices, under the engines' argument limits.
  for (let i = 0; i < key.length; i += 4096) text += String.fromCharCode.apply(null, key.subarray(i, i + 4096) as unknown as number[]);
  return text;
}
