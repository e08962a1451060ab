// `materia serve`: build the engine, the authenticator and the server from
// the configuration, listen, and shut down gracefully on SIGINT/SIGTERM.
import { openAccess, staticPassword } from "../auth/static_password.ts";
import { ConfigError, parseServeConfig, serveHelp, type ServeConfig } from "../config/serve_config.ts";
import type { Engine } from "../engine/contract.ts";
import { MemoryEngine } from "../engine/memory/engine.ts";
import { MateriaServer } from "../server/server.ts";
import type { Runtime } from "./runtime.ts";
import { MATERIA_VERSION } from "./version.ts";

/** The engine is chosen here, by one switch. */
function openEngine(config: ServeConfig, runtime: Runtime): Promise<Engine> {
  switch (config.engine) {
    case "memory":
      return Promise.resolve(new MemoryEngine());
    case "sqlite":
      return runtime.openSqliteEngine(config.dataDirectory);
  }
}

export async function serve(args: readonly string[], runtime: Runtime): Promise<number> {
  let config: ServeConfig;
  try {
    const parsed = parseServeConfig(args, runtime.env);
    if (parsed === "help") {
      console.log(serveHelp());
      return 0;
    }
    config = parsed;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`materia serve: ${error.message}`);
      return 2;
    }
    throw error;
  }

  let engine: Engine;
  try {
    engine = await openEngine(config, runtime);
  } catch (error) {
    console.error(`materia serve: cannot open the ${config.engine} engine: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const auth = config.auth.mode === "password" ? staticPassword(config.auth.password) : openAccess();
  const server = new MateriaServer({
    engine,
    auth,
    version: MATERIA_VERSION,
    dataDirectory: config.engine === "sqlite" ? config.dataDirectory : "",
    maxClients: config.maxClients,
    pid: runtime.pid,
    executable: runtime.executable,
  });
  let listener;
  try {
    listener = await server.listen(runtime.listen, { host: config.host, port: config.port });
  } catch (error) {
    await engine.close();
    console.error(
      `materia serve: cannot listen on ${config.host}:${config.port}: ${error instanceof Error ? error.message : String(error)}; ` +
        `choose another --port or stop what uses it`,
    );
    return 1;
  }
  // Handlers first: a signal sent the moment the ready line appears must still stop gracefully.
  const stopped = new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return; // a second signal while stopping changes nothing
      stopping = true;
      console.log(`materia: ${signal} received, finishing in-flight commands`);
      await server.shutdown();
      console.log("materia: stopped");
      resolve(0);
    };
    runtime.onSignal("SIGINT", () => stop("SIGINT"));
    runtime.onSignal("SIGTERM", () => stop("SIGTERM"));
  });
  const where = config.engine === "sqlite" ? `sqlite engine in ${config.dataDirectory}` : "memory engine (not durable)";
  const authHint = config.auth.mode === "password" ? " -a <MATERIA_PASSWORD>" : "";
  console.log(
    `materia ${MATERIA_VERSION} ready on ${listener.host}:${listener.port} (${where}, auth ${config.auth.mode}); ` +
      `connect with: redis-cli -h ${listener.host} -p ${listener.port}${authHint}`,
  );
  return stopped;
}
