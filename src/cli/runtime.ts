// What the CLI needs from the runtime it runs on. Implemented by
// src/adapter/bun and src/adapter/deno, the only code that touches Bun.* or Deno.*.
import type { Engine } from "../engine/contract.ts";
import type { ProcessHost } from "../commands/spec.ts";
import type { Listen } from "../server/transport.ts";

export interface Runtime {
  readonly name: "bun" | "deno";
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly pid: number;
  readonly executable: string;
  /** Memory, CPU and platform of this process, for INFO. */
  readonly processHost: ProcessHost;
  readonly listen: Listen;
  /** Opens the durable SQLite engine in `directory` (created when missing). */
  openSqliteEngine(directory: string): Promise<Engine>;
  /**
   * Opens the FoundationDB engine (libfdb_c from FDB_LIBRARY_PATH, else the
   * system loader's). The adapter imports its FFI lazily, only when asked.
   */
  openFdbEngine(options: { readonly clusterFile: string | undefined }): Promise<Engine>;
  /** Calls `handler` each time the process receives `signal`. */
  onSignal(signal: "SIGINT" | "SIGTERM", handler: () => void): void;
}
