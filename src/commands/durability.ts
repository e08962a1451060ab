// How durable an acknowledged write is on each engine: what SAVE, BGSAVE,
// LASTSAVE, WAIT, WAITAOF and SHUTDOWN SAVE answer follows from it
// (families/persistence.ts). Every engine makes a write as durable as it can
// before its reply; there is never anything left to save later.

export type Durability =
  /** The memory engine: nothing reaches a disk; a restart loses everything. */
  | "none"
  /** SQLite: on this machine's disk (WAL, synchronous=FULL) before the reply; no replica. */
  | "local"
  /** FoundationDB: on the cluster's replicas (its replication mode) before the reply. */
  | "replicated";

/** By the engine's name (INFO's materia_engine); an engine not listed is taken as local. */
const BY_ENGINE: Readonly<Record<string, Durability>> = { memory: "none", sqlite: "local", fdb: "replicated" };

export function durabilityOf(engineName: string): Durability {
  return BY_ENGINE[engineName] ?? "local";
}
