// The FoundationDB C API (bindings/c/foundationdb/fdb_c.h, api-c.html), as
// a runtime-neutral table: each entry is one C function with its argument and
// result types, in the header's order and names, so a reader can follow
// FoundationDB's own documentation. The adapters (adapter/bun/fdb_ffi.ts,
// adapter/deno/fdb_ffi.ts) turn this table into bun:ffi or Deno.dlopen
// declarations; nothing here touches a runtime.
//
// Only the functions the engine needs are declared. Their argument lists are
// the same in header versions 710, 720 and 730 (the versions we select).
//
// FFI types used in the table:
//   i32     C int (fdb_error_t, fdb_bool_t, enums, lengths)
//   i64     int64_t
//   ptr     an opaque handle (FDBFuture*, FDBTransaction*, FDBDatabase*) or a
//           pointer-sized integer passed through (a callback parameter)
//   buffer  memory we own, passed as a pointer: keys, values, out-parameters
//   fn      a C function pointer (FDBCallback) made by the adapter
//   cstring a NUL-terminated string returned by the library (static; not freed)

/** A handle or address as the runtime gives it: a number (Bun), a bigint (Deno), null for NULL. */
export type Ptr = number | bigint | null;

export const FDB_C = {
  fdb_get_max_api_version: { args: [], returns: "i32" },
  fdb_select_api_version_impl: { args: ["i32", "i32"], returns: "i32" },
  fdb_get_error: { args: ["i32"], returns: "cstring" },
  fdb_error_predicate: { args: ["i32", "i32"], returns: "i32" },

  fdb_network_set_option: { args: ["i32", "buffer", "i32"], returns: "i32" },
  fdb_setup_network: { args: [], returns: "i32" },
  // fdb_run_network() blocks until fdb_stop_network(): the adapters call it on
  // a thread of their own (FdbNativeLibrary.runNetwork), never from this table.
  fdb_stop_network: { args: [], returns: "i32" },

  fdb_create_database: { args: ["buffer", "buffer"], returns: "i32" },
  fdb_database_destroy: { args: ["ptr"], returns: "void" },
  fdb_database_set_option: { args: ["ptr", "i32", "buffer", "i32"], returns: "i32" },
  fdb_database_create_transaction: { args: ["ptr", "buffer"], returns: "i32" },

  fdb_transaction_destroy: { args: ["ptr"], returns: "void" },
  fdb_transaction_cancel: { args: ["ptr"], returns: "void" },
  fdb_transaction_set_option: { args: ["ptr", "i32", "buffer", "i32"], returns: "i32" },
  fdb_transaction_get_read_version: { args: ["ptr"], returns: "ptr" },
  fdb_transaction_get: { args: ["ptr", "buffer", "i32", "i32"], returns: "ptr" },
  // tr, begin selector (key, key length, or_equal, offset), end selector (same),
  // limit, target_bytes, mode, iteration, snapshot, reverse: 15 arguments.
  fdb_transaction_get_range: {
    args: ["ptr", "buffer", "i32", "i32", "i32", "buffer", "i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32", "i32"],
    returns: "ptr",
  },
  fdb_transaction_set: { args: ["ptr", "buffer", "i32", "buffer", "i32"], returns: "void" },
  fdb_transaction_clear: { args: ["ptr", "buffer", "i32"], returns: "void" },
  fdb_transaction_clear_range: { args: ["ptr", "buffer", "i32", "buffer", "i32"], returns: "void" },
  fdb_transaction_atomic_op: { args: ["ptr", "buffer", "i32", "buffer", "i32", "i32"], returns: "void" },
  // tr, begin key, begin length, end key, end length, type (0: read, 1: write).
  fdb_transaction_add_conflict_range: { args: ["ptr", "buffer", "i32", "buffer", "i32", "i32"], returns: "i32" },
  fdb_transaction_commit: { args: ["ptr"], returns: "ptr" },
  // tr, key, key length: a future that is ready when the key's value changes (after the commit).
  fdb_transaction_watch: { args: ["ptr", "buffer", "i32"], returns: "ptr" },
  fdb_transaction_get_approximate_size: { args: ["ptr"], returns: "ptr" },
  fdb_transaction_on_error: { args: ["ptr", "i32"], returns: "ptr" },
  fdb_transaction_reset: { args: ["ptr"], returns: "void" },

  fdb_future_cancel: { args: ["ptr"], returns: "void" },
  fdb_future_destroy: { args: ["ptr"], returns: "void" },
  fdb_future_is_ready: { args: ["ptr"], returns: "i32" },
  fdb_future_set_callback: { args: ["ptr", "fn", "ptr"], returns: "i32" },
  fdb_future_get_error: { args: ["ptr"], returns: "i32" },
  fdb_future_get_int64: { args: ["ptr", "buffer"], returns: "i32" },
  fdb_future_get_value: { args: ["ptr", "buffer", "buffer", "buffer"], returns: "i32" },
  fdb_future_get_keyvalue_array: { args: ["ptr", "buffer", "buffer", "buffer"], returns: "i32" },
} as const;

export type FfiType = "i32" | "i64" | "ptr" | "buffer" | "fn" | "cstring" | "void";
export type FdbSymbolName = keyof typeof FDB_C;

/** Memory passed by pointer. A zero-length key may be passed as an empty array. */
export type CBuffer = Uint8Array | Int32Array | BigInt64Array | BigUint64Array | null;

type JsArg<T> = T extends "i32" ? number
  : T extends "i64" ? bigint
  : T extends "ptr" ? Ptr
  : T extends "buffer" ? CBuffer
  : T extends "fn" ? Ptr
  : never;
type JsResult<T> = T extends "i32" ? number : T extends "ptr" ? Ptr : T extends "cstring" ? string : T extends "void" ? void : never;
type JsArgs<A extends readonly unknown[]> = { -readonly [I in keyof A]: JsArg<A[I]> };

/** The C functions of the table, callable from TypeScript. */
export type FdbC = {
  [K in FdbSymbolName]: (...args: JsArgs<(typeof FDB_C)[K]["args"]>) => JsResult<(typeof FDB_C)[K]["returns"]>;
};

/** What an adapter provides once it has loaded libfdb_c. */
export interface FdbNativeLibrary {
  /** The path given to the loader (a file path, or a name the system loader resolves). */
  readonly path: string;
  readonly c: FdbC;
  /** Copies `length` bytes at `address` (memory owned by a future) into a new array. */
  copy(address: number | bigint, length: number): Uint8Array;
  /**
   * An FDBCallback that may be called on any thread (the network thread) and
   * runs `onFutureReady(param)` on the JS thread, returning to C at once.
   */
  readonly callback: Ptr;
  onFutureReady(handler: (param: number) => void): void;
  /** Keeps the process alive while futures are pending (`true`), lets it exit when idle (`false`). */
  keepAlive(alive: boolean): void;
  /** Calls fdb_run_network() on a thread of its own; resolves with its result once it returns. */
  runNetwork(): Promise<number>;
}

/** Loads libfdb_c from `path` (adapter/<runtime>/fdb_ffi.ts). */
export type LoadFdbLibrary = (path: string) => FdbNativeLibrary;

export function isNull(pointer: Ptr): boolean {
  return pointer === null || pointer === 0 || pointer === 0n;
}

// ---- API versions ----------------------------------------------------------

/** The API version we ask for: FoundationDB 7.3. */
export const PREFERRED_API_VERSION = 730;
/** The oldest we accept: the header layout we follow (FDBKeyValue packed to 4 bytes) holds from 710. */
export const MINIMUM_API_VERSION = 710;

// ---- Options (fdb_c_options.g.h) --------------------------------------------

export const NetworkOption = {
  TRACE_ENABLE: 30,
  EXTERNAL_CLIENT_LIBRARY: 62,
  EXTERNAL_CLIENT_DIRECTORY: 63,
} as const;

export const DatabaseOption = {
  /** Watches a database handle may hold at once (default 10,000, at most 1,000,000); past it, 1032. */
  MAX_WATCHES: 20,
  /** Default `timeout` (ms) of every transaction of the database. */
  TRANSACTION_TIMEOUT: 500,
  TRANSACTION_RETRY_LIMIT: 501,
  TRANSACTION_MAX_RETRY_DELAY: 502,
  TRANSACTION_SIZE_LIMIT: 503,
} as const;

export const TransactionOption = {
  /** Milliseconds, then the transaction fails with 1031; not reset by on_error (API >= 610). */
  TIMEOUT: 500,
  RETRY_LIMIT: 501,
  MAX_RETRY_DELAY: 502,
  SIZE_LIMIT: 503,
  PRIORITY_BATCH: 201,
} as const;

/** FDBStreamingMode. */
export const StreamingMode = {
  WANT_ALL: -2,
  ITERATOR: -1,
  EXACT: 0,
  SMALL: 1,
  MEDIUM: 2,
  LARGE: 3,
  SERIAL: 4,
} as const;

/** FDBMutationType (the ones we use). */
export const MutationType = {
  ADD: 2,
  BIT_AND: 6,
  BIT_OR: 7,
  BIT_XOR: 8,
  APPEND_IF_FITS: 9,
  MAX: 12,
  MIN: 13,
  /** The key holds a 10-byte placeholder at the offset given by its last 4 bytes (little-endian), filled at commit. */
  SET_VERSIONSTAMPED_KEY: 14,
  COMPARE_AND_CLEAR: 20,
} as const;

/** fdb_error_predicate tests. */
export const ErrorPredicate = {
  RETRYABLE: 50000,
  MAYBE_COMMITTED: 50001,
  RETRYABLE_NOT_COMMITTED: 50002,
} as const;

/** Error codes (api-error-codes.html) the engine treats specially. */
export const FdbErrorCode = {
  TRANSACTION_TOO_OLD: 1007,
  FUTURE_VERSION: 1009,
  NOT_COMMITTED: 1020,
  COMMIT_UNKNOWN_RESULT: 1021,
  TRANSACTION_CANCELLED: 1025,
  TRANSACTION_TIMED_OUT: 1031,
  TOO_MANY_WATCHES: 1032,
  WATCHES_DISABLED: 1034,
  PROCESS_BEHIND: 1037,
  DATABASE_LOCKED: 1038,
  CLUSTER_VERSION_CHANGED: 1039,
  OPERATION_CANCELLED: 1101,
  TAG_THROTTLED: 1213,
  NO_CLUSTER_FILE_FOUND: 1515,
  NETWORK_ALREADY_SETUP: 2009,
  KEY_OUTSIDE_LEGAL_RANGE: 2004,
  INVERTED_RANGE: 2005,
  TRANSACTION_TOO_LARGE: 2101,
  KEY_TOO_LARGE: 2102,
  VALUE_TOO_LARGE: 2103,
  CONNECTION_STRING_INVALID: 2104,
  API_VERSION_UNSUPPORTED: 2203,
} as const;

// ---- Key selectors -----------------------------------------------------------

/** A key selector: four consecutive C arguments (key, key length, or_equal, offset), never a struct. */
export interface KeySelector {
  readonly key: Uint8Array;
  readonly orEqual: 0 | 1;
  readonly offset: number;
}

export function firstGreaterOrEqual(key: Uint8Array): KeySelector {
  return { key, orEqual: 0, offset: 1 };
}

export function firstGreaterThan(key: Uint8Array): KeySelector {
  return { key, orEqual: 1, offset: 1 };
}

export function lastLessThan(key: Uint8Array): KeySelector {
  return { key, orEqual: 0, offset: 0 };
}

export function lastLessOrEqual(key: Uint8Array): KeySelector {
  return { key, orEqual: 1, offset: 0 };
}

// ---- Result structs (#pragma pack(push, 4)) ----------------------------------

/** FDBKeyValue on 64-bit: key ptr @0, key_length @8, value ptr @12, value_length @20. */
export const KEY_VALUE_STRIDE = 24;

export interface RawKeyValue {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

/** Copies `count` FDBKeyValue structs at `address` out of the future's memory. */
export function readKeyValueArray(lib: FdbNativeLibrary, address: Ptr, count: number): RawKeyValue[] {
  if (count === 0 || address === null) return [];
  const structs = lib.copy(address, count * KEY_VALUE_STRIDE);
  const view = new DataView(structs.buffer, structs.byteOffset, structs.byteLength);
  const out: RawKeyValue[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const at = i * KEY_VALUE_STRIDE;
    const keyLength = view.getInt32(at + 8, true);
    const valueLength = view.getInt32(at + 20, true);
    out[i] = {
      key: keyLength === 0 ? new Uint8Array(0) : lib.copy(view.getBigUint64(at, true), keyLength),
      value: valueLength === 0 ? new Uint8Array(0) : lib.copy(view.getBigUint64(at + 12, true), valueLength),
    };
  }
  return out;
}

/** A C string argument: UTF-8 bytes and a NUL. */
export function cString(text: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes, 0);
  return out;
}

/** An Int option's value: a little-endian int64, 8 bytes. */
export function int64Option(value: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, BigInt(value), true);
  return out;
}
