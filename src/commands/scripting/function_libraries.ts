// Each tenant's function libraries (FUNCTION LOAD ... FCALL): kept in the
// engine, as Redis keeps them in its RDB and AOF, so they survive a restart
// and every server of a FoundationDB cluster sees the same ones; compiled in
// the tenant's own Lua state on this server.
//
// The engine holds each library's code (in chunks within the value limit)
// and a version number that every change bumps. Every command that uses the
// libraries reads the version in its own transaction: a library changed
// meanwhile (here or through another server) makes this server compile the
// libraries again, and a FUNCTION LOAD that commits while an FCALL runs makes
// that FCALL conflict and run again with the new code.
import type { MaybePromise, Txn } from "../../engine/contract.ts";
import { then } from "../../engine/maybe_promise.ts";
import { MAX_VALUE_BYTES } from "../../engine/limits.ts";
import { unpackTuple } from "../../engine/tuple.ts";
import { tenantFunctionKey, tenantLibrariesRange } from "../../model/keyspace.ts";
import type { LuaModule } from "../../scripting/lua_runtime.ts";
import { type RegisteredFunction, type RunHost, ScriptState } from "../../scripting/script_state.ts";
import { REDIS_VERSION_INFO } from "./script_version.ts";
import { compilableBody } from "./shebang.ts";

/** A library's code may take this many bytes, and a tenant's libraries together this many. */
export const MAX_LIBRARY_BYTES = 4 * 1024 * 1024;
export const MAX_TENANT_LIBRARY_BYTES = 16 * 1024 * 1024;
/** FUNCTION LOAD's limit on the time the library's code runs (Redis's). */
export const LOAD_TIMEOUT_MS = 500;
/** Bytes of code per engine value. */
const CHUNK_BYTES = MAX_VALUE_BYTES - 1024;

export interface FunctionEntry {
  /** As registered (FUNCTION LIST shows it); FCALL finds it by its lower-case name. */
  readonly name: string;
  readonly library: Library;
  readonly registered: RegisteredFunction;
  readonly flags: readonly string[];
  readonly description: Uint8Array | undefined;
}

export interface Library {
  readonly name: string;
  readonly code: Uint8Array;
  readonly functions: readonly FunctionEntry[];
}

/** A tenant's libraries as compiled on this server, at one version of the engine's. */
export interface TenantLibraries {
  readonly version: bigint;
  /** The Lua state they are compiled in; made when the first library is. */
  state: ScriptState | undefined;
  readonly libraries: ReadonlyMap<string, Library>;
  /** By lower-case name. */
  readonly functions: ReadonlyMap<string, FunctionEntry>;
}

/** The first line of a library: `#!lua name=<library>`; Redis's error for a bad one. */
export function readLibraryHeader(code: Uint8Array): { readonly name: string } | string {
  if (code.length < 2 || code[0] !== 0x23 || code[1] !== 0x21) return "ERR Missing library metadata";
  const end = code.indexOf(0x0a);
  if (end < 0) return "ERR Invalid library metadata";
  const parts = new TextDecoder().decode(code.subarray(2, end)).split(" ").filter((part) => part !== "");
  const engine = parts[0] ?? "";
  if (engine.toLowerCase() !== "lua") return `ERR Engine '${engine}' not found`;
  let name: string | undefined;
  for (const part of parts.slice(1)) {
    const equals = part.indexOf("=");
    if (equals < 0 || part.slice(0, equals).toLowerCase() !== "name") return `ERR Invalid metadata value given: ${part}`;
    if (name !== undefined) return "ERR Invalid metadata value, name argument was given multiple times";
    name = part.slice(equals + 1);
  }
  if (name === undefined) return "ERR Library name was not given";
  if (!/^[A-Za-z0-9_]+$/.test(name)) return "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";
  return { name };
}


/** A host for library code at load time: it may log, nothing else. */
function loadingHost(clock: () => number, log: (level: number, message: string) => void): RunHost {
  return {
    call: () => {
      throw new Error("redis.call is not available while a library loads");
    },
    mayRun: () => false,
    log,
    now: clock,
  };
}

export class FunctionLibraries {
  private readonly tenants = new Map<string, TenantLibraries>();

  constructor(
    private readonly lua: () => LuaModule,
    private readonly clock: () => number,
    private readonly log: (level: number, message: string) => void,
  ) {}

  /** The tenant's libraries as this server last saw them, if it has (FUNCTION STATS during a busy script). */
  known(tenant: string): TenantLibraries | undefined {
    return this.tenants.get(tenant);
  }

  /** The tenant's libraries as of `tx` (compiled again here when another command or server changed them). */
  current(tx: Txn, tenant: string): MaybePromise<TenantLibraries> {
    return then(tx.get(tenantFunctionKey(tenant, "version")), (stored) => {
      const version = stored === undefined ? 0n : decodeVersion(stored);
      const known = this.tenants.get(tenant);
      if (known !== undefined && known.version === version) return known;
      return then(this.readCodes(tx, tenant), (codes) => {
        const built = this.build(tenant, version, codes);
        // The old state is closed once the runs under way in it end.
        known?.state?.retire();
        this.tenants.set(tenant, built);
        return built;
      });
    });
  }

  /**
   * Compiles `code` as a library into the tenant's current state, checked
   * against the others (`replacing` leaves out the library of that name);
   * its functions, or Redis's error text.
   */
  compile(current: TenantLibraries, code: Uint8Array, replacing: string | undefined): Library | string {
    const header = readLibraryHeader(code);
    if (typeof header === "string") return header;
    if (code.length > MAX_LIBRARY_BYTES) return `ERR library '${header.name}' has ${code.length} bytes of code, more than Materia's limit of ${MAX_LIBRARY_BYTES}: split it into several libraries`;
    const state = (current.state ??= new ScriptState(this.lua(), "function", REDIS_VERSION_INFO));
    const loaded = state.loadLibrary(compilableBody(code), loadingHost(this.clock, this.log), LOAD_TIMEOUT_MS);
    if ("error" in loaded) return loaded.error;
    if (loaded.functions.length === 0) return "ERR No functions registered";
    const functions: FunctionEntry[] = [];
    const library: Library = { name: header.name, code, functions };
    for (const registered of loaded.functions) {
      const clash = current.functions.get(registered.name.toLowerCase());
      if (clash !== undefined && clash.library.name !== replacing) {
        for (const fn of loaded.functions) state.release(fn.ref);
        return `ERR Function ${registered.name} already exists`;
      }
      functions.push({ name: registered.name, library, registered, flags: registered.flags, description: registered.description });
    }
    return library;
  }

  /** Writes the tenant's libraries as `libraries` (whole), in `tx`; installed here once `tx` commits (afterCommit). */
  write(tx: Txn, tenant: string, current: TenantLibraries, libraries: ReadonlyMap<string, Library>): string | (() => void) {
    let total = 0;
    for (const library of libraries.values()) total += library.code.length;
    if (total > MAX_TENANT_LIBRARY_BYTES) return `ERR the tenant's libraries would take ${total} bytes, more than Materia's limit of ${MAX_TENANT_LIBRARY_BYTES}: delete some (FUNCTION DELETE)`;
    for (const [name, library] of current.libraries) {
      if (libraries.get(name) !== library) tx.clearRange(libraryRange(tenant, name));
    }
    for (const [name, library] of libraries) {
      if (current.libraries.get(name) === library) continue;
      for (let offset = 0, chunk = 0; offset < library.code.length; offset += CHUNK_BYTES, chunk++) {
        tx.set(tenantFunctionKey(tenant, "library", name, chunk), library.code.subarray(offset, offset + CHUNK_BYTES));
      }
    }
    const version = current.version + 1n;
    tx.set(tenantFunctionKey(tenant, "version"), encodeVersion(version));
    return () => {
      // A later command of the same transaction (EXEC) may have read the libraries again, from this very
      // write: its view is newer than `current` and already holds this change, so it stays.
      if (this.tenants.get(tenant) !== current) return;
      const functions = new Map<string, FunctionEntry>();
      for (const library of libraries.values()) for (const fn of library.functions) functions.set(fn.name.toLowerCase(), fn);
      // Callbacks of libraries replaced or deleted are dropped from the state.
      for (const [name, library] of current.libraries) {
        if (libraries.get(name) !== library) for (const fn of library.functions) current.state?.release(fn.registered.ref);
      }
      this.tenants.set(tenant, { version, state: current.state, libraries, functions });
    };
  }


  private readCodes(tx: Txn, tenant: string): MaybePromise<Map<string, Uint8Array>> {
    return then(tx.getRange(tenantLibrariesRange(tenant)), (rows) => {
      const parts = new Map<string, Uint8Array[]>();
      for (const { key, value } of rows) {
        const name = libraryNameOf(key);
        let list = parts.get(name);
        if (list === undefined) parts.set(name, (list = []));
        list.push(value);
      }
      const codes = new Map<string, Uint8Array>();
      for (const [name, list] of parts) codes.set(name, concat(list));
      return codes;
    });
  }

  /** Compiles every stored library in a new state. A library that no longer loads is skipped and logged. */
  private build(tenant: string, version: bigint, codes: ReadonlyMap<string, Uint8Array>): TenantLibraries {
    const state = codes.size === 0 ? undefined : new ScriptState(this.lua(), "function", REDIS_VERSION_INFO);
    const libraries = new Map<string, Library>();
    const functions = new Map<string, FunctionEntry>();
    let current: TenantLibraries = { version, state, libraries, functions };
    for (const code of codes.values()) {
      const library = this.compile(current, code, undefined);
      if (typeof library === "string") {
        this.log(3, `tenant=${tenant}: a stored function library does not load and is skipped: ${library}`);
        continue;
      }
      libraries.set(library.name, library);
      for (const fn of library.functions) functions.set(fn.name.toLowerCase(), fn);
      current = { version, state, libraries, functions };
    }
    return current;
  }
}

function libraryRange(tenant: string, name: string): { start: Uint8Array; end: Uint8Array } {
  const start = tenantFunctionKey(tenant, "library", name);
  const end = new Uint8Array(start.length + 1);
  end.set(start);
  end[start.length] = 0xff;
  return { start, end };
}

/** The library name in a key of tenantLibrariesRange: (null, "f", tenant, "library", name, chunk). */
function libraryNameOf(key: Uint8Array): string {
  return String(unpackTuple(key)[4]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function encodeVersion(version: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, version, true);
  return out;
}

function decodeVersion(bytes: Uint8Array): bigint {
  return bytes.length === 8 ? new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true) : 0n;
}
