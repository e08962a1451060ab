// The name WATCH bookkeeping gives a key of one database of one tenant.
import type { Keyspace } from "../model/keyspace.ts";
import { byteString } from "../engine/bytes.ts";

/** One string per (tenant, database, key): the connection's WATCH map and the server's registry share it. */
export function watchId(ks: Keyspace, key: Uint8Array): string {
  return `${ks.db}\u0000${ks.tenant}\u0000${byteString(key)}`;
}
