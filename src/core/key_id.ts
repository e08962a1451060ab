// One string per (tenant, database, key): the name under which WATCH and
// waiting clients find the writes of a key. One definition, so that the
// side that records a watch and the side that announces a write agree.
import { byteString } from "../engine/bytes.ts";
import type { Keyspace } from "../model/keyspace.ts";

export function keyId(ks: Keyspace, key: Uint8Array): string {
  return `${ks.db}\u0000${ks.tenant}\u0000${byteString(key)}`;
}
