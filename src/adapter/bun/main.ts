// Entry point on Bun (and of the compiled `materia` binary).
import { main } from "../../cli/main.ts";
import type { Runtime } from "../../cli/runtime.ts";
import { SqliteEngine } from "../../engine/sqlite/engine.ts";
import { bunListen } from "./listener.ts";
import { openSqlite } from "./sqlite_driver.ts";

const runtime: Runtime = {
  name: "bun",
  args: Bun.argv.slice(2),
  env: process.env,
  pid: process.pid,
  executable: process.execPath,
  listen: bunListen,
  openSqliteEngine: (directory) => SqliteEngine.open(directory, { openDriver: openSqlite }),
  onSignal: (signal, handler) => process.on(signal, handler),
};

const code = await main(runtime);
process.exit(code);
