// Opening the FoundationDB engine, the same on every runtime: find libfdb_c,
// load it through the runtime's FFI (the adapter's one job), open the engine.
import { EngineError } from "../errors.ts";
import { fdbLibraryPath, libraryMissingMessage } from "./cluster_file.ts";
import { FdbEngine, type FdbEngineOptions } from "./engine.ts";
import type { FdbNativeLibrary } from "./fdb_c.ts";

export interface OpenFdbEngineOptions extends Omit<FdbEngineOptions, "library"> {
  /** The environment: FDB_LIBRARY_PATH names the library, else the system loader finds libfdb_c. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The runtime's FFI: dlopen the library at `path` (adapter/<runtime>/fdb_ffi.ts). */
  readonly loadLibrary: (path: string) => FdbNativeLibrary;
}

/** Opens the FoundationDB engine with libfdb_c from FDB_LIBRARY_PATH, else the system loader's libfdb_c. */
export function openFdbEngine(options: OpenFdbEngineOptions): Promise<FdbEngine> {
  const { env, loadLibrary, ...engineOptions } = options;
  const path = fdbLibraryPath(env);
  let library: FdbNativeLibrary;
  try {
    library = loadLibrary(path);
  } catch (error) {
    return Promise.reject(new EngineError("storage_failure", libraryMissingMessage(path, error), { cause: error }));
  }
  return FdbEngine.open({ ...engineOptions, library });
}
