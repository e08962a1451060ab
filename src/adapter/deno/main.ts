// Entry point on Deno: `deno run -A src/adapter/deno/main.ts serve`.
import { main } from "../../cli/main.ts";
import type { Runtime } from "../../cli/runtime.ts";
import { SqliteEngine } from "../../engine/sqlite/engine.ts";
import { denoListen } from "./listener.ts";
import { openSqlite } from "./sqlite_driver.ts";
import { openFdbEngine } from "../../engine/fdb/open_engine.ts";
import { nodeProcessHost } from "../process_host.ts";

const runtime: Runtime = {
  name: "deno",
  args: Deno.args,
  env: Deno.env.toObject(),
  pid: Deno.pid,
  executable: Deno.execPath(),
  processHost: nodeProcessHost(`Deno ${Deno.version.deno}`),
  listen: denoListen,
  openSqliteEngine: (directory) => SqliteEngine.open(directory, { openDriver: openSqlite }),
  // The FFI to libfdb_c is loaded only when --engine fdb asks for it.
  openFdbEngine: async ({ clusterFile }) =>
    openFdbEngine({ clusterFile, env: Deno.env.toObject(), stopNetworkOnClose: true, loadLibrary: (await import("./fdb_ffi.ts")).loadFdbLibrary }),
  onSignal: (signal, handler) => Deno.addSignalListener(signal, handler),
};

const code = await main(runtime);
Deno.exit(code);
