// `materia serve`: build the engine, the authenticator and the server from
// the configuration, listen, and shut down gracefully on SIGINT/SIGTERM.
import { type AuthSetup, setUpAuth } from "./auth_setup.ts";
import { ConfigError, parseServeConfig, serveHelp, type ServeConfig } from "../config/serve_config.ts";
import { NOTIFY_NONE, parseNotifyFlags } from "../core/notify_keyspace_events.ts";
import type { Engine } from "../engine/contract.ts";
import { MemoryEngine } from "../engine/memory/engine.ts";
import { defaultClientLimits, MateriaServer } from "../server/server.ts";
import type { Runtime } from "./runtime.ts";
import { MATERIA_VERSION } from "./version.ts";

/** The engine is chosen here, by one switch. */
function openEngine(config: ServeConfig, runtime: Runtime): Promise<Engine> {
  switch (config.engine) {
    case "memory":
      return Promise.resolve(new MemoryEngine());
    case "sqlite":
      return runtime.openSqliteEngine(config.dataDirectory);
    case "fdb":
      return runtime.openFdbEngine({ clusterFile: config.fdbClusterFile });
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

  const notifyKeyspaceEvents = config.notifyKeyspaceEvents === undefined ? NOTIFY_NONE : parseNotifyFlags(config.notifyKeyspaceEvents);
  if (notifyKeyspaceEvents === undefined) {
    console.error(`materia serve: --notify-keyspace-events (or MATERIA_NOTIFY_KEYSPACE_EVENTS) must be letters of Ag$lshzxeKEtmdn, not '${config.notifyKeyspaceEvents}'`);
    return 2;
  }
  let engine: Engine;
  try {
    engine = await openEngine(config, runtime);
  } catch (error) {
    console.error(`materia serve: cannot open the ${config.engine} engine: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  let authSetup: AuthSetup;
  try {
    authSetup = await setUpAuth(config);
  } catch (error) {
    await engine.close();
    console.error(`materia serve: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const auth = authSetup.auth;
  // SHUTDOWN stops the process as SIGTERM does; the handler is known once the signal handlers are set.
  let stopRequested: (reason: string) => void = () => {};
  const server = new MateriaServer({
    engine,
    auth,
    version: MATERIA_VERSION,
    dataDirectory: config.engine === "sqlite" ? config.dataDirectory : "",
    maxClients: config.maxClients,
    maxClientsPerAddress: config.maxClientsPerAddress,
    authTimeoutSeconds: config.authTimeoutSeconds,
    clientLimits: {
      idleTimeoutSeconds: config.idleTimeoutSeconds,
      tcpKeepAliveSeconds: config.tcpKeepAliveSeconds,
      ...(config.outputBufferLimit ? { outputBuffer: { ...defaultClientLimits().outputBuffer, normal: config.outputBufferLimit } } : {}),
    },
    storageQuotaBytes: config.storageQuotaBytes,
    maxRequestBytes: config.maxRequestBytes,
    notifyKeyspaceEvents,
    pid: runtime.pid,
    executable: runtime.executable,
    processHost: runtime.processHost,
    onShutdownRequest: () => stopRequested("SHUTDOWN"),
  });
  let listener;
  let tlsListener;
  let binding = `${config.host}:${config.port}`;
  try {
    listener = await server.listen(runtime.listen, { host: config.host, port: config.port });
    if (config.tls) {
      binding = `${config.host}:${config.tls.port} (TLS)`;
      tlsListener = await server.listen(runtime.listen, { host: config.host, port: config.tls.port, tls: config.tls });
    }
  } catch (error) {
    await server.shutdown({ timeoutMs: 0 });
    console.error(
      `materia serve: cannot listen on ${binding}: ${error instanceof Error ? error.message : String(error)}; ` +
        `choose another ${config.tls && tlsListener === undefined && listener ? "--tls-port" : "--port"} or stop what uses it` +
        (config.tls ? ", and check that the certificate and key are PEM and match" : ""),
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
    stopRequested = (reason) => void stop(reason);
    runtime.onSignal("SIGINT", () => stop("SIGINT"));
    runtime.onSignal("SIGTERM", () => stop("SIGTERM"));
  });
  const where = config.engine === "sqlite"
    ? `sqlite engine in ${config.dataDirectory}`
    : config.engine === "fdb"
    ? `fdb engine, cluster file ${config.fdbClusterFile ?? "by FoundationDB's default lookup"}`
    : "memory engine (not durable)";
  const authHint = config.auth.mode === "password" ? " -a <MATERIA_PASSWORD>" : config.auth.mode === "token" ? " -a <token>" : "";
  console.log(
    `materia ${MATERIA_VERSION} ready on ${listener.host}:${listener.port} (${where}, auth ${config.auth.mode}); ` +
      `connect with: redis-cli -h ${listener.host} -p ${listener.port}${authHint}`,
  );
  console.log(
    tlsListener
      ? `materia: TLS ready on ${tlsListener.host}:${tlsListener.port}; connect with: redis-cli --tls --cacert <ca.pem> -h ${tlsListener.host} -p ${tlsListener.port}${authHint}`
      : "materia: no TLS certificate (--tls-cert/--tls-key or MATERIA_TLS_CERT/MATERIA_TLS_KEY): serving plain TCP only",
  );
  for (const line of authSetup.notes) console.log(line);
  return stopped;
}
