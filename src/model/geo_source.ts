// The sorted-set model as a geo search's GeoScoreSource (geo_search.ts): the
// set is opened once, then read range by range ([min, max) of geohash
// scores, with ANY's windows) and member by member.
import type { MaybePromise, ReadTxn } from "../engine/contract.ts";
import { then } from "../engine/maybe_promise.ts";
import type { GeoScoreSource } from "./geo_search.ts";
import type { Keyspace } from "./keyspace.ts";
import { openForReads, type ZsetReader } from "./sorted_sets.ts";

/** A search source over an opened sorted set. */
export function geoSourceOf(reader: ZsetReader): GeoScoreSource {
  return {
    membersInScoreRange: (query) =>
      reader.entriesByScore({
        range: { min: query.min, minExclusive: false, max: query.max, maxExclusive: true },
        offset: query.offset ?? 0,
        count: query.count ?? -1,
      }),
    scoreOf: (member) => reader.scoreOf(member),
  };
}

/** The sorted set at `key` as a geo source; undefined when the key is missing. */
export function openGeoSource(tx: ReadTxn, ks: Keyspace, key: Uint8Array, nowMs: number): MaybePromise<GeoScoreSource | undefined | "WRONGTYPE"> {
  return then(openForReads(tx, ks, key, nowMs), (reader) => (reader === undefined || reader === "WRONGTYPE" ? reader : geoSourceOf(reader)));
}
