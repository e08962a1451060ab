// Server commands of this slice: INFO, DBSIZE, FLUSHDB, FLUSHALL, COMMAND.
import { countKeys, flushView, flushViewEverywhere } from "../../model/scoped_keys.ts";
import { readUsage } from "../../model/storage_usage.ts";
import { keyCounts } from "../../model/keys.ts";
import { DATABASE_COUNT, MAX_STRING_BYTES } from "../../model/limits.ts";
import { ErrorReply, MapReply, OK, VerbatimReply, type Reply } from "../../resp/reply.ts";
import { compileGlob } from "../../model/glob.ts";
import { block, multiple, oneOf, optional, string, token, withToken } from "../arguments.ts";
import { bytesOf, lower, text } from "../args.ts";
import { ArgumentReader } from "../argument_reader.ts";
import { configManaged, INVALID_ARGUMENT_COUNT_FOR_COMMAND, INVALID_COMMAND_SPECIFIED, NO_KEY_ARGUMENTS, SYNTAX } from "../errors.ts";
import { configSet as applyConfigSet, formatOutputBufferLimits } from "../config_set.ts";
import { formatNotifyFlags } from "../../core/notify_keyspace_events.ts";
import { MISC_SERVER_COMMANDS } from "./cluster.ts";
import { aclCategories, commandDocs, commandInfo } from "../introspection.ts";
import { keyPositions } from "../key_positions.ts";
import { helpSubcommand } from "../help_subcommand.ts";
import { defineCommand, type CommandSpec, type LocalContext, type TxContext } from "../spec.ts";
import { COMPATIBLE_REDIS_VERSION } from "../version.ts";

const DEFAULT_SECTIONS = ["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "errorstats", "cluster", "keyspace"];
/** Redis's order for INFO ALL: commandstats comes before errorstats. */
const ALL_SECTIONS = ["server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "commandstats", "errorstats", "cluster", "keyspace"];

/**
 * The operator (auth off, or the password of a single-tenant server) sees the
 * server's own figures; a tenant's token sees its tenant's, and nothing of
 * the host (process id, executable, data directory).
 */
function isOperator(ctx: LocalContext): boolean {
  return ctx.session.principal?.operator === true;
}

async function infoSection(ctx: TxContext, section: string): Promise<string[] | undefined> {
  const info = ctx.server.serverInfo();
  const now = ctx.nowMs;
  const operator = isOperator(ctx);
  switch (section) {
    case "server": {
      const uptime = Math.floor((now - info.startedAtMs) / 1000);
      return [
        `redis_version:${COMPATIBLE_REDIS_VERSION}`,
        `redis_mode:standalone`,
        `materia_version:${info.version}`,
        `materia_engine:${info.engineName}`,
        `os:${info.os}`,
        `arch_bits:64`,
        ...(operator ? [`process_id:${info.pid}`] : []),
        `run_id:${info.runId}`,
        `tcp_port:${info.tcpPort}`,
        `server_time_usec:${now * 1000}`,
        `uptime_in_seconds:${uptime}`,
        `uptime_in_days:${Math.floor(uptime / 86400)}`,
        ...(operator ? [`executable:${info.executable}`] : []),
        `config_file:`,
      ];
    }
    case "clients": {
      let connected = 0;
      let tracking = 0;
      let blocked = 0;
      const tenant = ctx.session.principal?.tenant;
      for (const session of ctx.server.sessions()) {
        if (session.principal?.tenant !== tenant) continue;
        connected++;
        if (session.tracking !== undefined) tracking++;
        if (session.wait?.blocked === true) blocked++;
      }
      return [`connected_clients:${connected}`, `maxclients:${info.maxClients}`, `blocked_clients:${blocked}`, `tracking_clients:${tracking}`];
    }
    case "memory": {
      const usage = ctx.server.processMetrics();
      const tenant = ctx.session.keyspace.tenant;
      const storage = await readUsage(ctx.tx, tenant);
      return [
        `used_memory:${usage.heapUsedBytes}`,
        `used_memory_rss:${usage.rssBytes}`,
        `maxmemory:0`,
        `maxmemory_policy:noeviction`,
        `used_storage:${storage.reduce((a, b) => a + b, 0)}`,
        `storage_quota:${ctx.server.usage.quotaBytes}`,
      ];
    }
    case "persistence":
      return [
        `loading:0`,
        `async_loading:0`,
        `materia_durability:every write is durable before its reply`,
        ...(operator ? [`materia_data_dir:${info.dataDirectory}`] : []),
        `rdb_changes_since_last_save:0`,
        `rdb_bgsave_in_progress:0`,
        `rdb_last_bgsave_status:ok`,
        `aof_enabled:0`,
        `aof_rewrite_in_progress:0`,
        `aof_last_write_status:ok`,
      ];
    case "stats": {
      const stats = ctx.server.stats;
      const own = operator
        ? { connectionsReceived: info.totalConnections, commandsProcessed: info.totalCommands, netInputBytes: stats.netInputBytes, netOutputBytes: stats.netOutputBytes, expiredKeys: info.expiredKeys }
        : ctx.server.tenantFigures(ctx.session.keyspace.tenant);
      return [
        `total_connections_received:${own.connectionsReceived}`,
        `total_commands_processed:${own.commandsProcessed}`,
        `instantaneous_ops_per_sec:${stats.opsPerSecond(now)}`,
        `total_net_input_bytes:${own.netInputBytes}`,
        `total_net_output_bytes:${own.netOutputBytes}`,
        `expired_keys:${own.expiredKeys}`,
        `evicted_keys:0`,
        `total_error_replies:${stats.totalErrorReplies}`,
      ];
    }
    case "replication":
      return [`role:master`, `connected_slaves:0`];
    case "cpu": {
      const cpu = ctx.server.processMetrics();
      return [`used_cpu_sys:${(cpu.cpuSystemMicros / 1e6).toFixed(6)}`, `used_cpu_user:${(cpu.cpuUserMicros / 1e6).toFixed(6)}`];
    }
    case "modules":
      return [];
    case "commandstats":
      return ctx.server.stats.commandLines();
    case "errorstats":
      return ctx.server.stats.errorLines();
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

const SECTION_TITLES: Record<string, string> = {
  server: "Server", clients: "Clients", memory: "Memory", persistence: "Persistence", stats: "Stats",
  replication: "Replication", cpu: "CPU", keyspace: "Keyspace", errorstats: "Errorstats",
  modules: "Modules", commandstats: "Commandstats", cluster: "Cluster",
};

const info = defineCommand({
  name: "info",
  arity: -1,
  flags: ["loading", "stale"],
  group: "server",
  summary: "Returns information and statistics about the server, by section.",
  since: "1.0.0",
  complexity: "O(1)",
  arguments: [optional(multiple(string("section")))],
  // A read transaction: the memory and keyspace sections read the tenant's counters.
  access: "read",
  parse(argv) {
    const args = new ArgumentReader(argv);
    if (args.atEnd) return DEFAULT_SECTIONS;
    const wanted = new Set<string>();
    for (const arg of args.rest()) {
      const name = lower(arg);
      if (name === "default") DEFAULT_SECTIONS.forEach((s) => wanted.add(s));
      else if (name === "all" || name === "everything") ALL_SECTIONS.forEach((s) => wanted.add(s));
      else wanted.add(name);
    }
    return ALL_SECTIONS.filter((s) => wanted.has(s));
  },
  async exec(ctx, sections): Promise<Reply> {
    const parts: string[] = [];
    for (const section of sections) {
      const lines = await infoSection(ctx, section);
      if (lines === undefined) continue;
      parts.push([`# ${SECTION_TITLES[section]}`, ...lines].join("\r\n") + "\r\n");
    }
    return new VerbatimReply(parts.join("\r\n"));
  },
});

const dbsize = defineCommand({
  name: "dbsize",
  arity: 1,
  flags: ["readonly", "fast"],
  group: "server",
  summary: "Returns the number of keys in the selected database.",
  since: "1.0.0",
  complexity: "O(1)",
  access: "read",
  parse: () => undefined,
  exec: ({ tx, ks, nowMs }): Promise<Reply> => countKeys(tx, ks, nowMs),
});

/** [ASYNC|SYNC]: accepted, and both mean now. */
function parseFlushMode(argv: readonly Uint8Array[]): undefined | ErrorReply {
  const args = new ArgumentReader(argv);
  if (args.left > 1) return SYNTAX;
  if (!args.atEnd) args.oneOf("ASYNC", "SYNC");
  return args.finish(undefined);
}

const flushMode = optional(oneOf("flush-type", token("ASYNC"), token("SYNC")));

const flushdb = defineCommand({
  name: "flushdb",
  arity: -1,
  flags: ["write"],
  touchesAll: "database",
  group: "server",
  summary: "Deletes every key of the selected database. ASYNC and SYNC are accepted; both are immediate.",
  since: "1.0.0",
  complexity: "O(1): one range clear",
  arguments: [flushMode],
  access: "write",
  parse: parseFlushMode,
  async exec({ tx, ks, nowMs }): Promise<Reply> {
    await flushView(tx, ks, nowMs);
    return OK;
  },
});

const flushall = defineCommand({
  name: "flushall",
  arity: -1,
  flags: ["write"],
  touchesAll: "tenant",
  group: "server",
  summary: "Deletes every key of every database of the tenant. ASYNC and SYNC are accepted; both are immediate.",
  since: "1.0.0",
  complexity: "O(1): one range clear",
  arguments: [flushMode],
  access: "write",
  parse: parseFlushMode,
  async exec({ tx, ks, server, nowMs }): Promise<Reply> {
    await flushViewEverywhere(tx, ks, { nowMs, keyspaceOf: (tenant, db) => server.keyspaceOf(tenant, db) });
    return OK;
  },
});

// COMMAND and its subcommands, all generated from the table.

const commandCount = defineCommand({
  name: "count", arity: 2, flags: ["loading", "stale"], group: "server",
  summary: "Returns the number of commands.", since: "2.8.13", complexity: "O(1)",
  access: "none", parse: () => undefined,
  exec: ({ server }): Reply => server.commands.all().length,
});

const commandList = defineCommand({
  name: "list", arity: -2, flags: ["loading", "stale"], group: "server",
  summary: "Returns the command names, optionally filtered by ACL category or name pattern.", since: "7.0.0",
  complexity: "O(N) where N is the total number of commands",
  arguments: [optional(withToken("FILTERBY", oneOf("filterby", withToken("MODULE", string("module-name")),
    withToken("ACLCAT", string("category")), withToken("PATTERN", string("pattern")))))],
  access: "none",
  parse(argv) {
    const args = new ArgumentReader(argv, 2);
    if (args.atEnd) return {};
    if (args.left !== 3 || !args.token("FILTERBY")) return SYNTAX;
    return args.finish({ kind: args.oneOf("MODULE", "ACLCAT", "PATTERN"), value: args.bytes() });
  },
  exec({ server }, filter: { kind?: string; value?: Uint8Array }): Reply {
    const names: string[] = [];
    for (const spec of server.commands.all()) {
      const all = [spec.name, ...(spec.subcommands ?? []).map((s) => `${spec.name}|${s.name}`)];
      for (const name of all) {
        if (filter.kind === "MODULE") continue;
        if (filter.kind === "PATTERN" && !compileGlob(filter.value!).matches(bytesOf(name))) continue;
        if (filter.kind === "ACLCAT") {
          const target = spec.subcommands?.find((s) => `${spec.name}|${s.name}` === name) ?? spec;
          if (!aclCategories(target).includes(`@${lower(filter.value!)}`)) continue;
        }
        names.push(name);
      }
    }
    return names;
  },
});

/** COMMAND INFO / DOCS accept "container|sub" names too. */
function findSpec(ctx: LocalContext, name: string): { spec: CommandSpec; parent?: CommandSpec } | undefined {
  const [head, sub] = name.split("|", 2);
  const spec = ctx.server.commands.lookup(head!);
  if (!spec) return undefined;
  if (sub === undefined) return { spec };
  const child = spec.subcommands?.find((s) => s.name === sub);
  return child ? { spec: child, parent: spec } : undefined;
}

const commandInfoSub = defineCommand({
  name: "info", arity: -2, flags: ["loading", "stale"], group: "server",
  summary: "Returns details of the named commands (all when none is named); nil for unknown names.", since: "2.8.13",
  complexity: "O(N) where N is the number of commands to look up",
  arguments: [optional(multiple(string("command-name")))],
  access: "none",
  parse: (argv) => new ArgumentReader(argv, 2).rest().map(lower),
  exec(ctx, names): Reply {
    if (names.length === 0) return ctx.server.commands.all().map((spec) => commandInfo(spec));
    return names.map((name) => {
      const found = findSpec(ctx, name);
      return found ? commandInfo(found.spec, found.parent) : null;
    });
  },
});

const commandDocsSub = defineCommand({
  name: "docs", arity: -2, flags: ["loading", "stale"], group: "server",
  summary: "Returns the documentation of the named commands (all when none is named); unknown names are skipped.", since: "7.0.0",
  complexity: "O(N) where N is the number of commands to look up",
  arguments: [optional(multiple(string("command-name")))],
  access: "none",
  parse: (argv) => new ArgumentReader(argv, 2).rest().map(lower),
  exec(ctx, names): Reply {
    const specs = names.length === 0
      ? ctx.server.commands.all().map((spec) => ({ name: spec.name, spec }))
      : names.flatMap((name) => {
        const found = findSpec(ctx, name);
        return found ? [{ name, spec: found.spec }] : [];
      });
    return new MapReply(specs.map(({ name, spec }) => [name, commandDocs(spec)] as const));
  },
});

const commandGetKeys = defineCommand({
  name: "getkeys", arity: -4, flags: ["loading", "stale"], group: "server",
  summary: "Returns the key arguments of a full command line.", since: "2.8.13", complexity: "O(N) where N is the number of arguments to the command",
  arguments: [string("command"), optional(multiple(string("arg")))],
  access: "none",
  parse: (argv) => argv.slice(2),
  exec({ server }, argv): Reply {
    const spec = server.commands.lookup(lower(argv[0]!));
    if (!spec) return INVALID_COMMAND_SPECIFIED;
    if ((spec.arity > 0 && argv.length !== spec.arity) || argv.length < -spec.arity) {
      return INVALID_ARGUMENT_COUNT_FOR_COMMAND;
    }
    const positions = keyPositions(spec, argv);
    if (positions.length === 0) return NO_KEY_ARGUMENTS;
    return positions.map((i) => argv[i]!);
  },
});

const commandHelp = helpSubcommand("command", {
  group: "server",
  since: "5.0.0",
  lines: [
    "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "(no subcommand)", "    Return details about all commands.",
    "COUNT", "    Return the total number of commands.",
    "LIST", "    Return a list of all commands.",
    "INFO [<command-name> ...]", "    Return details about the named commands, or all when none is given.",
    "DOCS [<command-name> ...]", "    Return documentation details about the named commands, or all when none is given.",
    "GETKEYS <full-command>", "    Return the keys from a full command.",
    "HELP", "    Print this help.",
  ],
});

const command = defineCommand({
  name: "command",
  arity: -1,
  flags: ["loading", "stale"],
  group: "server",
  summary: "Returns details about every command; subcommands count, list, describe and document them.",
  since: "2.8.13",
  complexity: "O(N) where N is the total number of commands",
  subcommands: [commandCount, commandList, commandInfoSub, commandDocsSub, commandGetKeys, commandHelp],
  access: "none",
  parse: () => undefined,
  // Dispatch only lands here for a bare COMMAND.
  exec: ({ server }): Reply => server.commands.all().map((spec) => commandInfo(spec)),
});

// CONFIG: read-only. Materia is configured by its flags and environment; GET
// answers what clients and GUIs ask, with Redis's defaults where Materia
// behaves as they describe.

/** Parameter names (aliases included, as Redis lists them) and their values. */
function configParameters(ctx: LocalContext): ReadonlyMap<string, string> {
  const info = ctx.server.serverInfo();
  const limits = ctx.server.clientLimits;
  return new Map([
    ["databases", String(DATABASE_COUNT)],
    ["maxclients", String(info.maxClients)],
    ["proto-max-bulk-len", String(MAX_STRING_BYTES)],
    ["maxmemory", "0"],
    ["maxmemory-policy", "noeviction"],
    ["maxmemory-samples", "5"],
    ["maxmemory-clients", "0"],
    ["save", ""],
    ["appendonly", "no"],
    ["appendfsync", "always"],
    ["timeout", String(limits.idleTimeoutSeconds)],
    ["client-output-buffer-limit", formatOutputBufferLimits(limits.outputBuffer)],
    ["port", String(info.tcpPort)],
    ["bind", info.bindAddress],
    ["tcp-keepalive", String(limits.tcpKeepAliveSeconds)],
    ["tracking-table-max-keys", String(limits.trackingTableMaxKeys)],
    ["busy-reply-threshold", String(ctx.server.scripting.running.busyThresholdMs)],
    ["lua-time-limit", String(ctx.server.scripting.running.busyThresholdMs)],
    // A tenant learns nothing of the host's file system.
    ...(isOperator(ctx) ? [["dir", info.dataDirectory] as [string, string]] : []),
    ["cluster-enabled", "no"],
    // The caller's own setting, else the server's default.
    ["notify-keyspace-events", formatNotifyFlags(ctx.server.notifications.effectiveFor(ctx.session.keyspace.tenant))],
    ["loglevel", "notice"],
    ["slowlog-log-slower-than", "10000"],
    ["slowlog-max-len", "128"],
    ["hash-max-listpack-entries", "512"],
    ["hash-max-ziplist-entries", "512"],
    ["hash-max-listpack-value", "64"],
    ["hash-max-ziplist-value", "64"],
    ["set-max-intset-entries", "512"],
    ["zset-max-listpack-entries", "128"],
    ["zset-max-ziplist-entries", "128"],
    ["zset-max-listpack-value", "64"],
    ["zset-max-ziplist-value", "64"],
    ["list-max-listpack-size", "-2"],
    ["list-max-ziplist-size", "-2"],
    ["list-compress-depth", "0"],
  ]);
}

const configGet = defineCommand({
  name: "get", arity: -3, flags: ["admin", "noscript", "loading", "stale"], group: "server",
  summary: "Returns the configuration parameters whose names match the glob-style patterns, with their values.", since: "2.0.0",
  complexity: "O(N) when N is the number of configuration parameters provided",
  arguments: [multiple(string("parameter"))],
  access: "none",
  parse: (argv) => argv.slice(2),
  exec(ctx, patterns): Reply {
    const parameters = configParameters(ctx);
    const found = new Map<string, string>();
    for (const pattern of patterns) {
      const name = text(pattern);
      const wanted = name.toLowerCase();
      if (!/[[*?]/.test(name)) {
        // An exact name is answered as the client spelled it, as Redis does.
        const value = parameters.get(wanted);
        if (value !== undefined && !found.has(name)) found.set(name, value);
        continue;
      }
      const glob = compileGlob(bytesOf(wanted));
      for (const [parameter, value] of parameters) {
        if (glob.matches(bytesOf(parameter))) found.set(parameter, value);
      }
    }
    return new MapReply([...found]);
  },
});

const configSet = defineCommand({
  name: "set", arity: -4, flags: ["admin", "noscript", "loading", "stale"], group: "server",
  // Who may set what is declared per parameter (config_set.ts): the per-client limits are the
  // operator's, notify-keyspace-events is each tenant's own.
  summary: "Sets the operator's per-client limits (timeout, tcp-keepalive, client-output-buffer-limit, tracking-table-max-keys) or the tenant's notify-keyspace-events; other parameters come from flags.",
  since: "2.0.0",
  complexity: "O(N) when N is the number of configuration parameters provided",
  arguments: [multiple(block("data", string("parameter"), string("value")))],
  access: "none",
  parse: (argv) => argv.slice(2),
  exec: ({ server, session }, args): Promise<Reply> =>
    applyConfigSet({
      limits: server.clientLimits,
      scripts: server.scripting.running,
      notifications: server.notifications,
      principal: session.principal,
      tenant: session.keyspace.tenant,
    }, args),
});

const configRewrite = defineCommand({
  name: "rewrite", arity: 2, flags: ["admin", "noscript", "loading", "stale"], group: "server",
  summary: "Refused: Materia has no configuration file.", since: "2.8.0", complexity: "O(1)",
  access: "none", parse: () => undefined,
  exec: (): Reply => configManaged("REWRITE"),
});

const configResetStat = defineCommand({
  name: "resetstat", arity: 2, flags: ["admin", "noscript", "loading", "stale"], group: "server",
  operatorOnly: true,
  summary: "Resets the command, error and network counters that INFO reports.", since: "2.0.0", complexity: "O(1)",
  access: "none", parse: () => undefined,
  exec({ server }): Reply {
    server.stats.reset();
    return OK;
  },
});

const configHelp = helpSubcommand("config", {
  group: "server",
  since: "5.0.0",
  lines: [
    "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GET <pattern>", "    Return parameters matching the glob-like <pattern> and their values.",
    "SET <directive> <value>", "    Set the configuration <directive> to <value>.",
    "RESETSTAT", "    Reset statistics reported by the INFO command.",
    "REWRITE", "    Rewrite the configuration file.",
    "HELP", "    Prints this help.",
  ],
});

const config = defineCommand({
  name: "config", arity: -2, flags: [], group: "server",
  summary: "A container for configuration commands: GET reads parameters; SET and REWRITE are refused.", since: "2.0.0",
  complexity: "Depends on subcommand.",
  subcommands: [configGet, configRewrite, configResetStat, configSet, configHelp],
  access: "none", parse: () => undefined,
  exec: (): Reply => SYNTAX,
});

// MODULE: GUIs (redis-commander) ask MODULE LIST on connect; Materia loads no modules.
const moduleList = defineCommand({
  name: "list", arity: 2, flags: ["admin", "noscript"], group: "server",
  summary: "Returns the loaded modules: none, Materia has no module system.", since: "4.0.0", complexity: "O(N) where N is the number of loaded modules.",
  access: "none", parse: () => undefined,
  exec: (): Reply => [],
});

const moduleHelp = helpSubcommand("module", {
  group: "server",
  since: "5.0.0",
  lines: [
    "MODULE <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "LIST",
    "    Return a list of loaded modules (Materia has none; LOAD and UNLOAD are not available).",
    "HELP",
    "    Print this help.",
  ],
});

const moduleCommand = defineCommand({
  name: "module",
  arity: -2,
  flags: [],
  group: "server",
  summary: "A container for module commands; Materia has no module system, so only LIST (empty) and HELP exist.",
  since: "4.0.0",
  complexity: "Depends on subcommand.",
  subcommands: [moduleList, moduleHelp],
  access: "none",
  parse: () => undefined,
  exec: (): Reply => SYNTAX,
});

export const SERVER_COMMANDS: readonly CommandSpec[] = [info, dbsize, flushdb, flushall, command, config, moduleCommand, ...MISC_SERVER_COMMANDS];
