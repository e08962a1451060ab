// The Materia server: owns the engine, the connections and the listeners,
// and offers commands the services they need (ServerServices).
import { ClientPauses } from "../commands/client_pauses.ts";
import { ScriptingService } from "../commands/scripting/scripting_service.ts";
import type { Authenticator, ClientLimits, CommandTable, ProcessHost, ProcessMetrics, ServerInfo, ServerServices, Session, TenantFigures } from "../commands/spec.ts";
import { buildCommandTable } from "../commands/table.ts";
import type { Engine } from "../engine/contract.ts";
import { Keyspace } from "../model/keyspace.ts";
import { CommandStats } from "./command_stats.ts";
import { LatencyMonitor } from "./latency_monitor.ts";
import { Monitors } from "./monitors.ts";
import { SlowLog } from "./slow_log.ts";
import { observeSlowCommand, type SlowCommandRun } from "./slow_commands.ts";
import { Connection } from "./connection.ts";
import type { ConnectionHost } from "./connection_host.ts";
import { Admission, authTimeoutExpired, PUSHED_OUT_BEFORE_AUTH } from "./admission.ts";
import { ExpirySweeper } from "./expiry_sweeper.ts";
import { Executor } from "../core/executor.ts";
import { KeyEvents } from "../core/key_events.ts";
import { DatabaseMaps } from "../core/database_maps.ts";
import { AccessTimes } from "../core/access_times.ts";
import { ChannelHub } from "../core/pubsub/channel_hub.ts";
import { MessageBus } from "../core/pubsub/message_bus.ts";
import type { PubSub } from "../commands/spec.ts";
import { keyspaceEventRouter } from "../core/keyspace_channels.ts";
import { NotificationSettings } from "../core/notification_settings.ts";
import { RememberedConfig } from "../core/remembered_config.ts";
import type { NotifyFlags } from "../core/notify_keyspace_events.ts";
import { ScanCursorTable } from "./scan_cursors.ts";
import { InMemoryWatchRegistry } from "./watch_registry.ts";
import { TrackingRegistry } from "./tracking/registry.ts";
import type { Listen, Listener, ListenOptions, SocketEvents, TransportSocket } from "./transport.ts";
import { TenantUsage } from "./tenant_usage.ts";
import { TenantStats } from "./tenant_stats.ts";
import { readUsage } from "../model/storage_usage.ts";
import { DATABASE_COUNT, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_STORAGE_QUOTA_BYTES } from "../model/limits.ts";


export interface ServerOptions {
  readonly engine: Engine;
  readonly auth: Authenticator;
  readonly version: string;
  readonly dataDirectory: string;
  readonly maxClients?: number;
  /** Most clients from one source address (default 1000; 0: no limit). */
  readonly maxClientsPerAddress?: number;
  /** Seconds a client may stay connected without authenticating, when auth is required (default 10; 0: no limit). */
  readonly authTimeoutSeconds?: number;
  readonly clock?: () => number;
  readonly pid?: number;
  readonly executable?: string;
  /** The runtime's process figures (INFO memory, cpu, os); absent in tests: zeros and "unknown". */
  readonly processHost?: ProcessHost;
  /** How often the background expiry sweeper looks for due keys (default 100 ms). */
  readonly sweepIntervalMs?: number;
  /** Bytes each tenant may store (default 128 MB, Materia KV's quota). */
  readonly storageQuotaBytes?: number;
  /** Largest request a client may send, all arguments together (default 5 MB). */
  readonly maxRequestBytes?: number;
  /** Idle timeout, TCP keepalive and output buffer limits (DEFAULT_CLIENT_LIMITS where not given). */
  readonly clientLimits?: Partial<ClientLimits>;
  /** `notify-keyspace-events` of tenants that set none (default: off). */
  readonly notifyKeyspaceEvents?: NotifyFlags;
  /**
   * SHUTDOWN from the operator: what stops the process (`materia serve` stops
   * as on SIGTERM). Absent: the server shuts itself down.
   */
  readonly onShutdownRequest?: () => void;
}

/** How long a graceful stop waits for clients to close after their last reply. */
const LINGER_MS = 2_000;

/**
 * Redis's defaults, except the output buffer limit of normal clients: Redis
 * leaves it unlimited, so a client that sends commands and never reads the
 * replies grows the server's memory without bound; Materia applies the limit
 * Redis gives replicas.
 */
export function defaultClientLimits(): ClientLimits {
  return {
    idleTimeoutSeconds: 0,
    tcpKeepAliveSeconds: 300,
    outputBuffer: {
      normal: { hardBytes: 256 * 2 ** 20, softBytes: 64 * 2 ** 20, softSeconds: 60 },
      replica: { hardBytes: 256 * 2 ** 20, softBytes: 64 * 2 ** 20, softSeconds: 60 },
      pubsub: { hardBytes: 32 * 2 ** 20, softBytes: 8 * 2 ** 20, softSeconds: 60 },
    },
    trackingTableMaxKeys: 1_000_000,
  };
}

/** How often clients are checked for idleness, unread output and missing AUTH. */
const IDLE_CHECK_MS = 250;

/** The defaults of `materia serve` (src/config/serve_config.ts), for servers built in code. */
export const DEFAULT_MAXCLIENTS_PER_ADDRESS = 1000;
export const DEFAULT_AUTH_TIMEOUT_SECONDS = 10;
const DEFAULT_MAX_CLIENTS = 10_000;

export class MateriaServer implements ConnectionHost, ServerServices {
  readonly engine: Engine;
  readonly auth: Authenticator;
  readonly commands: CommandTable = buildCommandTable();
  readonly cursors = new ScanCursorTable();
  readonly watches = new InMemoryWatchRegistry();
  /** Committed writes, told to WATCH and to clients waiting on keys. */
  readonly keyEvents = new KeyEvents();
  /** Each tenant's notify-keyspace-events. */
  readonly notifications: NotificationSettings;
  /** The CONFIG parameters accepted without effect, as each tenant set them. */
  readonly rememberedConfig: RememberedConfig;
  /** Client-side caching (CLIENT TRACKING): hears of committed writes through keyEvents. */
  readonly tracking: TrackingRegistry;
  /** Lua scripts: each tenant's script cache and the scripts running now. */
  readonly scripting = new ScriptingService();

  readonly executor: Executor;
  /** Each tenant's database map (SWAPDB), cached. */
  readonly databases: DatabaseMaps;
  /** When each key was last used (OBJECT IDLETIME). */
  readonly accessTimes: AccessTimes;
  readonly pubsub: PubSub;
  readonly stats = new CommandStats();
  readonly monitors: Monitors;
  readonly slowLog = new SlowLog();
  readonly latency = new LatencyMonitor();
  readonly pauses: ClientPauses;
  readonly clientLimits: ClientLimits;
  readonly usage: TenantUsage;
  readonly tenantStats = new TenantStats();
  readonly maxRequestBytes: number;
  private idleCheck: ReturnType<typeof setInterval> | undefined;
  readonly clock: () => number;
  private readonly connections = new Set<Connection>();
  private readonly admission: Admission<Connection>;
  private readonly keyspaces = new Map<string, Keyspace>();
  private readonly listeners: Listener[] = [];
  private readonly bindAddresses: string[] = [];
  private readonly startedAtMs: number;
  private readonly runId = randomHex(40);
  /** Ids of open connections, so that a random new one never equals a live one. */
  private readonly liveClientIds = new Set<number>();
  private totalConnections = 0;
  private totalCommands = 0;
  private shuttingDown = false;
  private stopping: Promise<void> | undefined;
  private readonly sweeper: ExpirySweeper;

  constructor(private readonly options: ServerOptions) {
    this.engine = options.engine;
    this.auth = options.auth;
    this.clock = options.clock ?? Date.now;
    this.monitors = new Monitors(this.clock);
    this.pauses = new ClientPauses(this.clock);
    this.clientLimits = { ...defaultClientLimits(), ...options.clientLimits };
    this.databases = new DatabaseMaps(this.engine, (tenant) => this.databasesSwapped(tenant));
    this.usage = new TenantUsage(options.storageQuotaBytes ?? DEFAULT_STORAGE_QUOTA_BYTES, (tenant, tx) => readUsage(tx, tenant), this.clock);
    this.maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
    this.keyEvents.subscribe(this.watches);
    const hub = new ChannelHub();
    this.pubsub = { hub, bus: new MessageBus(hub, this.engine.eventLog) };
    const notifications = new NotificationSettings({ engine: this.engine, clock: this.clock, defaultFlags: options.notifyKeyspaceEvents });
    this.notifications = notifications;
    this.rememberedConfig = new RememberedConfig(this.engine);
    this.pubsub.bus.routeKeyspaceEvents(keyspaceEventRouter((tenant) => notifications.effectiveFor(tenant)));
    this.tracking = new TrackingRegistry(this.clientLimits);
    this.keyEvents.subscribe(this.tracking);
    this.executor = new Executor({
      engine: this.engine,
      clock: this.clock,
      usage: this.usage,
      keyEvents: this.keyEvents,
      keyspaceOf: (tenant, db) => this.keyspaceOf(tenant, db),
      databases: this.databases,
      messages: this.pubsub.bus,
      notifying: (tenant) => notifications.notifying(tenant),
    });
    this.startedAtMs = this.clock();
    this.accessTimes = new AccessTimes({ startedAtMs: this.startedAtMs });
    this.admission = new Admission({
      maxClients: options.maxClients ?? DEFAULT_MAX_CLIENTS,
      maxClientsPerAddress: options.maxClientsPerAddress ?? DEFAULT_MAXCLIENTS_PER_ADDRESS,
      authRequired: options.auth.required,
    });
    this.sweeper = new ExpirySweeper({
      executor: this.executor,
      keyspaceOf: (tenant, db) => this.keyspaceOf(tenant, db),
      keyspaceOfSlot: (tenant, slot) => this.keyspaceOfSlot(tenant, slot),
      intervalMs: options.sweepIntervalMs,
      onUsage: (tenant, change) => this.usage.applied(tenant, change),
      onExpired: (tenant, keys) => (this.tenantStats.of(tenant).expiredKeys += keys),
    });
  }

  get services(): ServerServices {
    return this;
  }

  /** Binds a listener; returns it so the caller can print the port. */
  async listen(listen: Listen, options: ListenOptions): Promise<Listener> {
    const listener = await listen(options, (socket) => this.accept(socket));
    if (this.listeners.length === 0) {
      this.sweeper.start();
      this.idleCheck = setInterval(() => this.checkClients(), IDLE_CHECK_MS);
    }
    this.listeners.push(listener);
    this.bindAddresses.push(options.host);
    return listener;
  }

  accept(socket: TransportSocket): SocketEvents {
    const decision = this.shuttingDown ? undefined : this.admission.decide(socket.remoteAddress);
    if (decision === undefined || !decision.admit) {
      if (decision !== undefined) socket.write(new TextEncoder().encode(`-${decision.error}\r\n`));
      socket.end();
      return { data() {}, closed() {} };
    }
    if (decision.expel !== undefined) this.admission.expel(decision.expel, PUSHED_OUT_BEFORE_AUTH);
    const connection = new Connection(this, socket);
    this.connections.add(connection);
    this.admission.added(connection, connection.principal !== undefined);
    this.totalConnections++;
    return connection;
  }

  /**
   * Graceful stop: no new connections, no new commands; every command already
   * received gets its reply, then sockets close and the engine shuts down.
   */
  shutdown(options: { timeoutMs?: number } = {}): Promise<void> {
    // A SHUTDOWN and a signal, or a test's stop after a SHUTDOWN: one stop.
    this.stopping ??= this.stop(options);
    return this.stopping;
  }

  /** SHUTDOWN: stopped by whoever runs the server, else by itself (after the command's turn). */
  requestShutdown(): void {
    if (this.options.onShutdownRequest) this.options.onShutdownRequest();
    else setTimeout(() => void this.shutdown(), 0);
  }

  private async stop(options: { timeoutMs?: number }): Promise<void> {
    this.shuttingDown = true;
    await Promise.all(this.listeners.map((l) => l.close()));
    for (const connection of this.connections) connection.stop();
    // Commands CLIENT PAUSE holds run now, so that their connections can finish.
    this.pauses.stop();
    const deadline = this.clock() + (options.timeoutMs ?? 10_000);
    while ([...this.connections].some((c) => !c.idle) && this.clock() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    clearInterval(this.idleCheck);
    await this.sweeper.stop();
    this.pubsub.bus.close();
    await this.engine.close();
    // Sockets are half-closed after their last reply; give clients a moment to
    // read it and close their side, so that exiting does not reset a
    // connection whose unread replies are still in flight.
    const lingerUntil = this.clock() + LINGER_MS;
    while (this.connections.size > 0 && this.clock() < lingerUntil) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /**
   * Redis's `timeout`: clients idle that long are closed (a command in flight
   * is not idleness); and the soft output limit's clock of clients that
   * stopped reading.
   */
  private checkClients(): void {
    const authTimeout = this.options.authTimeoutSeconds ?? DEFAULT_AUTH_TIMEOUT_SECONDS;
    if (authTimeout > 0) {
      this.admission.expireAwaitingAuth(this.clock() - authTimeout * 1000, (c) => c.connectedAtMs, authTimeoutExpired(authTimeout));
    }
    const seconds = this.clientLimits.idleTimeoutSeconds;
    const idleSince = this.clock() - seconds * 1000;
    for (const connection of this.connections) {
      connection.checkOutput();
      if (seconds > 0) connection.closeIfIdleSince(idleSince);
    }
  }

  // ConnectionHost

  /**
   * CLIENT ID: random, not sequential, so that a tenant cannot count the
   * server's connections (or other tenants' activity) from its own ids. Any
   * safe integer: 2^53 values make a repeat after close as good as impossible.
   */
  nextClientId(): number {
    let id = randomClientId();
    while (this.liveClientIds.has(id)) id = randomClientId();
    this.liveClientIds.add(id);
    return id;
  }

  tenantCounters(tenant: string): TenantFigures {
    return this.tenantStats.of(tenant);
  }

  countCommand(): void {
    this.totalCommands++;
  }

  forget(connection: Connection): void {
    if (this.connections.delete(connection)) this.admission.removed(connection);
    this.liveClientIds.delete(connection.id);
    this.monitors.stop(connection);
    this.tracking.disconnected(connection);
  }

  slowCommand(connection: Connection, command: SlowCommandRun): void {
    observeSlowCommand({ services: this, slowLog: this.slowLog, latency: this.latency }, connection, command);
  }

  authenticated(connection: Connection): void {
    this.admission.authenticated(connection);
  }

  keyspaceOf(tenant: string, db: number): Keyspace {
    const id = `${db}:${tenant}`;
    let keyspace = this.keyspaces.get(id);
    if (keyspace === undefined || keyspace.retired) {
      keyspace = new Keyspace(tenant, db, undefined, undefined, this.databases.slotOf(tenant, db));
      this.keyspaces.set(id, keyspace);
    }
    return keyspace;
  }

  /** The keyspace whose data is in physical database `slot` of `tenant` (the expiry sweeper finds keys by slot). */
  keyspaceOfSlot(tenant: string, slot: number): Keyspace {
    return this.keyspaceOf(tenant, this.databases.dbOfSlot(tenant, slot));
  }

  /** A tenant's database map changed (SWAPDB): its keyspaces are made again, and its SCAN cursors forgotten. */
  private databasesSwapped(tenant: string): void {
    for (let db = 0; db < DATABASE_COUNT; db++) {
      const id = `${db}:${tenant}`;
      this.keyspaces.get(id)?.retire();
      this.keyspaces.delete(id);
    }
    this.cursors.forgetTenant(tenant);
  }

  // ServerServices

  sessions(): Iterable<Session> {
    return this.connections;
  }

  tenantFigures(tenant: string): Readonly<TenantFigures> {
    return this.tenantStats.of(tenant);
  }

  processMetrics(): ProcessMetrics {
    return this.options.processHost?.metrics() ?? NO_PROCESS_METRICS;
  }

  serverInfo(): ServerInfo {
    return {
      version: this.options.version,
      engineName: this.engine.name,
      startedAtMs: this.startedAtMs,
      tcpPort: this.listeners[0]?.port ?? 0,
      pid: this.options.pid ?? 0,
      runId: this.runId,
      executable: this.options.executable ?? "",
      os: this.options.processHost?.os ?? "unknown",
      dataDirectory: this.options.dataDirectory,
      totalConnections: this.totalConnections,
      totalCommands: this.totalCommands,
      expiredKeys: this.sweeper.expiredKeys,
      maxClients: this.options.maxClients ?? DEFAULT_MAX_CLIENTS,
      bindAddress: this.bindAddresses[0] ?? "",
    };
  }
}

const NO_PROCESS_METRICS: ProcessMetrics = { heapUsedBytes: 0, rssBytes: 0, cpuUserMicros: 0, cpuSystemMicros: 0 };

/** A uniformly random integer from 1 to 2^53 - 1. */
function randomClientId(): number {
  const words = new Uint32Array(2);
  crypto.getRandomValues(words);
  const id = (words[0]! & 0x1f_ffff) * 2 ** 32 + words[1]!;
  return id === 0 ? 1 : id;
}

function randomHex(length: number): string {
  const bytes = new Uint8Array(length / 2);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
