// The name WATCH bookkeeping gives a key of one database of one tenant.
import type { Keyspace } from "../model/keyspace.ts";

/** One string per (tenant, database, key): the connection's WATCH map and the server's registry share it. */
export function watchId(ks: Keyspace, key: Uint8Array): string {
  let text = `${ks.db}\u0000${ks.tenant}\u0000`;
  // In slices: spreading a whole 8 KB key into one call's arguments risks the engine's argument limit.
  for (let i = 0; i < key.length; i += 8192) text += String.fromCharCode(...key.subarray(i, i + 8192));
  return text;
}
