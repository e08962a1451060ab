// The engine layer's public face: the contract, its errors and limits, and
// the engines. Runtime drivers for SQLite live in adapter/<runtime>/.
export type {
  Bytes,
  Engine,
  KeyRange,
  KeyValue,
  RangeOptions,
  ReadTxn,
  RunOptions,
  Txn,
} from "./contract.ts";
export { EngineError, type EngineErrorCode, isEngineError } from "./errors.ts";
export {
  MAX_BACKOFF_MS,
  MAX_KEY_BYTES,
  MAX_RETRIES,
  MAX_TRANSACTION_BYTES,
  MAX_TRANSACTION_MS,
  MAX_VALUE_BYTES,
  RETRY_DEADLINE_MS,
} from "./limits.ts";
export { ADD_VALUE_BYTES, addToValue, decodeInt64, encodeInt64 } from "./atomic_add.ts";
export { bytesEqual, compareBytes, keyAfter } from "./bytes.ts";
export { SeededRandom } from "./seeded_random.ts";
export { MemoryEngine, type MemoryEngineOptions, type MemoryEngineStats } from "./memory/engine.ts";
export type { FaultOptions } from "./memory/fault_injector.ts";
export {
  DATA_FILE_NAME,
  SqliteEngine,
  type SqliteEngineOptions,
  type SqliteEngineStats,
} from "./sqlite/engine.ts";
export type { OpenSqlite, SqliteDriver, SqliteStatement, SqlRow, SqlValue } from "./sqlite/driver.ts";
// The FoundationDB engine needs libfdb_c, loaded by adapter/<runtime>/fdb_ffi.ts only when chosen.
export type { FdbEngine, FdbEngineOptions, FdbEngineStats } from "./fdb/engine.ts";
export type { FdbNativeLibrary } from "./fdb/fdb_c.ts";
