// Where the FoundationDB client library and the cluster file are, and the
// messages that say how to fix a missing one. FoundationDB's own lookup
// (api-general.html#cluster-file): the explicit path, then FDB_CLUSTER_FILE,
// then ./fdb.cluster, then the platform's default file. We follow it before
// calling fdb_create_database so that a missing file fails at once, naming
// every place looked at, instead of deep inside the client.
import { accessSync, constants } from "node:fs";
import { platform } from "node:process";

const DEFAULT_CLUSTER_FILE = platform === "darwin" ? "/usr/local/etc/foundationdb/fdb.cluster" : "/etc/foundationdb/fdb.cluster";

/** The library the system loader finds when FDB_LIBRARY_PATH is not set. */
export const DEFAULT_LIBRARY = platform === "darwin" ? "libfdb_c.dylib" : "libfdb_c.so";

export function fdbLibraryPath(env: Readonly<Record<string, string | undefined>>): string {
  const fromEnv = env.FDB_LIBRARY_PATH;
  return fromEnv === undefined || fromEnv === "" ? DEFAULT_LIBRARY : fromEnv;
}

/** The message for a libfdb_c that could not be loaded. */
export function libraryMissingMessage(path: string, cause: unknown): string {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return (
    `cannot load the FoundationDB client library ${path} (${detail}); ` +
    `install the FoundationDB client package (foundationdb-clients 7.1 or later, from github.com/apple/foundationdb/releases) ` +
    `or set FDB_LIBRARY_PATH to the full path of libfdb_c`
  );
}

export class ClusterFileError extends Error {
  override readonly name = "ClusterFileError";
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The cluster file FoundationDB will use: `explicit` (the flag or
 * FDB_CLUSTER_FILE) when given, else the first of the default places that
 * exists. Throws ClusterFileError naming what was tried and how to fix it.
 */
export function resolveClusterFile(explicit: string | undefined): string {
  if (explicit !== undefined && explicit !== "") {
    if (readable(explicit)) return explicit;
    throw new ClusterFileError(
      `the FoundationDB cluster file ${explicit} does not exist or is not readable; ` +
        `pass the path of your cluster's fdb.cluster with --fdb-cluster-file (or FDB_CLUSTER_FILE)`,
    );
  }
  for (const candidate of ["fdb.cluster", DEFAULT_CLUSTER_FILE]) {
    if (readable(candidate)) return candidate;
  }
  throw new ClusterFileError(
    `no FoundationDB cluster file found (looked for ./fdb.cluster and ${DEFAULT_CLUSTER_FILE}); ` +
      `pass the path of your cluster's fdb.cluster with --fdb-cluster-file (or FDB_CLUSTER_FILE)`,
  );
}
