// Entry point on Bun (and of the compiled `materia` binary).
import { provideBiscuitWasm } from "../../auth/biscuit_wasm.ts";
import { provideLuaWasm } from "../../scripting/lua_runtime.ts";
import { main } from "../../cli/main.ts";
import type { Runtime } from "../../cli/runtime.ts";
import { openFdbEngine } from "../../engine/fdb/open_engine.ts";
import { SqliteEngine } from "../../engine/sqlite/engine.ts";
import { nodeProcessHost } from "../process_host.ts";
import { bunListen } from "./listener.ts";
import { openSqlite } from "./sqlite_driver.ts";

// Embedded in the compiled binary, which has no node_modules to read it from.
// @ts-expect-error: tsc has no declaration for a relative .wasm path; Bun gives a file path for `type: "file"`.
import biscuitWasmPath from "../../../node_modules/@biscuit-auth/biscuit-wasm/module/biscuit_bg.wasm" with { type: "file" };
// The glue's source too, inlined at build time: private verifier instances import copies of it.
import { biscuitGlueSource } from "./biscuit_glue_source.ts" with { type: "macro" };
const biscuitGlueText = biscuitGlueSource();
provideBiscuitWasm(() => Bun.file(biscuitWasmPath).bytes(), () => Promise.resolve(biscuitGlueText));
// The Lua virtual machine of scripts (wasmoon), embedded the same way.
// @ts-expect-error: tsc has no declaration for a relative .wasm path; Bun gives a file path for `type: "file"`.
import luaWasmPath from "../../../node_modules/wasmoon/dist/glue.wasm" with { type: "file" };
provideLuaWasm(luaWasmPath);

const runtime: Runtime = {
  name: "bun",
  args: Bun.argv.slice(2),
  env: process.env,
  pid: process.pid,
  executable: process.execPath,
  processHost: nodeProcessHost(`Bun ${Bun.version}`),
  listen: bunListen,
  openSqliteEngine: (directory) => SqliteEngine.open(directory, { openDriver: openSqlite }),
  // The FFI to libfdb_c is loaded only when --engine fdb asks for it.
  openFdbEngine: async ({ clusterFile }) =>
    openFdbEngine({ clusterFile, env: process.env, stopNetworkOnClose: true, loadLibrary: (await import("./fdb_ffi.ts")).loadFdbLibrary }),
  onSignal: (signal, handler) => process.on(signal, handler),
};

const code = await main(runtime);
process.exit(code);
