// INFO's sections, named and ordered as Redis 7.0's, with the fields clients
// and GUIs read. Two audiences:
// - the operator (auth off, or the password of a single-tenant server) sees
//   the server: its process, its memory, every client, every command;
// - a tenant's token sees its own tenant only: its clients, its commands and
//   bytes (server/tenant_stats.ts), its keys, and as used_memory the bytes it
//   stores. Nothing that counts other tenants' activity (command and error
//   statistics, the server's operations per second) and nothing of the host
//   (process id, executable, data directory) is shown to it.
import { readUsage } from "../model/storage_usage.ts";
import { keyCounts } from "../model/keys.ts";
import { DATABASE_COUNT } from "../model/limits.ts";
import { durabilityOf } from "./durability.ts";
import type { LocalContext, TxContext } from "./spec.ts";
import { COMPATIBLE_REDIS_VERSION } from "./version.ts";

/** INFO and INFO default. */
export const DEFAULT_SECTIONS = ["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "errorstats", "cluster", "keyspace"];
/** INFO all and everything, in Redis's order (Materia has no module sections: everything adds nothing). */
export const ALL_SECTIONS = [
  "server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "commandstats", "errorstats", "latencystats", "cluster", "keyspace",
];

export const SECTION_TITLES: Readonly<Record<string, string>> = {
  server: "Server", clients: "Clients", memory: "Memory", persistence: "Persistence", stats: "Stats", replication: "Replication", cpu: "CPU",
  modules: "Modules", commandstats: "Commandstats", errorstats: "Errorstats", latencystats: "Latencystats", cluster: "Cluster", keyspace: "Keyspace",
};

/** The sections INFO's arguments ask for (names in any case; unknown names ignored), in Redis's order. */
export function wantedSections(names: readonly string[]): string[] {
  if (names.length === 0) return DEFAULT_SECTIONS;
  const wanted = new Set<string>();
  for (const name of names) {
    if (name === "default") DEFAULT_SECTIONS.forEach((s) => wanted.add(s));
    else if (name === "all" || name === "everything") ALL_SECTIONS.forEach((s) => wanted.add(s));
    else wanted.add(name);
  }
  return ALL_SECTIONS.filter((s) => wanted.has(s));
}

function isOperator(ctx: LocalContext): boolean {
  return ctx.session.principal?.operator === true;
}

/** Redis's bytesToHuman: 1023B, 1.00K, 1.50M... */
export function bytesToHuman(n: number): string {
  const units = ["K", "M", "G", "T", "P"];
  if (n < 1024) return `${n}B`;
  let value = n / 1024;
  for (const unit of units) {
    if (value < 1024 || unit === "P") return `${value.toFixed(2)}${unit}`;
    value /= 1024;
  }
  return `${n}B`;
}

/** The tenant's stored bytes, over its 16 databases. */
async function storedBytes(ctx: TxContext): Promise<number> {
  const tenant = ctx.session.keyspace.tenant;
  const usage = await readUsage(ctx.tx, tenant);
  return usage.reduce((a, b) => a + b, 0);
}

/** The lines of one section; undefined for a name Redis does not know. */
export async function infoSection(ctx: TxContext, section: string): Promise<string[] | undefined> {
  const info = ctx.server.serverInfo();
  const now = ctx.nowMs;
  const operator = isOperator(ctx);
  switch (section) {
    case "server": {
      const uptime = Math.floor((now - info.startedAtMs) / 1000);
      return [
        `redis_version:${COMPATIBLE_REDIS_VERSION}`,
        `redis_git_sha1:00000000`,
        `redis_git_dirty:0`,
        `redis_mode:standalone`,
        `materia_version:${info.version}`,
        `materia_engine:${info.engineName}`,
        `os:${info.os}`,
        `arch_bits:64`,
        ...(operator ? [`process_id:${info.pid}`] : []),
        `process_supervised:no`,
        `run_id:${info.runId}`,
        `tcp_port:${info.tcpPort}`,
        `server_time_usec:${now * 1000}`,
        `uptime_in_seconds:${uptime}`,
        `uptime_in_days:${Math.floor(uptime / 86400)}`,
        `hz:10`,
        `configured_hz:10`,
        // Redis's LRU clock: seconds, 24 bits.
        `lru_clock:${Math.floor(now / 1000) & 0xffffff}`,
        ...(operator ? [`executable:${info.executable}`] : []),
        `config_file:`,
        `io_threads_active:0`,
      ];
    }
    case "clients": {
      let connected = 0;
      let tracking = 0;
      let blocked = 0;
      const tenant = ctx.session.principal?.tenant;
      for (const session of ctx.server.sessions()) {
        // The operator counts every client; a tenant its own.
        if (!operator && session.principal?.tenant !== tenant) continue;
        connected++;
        if (session.tracking !== undefined) tracking++;
        if (session.wait?.blocked === true) blocked++;
      }
      return [
        `connected_clients:${connected}`,
        `cluster_connections:0`,
        `maxclients:${info.maxClients}`,
        `blocked_clients:${blocked}`,
        `tracking_clients:${tracking}`,
        `clients_in_timeout_table:${blocked}`,
      ];
    }
    case "memory": {
      const stored = await storedBytes(ctx);
      // The operator: the process's memory. A tenant: the bytes it stores, the only memory that is its own.
      const used = operator ? ctx.server.processMetrics().heapUsedBytes : stored;
      const rss = operator ? ctx.server.processMetrics().rssBytes : stored;
      return [
        `used_memory:${used}`,
        `used_memory_human:${bytesToHuman(used)}`,
        `used_memory_rss:${rss}`,
        `used_memory_rss_human:${bytesToHuman(rss)}`,
        `maxmemory:0`,
        `maxmemory_human:0B`,
        `maxmemory_policy:noeviction`,
        `used_storage:${stored}`,
        `storage_quota:${ctx.server.usage.quotaBytes}`,
      ];
    }
    case "persistence": {
      const durable = durabilityOf(info.engineName) !== "none";
      // As LASTSAVE: now on a durable engine (every write is saved when acknowledged), else the start.
      const lastSave = Math.floor((durable ? now : info.startedAtMs) / 1000);
      return [
        `loading:0`,
        `async_loading:0`,
        `materia_durability:${durable ? "every write is durable before its reply" : "none (memory engine)"}`,
        ...(operator ? [`materia_data_dir:${info.dataDirectory}`] : []),
        `rdb_changes_since_last_save:0`,
        `rdb_bgsave_in_progress:0`,
        `rdb_last_save_time:${lastSave}`,
        `rdb_last_bgsave_status:ok`,
        `rdb_last_bgsave_time_sec:-1`,
        `rdb_current_bgsave_time_sec:-1`,
        `aof_enabled:0`,
        `aof_rewrite_in_progress:0`,
        `aof_rewrite_scheduled:0`,
        `aof_last_rewrite_time_sec:-1`,
        `aof_current_rewrite_time_sec:-1`,
        `aof_last_bgrewrite_status:ok`,
        `aof_last_write_status:ok`,
      ];
    }
    case "stats": {
      const stats = ctx.server.stats;
      const own = operator
        ? { connectionsReceived: info.totalConnections, commandsProcessed: info.totalCommands, netInputBytes: stats.netInputBytes, netOutputBytes: stats.netOutputBytes, expiredKeys: info.expiredKeys }
        : ctx.server.tenantFigures(ctx.session.keyspace.tenant);
      return [
        `total_connections_received:${own.connectionsReceived}`,
        `total_commands_processed:${own.commandsProcessed}`,
        // The server's rate and error count measure every tenant's activity: the operator's.
        ...(operator ? [`instantaneous_ops_per_sec:${stats.opsPerSecond(now)}`] : []),
        `total_net_input_bytes:${own.netInputBytes}`,
        `total_net_output_bytes:${own.netOutputBytes}`,
        `rejected_connections:0`,
        `expired_keys:${own.expiredKeys}`,
        `evicted_keys:0`,
        `evicted_clients:0`,
        `total_forks:0`,
        ...(operator ? [`total_error_replies:${stats.totalErrorReplies}`] : []),
      ];
    }
    case "replication":
      return [
        `role:master`,
        `connected_slaves:0`,
        `master_failover_state:no-failover`,
        `master_replid:${info.runId}`,
        `master_replid2:0000000000000000000000000000000000000000`,
        `master_repl_offset:0`,
        `second_repl_offset:-1`,
        `repl_backlog_active:0`,
      ];
    case "cpu": {
      const cpu = ctx.server.processMetrics();
      const sys = (cpu.cpuSystemMicros / 1e6).toFixed(6);
      const user = (cpu.cpuUserMicros / 1e6).toFixed(6);
      return [`used_cpu_sys:${sys}`, `used_cpu_user:${user}`, `used_cpu_sys_children:0.000000`, `used_cpu_user_children:0.000000`];
    }
    case "modules":
      return [];
    case "commandstats":
      return operator ? ctx.server.stats.commandLines() : [];
    case "errorstats":
      return operator ? ctx.server.stats.errorLines() : [];
    case "latencystats":
      // Redis with latency-tracking off: an empty section (Materia keeps no per-command histograms).
      return [];
    case "cluster":
      return ["cluster_enabled:0"];
    case "keyspace": {
      const tenant = ctx.session.keyspace.tenant;
      const all = [];
      for (let db = 0; db < DATABASE_COUNT; db++) all.push(keyCounts(ctx.tx, ctx.server.keyspaceOf(tenant, db)));
      const counts = await Promise.all(all);
      return counts.flatMap((c, db) => (c.keys > 0 ? [`db${db}:keys=${c.keys},expires=${c.expires},avg_ttl=0`] : []));
    }
    default:
      return undefined;
  }
}
