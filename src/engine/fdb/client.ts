// The FoundationDB client of this process, over the C table of fdb_c.ts:
// API version selection, the network thread, databases and transactions.
// Methods keep the C functions' names and meaning (fdb_transaction_get →
// FdbTransaction.get) and add only what JavaScript needs: promises for
// futures, copies of result memory, and destruction of every handle.
//
// FoundationDB allows one network per process, started once and never
// restarted (api-general.html), so the client is a process-wide singleton:
// engines come and go, each with its own FDBDatabase, over one network.
import {
  cString,
  ErrorPredicate,
  FdbErrorCode,
  type FdbNativeLibrary,
  type KeySelector,
  MINIMUM_API_VERSION,
  PREFERRED_API_VERSION,
  type Ptr,
  type RawKeyValue,
  readKeyValueArray,
} from "./fdb_c.ts";
import { FdbError, FutureTable } from "./futures.ts";

// A zero-length key or value is passed as a pointer to this with length 0:
// some FFIs refuse a pointer to an empty array.
const EMPTY = new Uint8Array(1);
/** FDBConflictRangeType: FDB_CONFLICT_RANGE_TYPE_READ. */
const CONFLICT_RANGE_READ = 0;

function bytes(data: Uint8Array): Uint8Array {
  return data.length === 0 ? EMPTY : data;
}

/** Out-parameters of the synchronous getters; JS is single-threaded and every getter copies at once. */
class OutParams {
  readonly pointer = new BigUint64Array(1);
  readonly int64 = new BigInt64Array(1);
  readonly flag = new Int32Array(1);
  readonly length = new Int32Array(1);
}

export interface RangeRequest {
  /** Rows, 0 for no limit. */
  readonly limit: number;
  /** FDBStreamingMode. */
  readonly mode: number;
  /** From 1, growing batches in ITERATOR mode. */
  readonly iteration: number;
  readonly snapshot: boolean;
  readonly reverse: boolean;
}

export interface RangeBatch {
  readonly entries: RawKeyValue[];
  /** More rows may follow in the range. */
  readonly more: boolean;
}

export class FdbTransaction {
  constructor(
    private readonly client: FdbClient,
    private handle: Ptr,
  ) {}

  private get c() {
    return this.client.lib.c;
  }

  setOption(option: number, value: Uint8Array | null = null): void {
    const code = this.c.fdb_transaction_set_option(this.handle, option, value, value === null ? 0 : value.length);
    if (code !== 0) throw this.client.futures.error(code);
  }

  getReadVersion(): Promise<bigint> {
    const out = this.client.out;
    return this.client.futures.take(this.c.fdb_transaction_get_read_version(this.handle), (f) => {
      this.client.check(this.c.fdb_future_get_int64(f, out.int64));
      return out.int64[0]!;
    });
  }

  /** fdb_transaction_get: the value, or undefined when the key is absent. */
  get(key: Uint8Array, snapshot: boolean): Promise<Uint8Array | undefined> {
    const c = this.c;
    const future = c.fdb_transaction_get(this.handle, bytes(key), key.length, snapshot ? 1 : 0);
    return this.client.futures.take(future, (f) => {
      const out = this.client.out;
      this.client.check(c.fdb_future_get_value(f, out.flag, out.pointer, out.length));
      if (out.flag[0] === 0) return undefined;
      const length = out.length[0]!;
      return length === 0 ? new Uint8Array(0) : this.client.lib.copy(out.pointer[0]!, length);
    });
  }

  /** fdb_transaction_get_range: one batch of [begin, end) and whether more follows. */
  getRange(begin: KeySelector, end: KeySelector, request: RangeRequest): Promise<RangeBatch> {
    const c = this.c;
    const future = c.fdb_transaction_get_range(
      this.handle,
      bytes(begin.key), begin.key.length, begin.orEqual, begin.offset,
      bytes(end.key), end.key.length, end.orEqual, end.offset,
      request.limit, 0, request.mode, request.iteration, request.snapshot ? 1 : 0, request.reverse ? 1 : 0,
    );
    return this.client.futures.take(future, (f) => {
      const out = this.client.out;
      this.client.check(c.fdb_future_get_keyvalue_array(f, out.pointer, out.length, out.flag));
      return { entries: readKeyValueArray(this.client.lib, out.pointer[0]!, out.length[0]!), more: out.flag[0] !== 0 };
    });
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.c.fdb_transaction_set(this.handle, bytes(key), key.length, bytes(value), value.length);
  }

  clear(key: Uint8Array): void {
    this.c.fdb_transaction_clear(this.handle, bytes(key), key.length);
  }

  clearRange(begin: Uint8Array, end: Uint8Array): void {
    this.c.fdb_transaction_clear_range(this.handle, bytes(begin), begin.length, bytes(end), end.length);
  }

  atomicOp(key: Uint8Array, param: Uint8Array, operationType: number): void {
    this.c.fdb_transaction_atomic_op(this.handle, bytes(key), key.length, bytes(param), param.length, operationType);
  }

  /** fdb_transaction_add_conflict_range of type read: [begin, end) conflicts as if read. */
  addReadConflictRange(begin: Uint8Array, end: Uint8Array): void {
    this.client.check(this.c.fdb_transaction_add_conflict_range(this.handle, bytes(begin), begin.length, bytes(end), end.length, CONFLICT_RANGE_READ));
  }

  /**
   * fdb_transaction_watch: the raw future, ready once the key's value
   * differs from the one this transaction saw (watches.ts owns it: waits,
   * cancels and destroys it).
   */
  watch(key: Uint8Array): Ptr {
    return this.c.fdb_transaction_watch(this.handle, bytes(key), key.length);
  }

  commit(): Promise<void> {
    return this.client.futures.take(this.c.fdb_transaction_commit(this.handle), () => undefined);
  }

  /**
   * fdb_transaction_on_error: resolves after FoundationDB's backoff when
   * `code` may be retried (the transaction is reset); rejects with the error
   * to give up with otherwise.
   */
  onError(code: number): Promise<void> {
    return this.client.futures.take(this.c.fdb_transaction_on_error(this.handle, code), () => undefined);
  }

  reset(): void {
    this.c.fdb_transaction_reset(this.handle);
  }

  cancel(): void {
    this.c.fdb_transaction_cancel(this.handle);
  }

  /** Destroys the handle (an uncommitted transaction rolls back). Safe to call twice. */
  destroy(): void {
    if (this.handle === null) return;
    this.c.fdb_transaction_destroy(this.handle);
    this.handle = null;
  }
}

export class FdbDatabase {
  constructor(
    private readonly client: FdbClient,
    private handle: Ptr,
  ) {}

  setOption(option: number, value: Uint8Array | null = null): void {
    const code = this.client.lib.c.fdb_database_set_option(this.handle, option, value, value === null ? 0 : value.length);
    if (code !== 0) throw this.client.futures.error(code);
  }

  createTransaction(): FdbTransaction {
    const out = this.client.out;
    this.client.check(this.client.lib.c.fdb_database_create_transaction(this.handle, out.pointer));
    return new FdbTransaction(this.client, toPtr(out.pointer[0]!));
  }

  destroy(): void {
    if (this.handle === null) return;
    this.client.lib.c.fdb_database_destroy(this.handle);
    this.handle = null;
  }
}

/** Bigint addresses read from out-parameters, as the runtime's FFI takes them back. */
function toPtr(address: bigint): Ptr {
  return address <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(address) : address;
}

export class FdbClient {
  readonly futures: FutureTable;
  /** @internal */
  readonly out = new OutParams();
  /** fdb_run_network's result, or null when another copy of this module runs the network. */
  private readonly network: Promise<number> | null;
  private stopping: Promise<void> | null = null;

  private constructor(
    readonly lib: FdbNativeLibrary,
    readonly apiVersion: number,
    runNetwork: boolean,
  ) {
    this.futures = new FutureTable(lib);
    this.network = runNetwork ? lib.runNetwork() : null;
  }

  /**
   * Selects the API version (730, or the newest the library allows, at least
   * 710), sets up the network and starts its thread. Once per process: a
   * second call returns the running client, and must name the same library.
   */
  static start(lib: FdbNativeLibrary): FdbClient {
    if (running !== null) {
      if (running.lib.path !== lib.path) {
        throw new Error(
          `the FoundationDB client is already running from ${running.lib.path}; one process loads one libfdb_c (asked for ${lib.path})`,
        );
      }
      return running;
    }
    const c = lib.c;
    const max = c.fdb_get_max_api_version();
    if (max < MINIMUM_API_VERSION) {
      throw new Error(
        `libfdb_c at ${lib.path} supports API version ${max} at most; materia needs ${MINIMUM_API_VERSION} or later: install the FoundationDB 7.1+ client package`,
      );
    }
    const version = Math.min(PREFERRED_API_VERSION, max);
    const select = c.fdb_select_api_version_impl(version, version);
    if (select !== 0) throw new Error(`fdb_select_api_version(${version}) failed: ${c.fdb_get_error(select)} (${select})`);
    const setup = c.fdb_setup_network();
    // Already set up in this process by another copy of this module: `deno test` runs each test
    // file in an isolate of its own, over the one loaded library, whose network is running.
    const elsewhere = setup === FdbErrorCode.NETWORK_ALREADY_SETUP;
    if (setup !== 0 && !elsewhere) throw new Error(`fdb_setup_network failed: ${c.fdb_get_error(setup)} (${setup})`);
    running = new FdbClient(lib, version, !elsewhere);
    return running;
  }

  /** The running client, if any. */
  static get current(): FdbClient | null {
    return running;
  }

  /** fdb_create_database: `clusterFile` undefined means FoundationDB's default lookup. */
  createDatabase(clusterFile?: string): FdbDatabase {
    const path = clusterFile === undefined || clusterFile === "" ? null : cString(clusterFile);
    this.check(this.lib.c.fdb_create_database(path, this.out.pointer));
    return new FdbDatabase(this, toPtr(this.out.pointer[0]!));
  }

  /** Whether `code` may be retried through on_error. */
  isRetryable(code: number): boolean {
    return this.lib.c.fdb_error_predicate(ErrorPredicate.RETRYABLE, code) !== 0;
  }

  /** Whether a commit that failed with `code` may nevertheless have been applied. */
  maybeCommitted(code: number): boolean {
    return this.lib.c.fdb_error_predicate(ErrorPredicate.MAYBE_COMMITTED, code) !== 0;
  }

  /** Throws the FdbError of a nonzero fdb_error_t. */
  check(code: number): void {
    if (code !== 0) throw this.futures.error(code);
  }

  /**
   * fdb_stop_network, then waits for fdb_run_network to return (api-c.html:
   * exiting before that is undefined behaviour). The network cannot be
   * started again in this process.
   */
  stopNetwork(): Promise<void> {
    if (this.stopping === null) {
      const network = this.network;
      this.stopping = network === null ? Promise.resolve() : (async () => {
        this.check(this.lib.c.fdb_stop_network());
        const code = await network;
        if (code !== 0) throw this.futures.error(code);
      })();
    }
    return this.stopping;
  }
}

let running: FdbClient | null = null;

export { FdbError };
