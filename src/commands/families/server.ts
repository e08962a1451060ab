// Server commands: INFO (info_sections.ts), DBSIZE, FLUSHDB, FLUSHALL, COMMAND, CONFIG, MODULE.
import { countKeys, flushView, flushViewEverywhere } from "../../model/scoped_keys.ts";
import { MAX_STRING_BYTES } from "../../model/limits.ts";
import { ErrorReply, MapReply, OK, SetReply, SimpleString, VerbatimReply, type Reply } from "../../resp/reply.ts";
import { compileGlob } from "../../model/glob.ts";
import { block, multiple, oneOf, optional, string, token, withToken } from "../arguments.ts";
import { bytesOf, lower } from "../args.ts";
import { ArgumentReader } from "../argument_reader.ts";
import { configManaged, INVALID_ARGUMENT_COUNT_FOR_COMMAND, INVALID_COMMAND_SPECIFIED, NO_KEY_ARGUMENTS, SYNTAX } from "../errors.ts";
import { isSensitiveParameter } from "../config_parameters.ts";
import { configGet as configGetParameters, configSet as configSetParameters, type ConfigContext } from "../config_command.ts";
import { MISC_SERVER_COMMANDS } from "./cluster.ts";
import { aclCategories, commandDocs, commandInfo, keyFlags } from "../introspection.ts";
import { keyPositions } from "../key_positions.ts";
import { helpSubcommand } from "../help_subcommand.ts";
import { defineCommand, type CommandSpec, type LocalContext } from "../spec.ts";
import { infoSection, SECTION_TITLES, wantedSections } from "../info_sections.ts";

/** The operator (auth off, or the password of a single-tenant server), who may see the host's facts. */
function isOperator(ctx: LocalContext): boolean {
  return ctx.session.principal?.operator === true;
}

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
  parse: (argv) => wantedSections(argv.slice(1).map(lower)),
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

interface ListFilter {
  readonly kind: "MODULE" | "ACLCAT" | "PATTERN";
  readonly value: Uint8Array;
}

const commandList = defineCommand({
  name: "list", arity: -2, flags: ["loading", "stale"], group: "server",
  summary: "Returns the command names, optionally filtered by ACL category or name pattern (MODULE: none, Materia has no modules).", since: "7.0.0",
  complexity: "O(N) where N is the total number of commands",
  arguments: [optional(withToken("FILTERBY", oneOf("filterby", withToken("MODULE", string("module-name")),
    withToken("ACLCAT", string("category")), withToken("PATTERN", string("pattern")))))],
  access: "none",
  parse(argv) {
    // As Redis: nothing, or exactly FILTERBY <type> <value>.
    const args = new ArgumentReader(argv, 2);
    if (args.atEnd) return undefined;
    if (args.left !== 3 || !args.token("FILTERBY")) return SYNTAX;
    return args.finish<ListFilter>({ kind: args.oneOf("MODULE", "ACLCAT", "PATTERN"), value: args.bytes() });
  },
  exec({ server }, filter: ListFilter | undefined): Reply {
    // Redis matches patterns without regard to letter case; names are lower case.
    const glob = filter?.kind === "PATTERN" ? compileGlob(bytesOf(lower(filter.value))) : undefined;
    const category = filter?.kind === "ACLCAT" ? `@${lower(filter.value)}` : undefined;
    const names: string[] = [];
    const consider = (name: string, spec: CommandSpec) => {
      if (filter?.kind === "MODULE") return;
      if (glob && !glob.matches(bytesOf(name))) return;
      if (category && !aclCategories(spec).includes(category)) return;
      names.push(name);
    };
    for (const spec of server.commands.all()) {
      consider(spec.name, spec);
      for (const sub of spec.subcommands ?? []) consider(`${spec.name}|${sub.name}`, sub);
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

/**
 * COMMAND GETKEYS / GETKEYSANDFLAGS: the command a full command line runs
 * (its subcommand when it has some), checked in Redis's order: known, has
 * keys, arity; then the positions of its keys.
 */
function keysOfCommandLine(server: LocalContext["server"], argv: readonly Uint8Array[]): { spec: CommandSpec; positions: readonly number[] } | ErrorReply {
  const container = server.commands.lookup(lower(argv[0]!));
  const spec = container?.subcommands && argv.length > 1 ? container.subcommands.find((s) => s.name === lower(argv[1]!)) : container;
  if (!spec) return INVALID_COMMAND_SPECIFIED;
  if ((spec.arity > 0 && argv.length !== spec.arity) || argv.length < -spec.arity) return INVALID_ARGUMENT_COUNT_FOR_COMMAND;
  const positions = keyPositions(spec, argv);
  if (positions.length === 0) return NO_KEY_ARGUMENTS;
  return { spec, positions };
}

const commandGetKeys = defineCommand({
  name: "getkeys", arity: -4, flags: ["loading", "stale"], group: "server",
  summary: "Returns the key arguments of a full command line.", since: "2.8.13", complexity: "O(N) where N is the number of arguments to the command",
  arguments: [string("command"), optional(multiple(string("arg")))],
  access: "none",
  parse: (argv) => argv.slice(2),
  exec({ server }, argv): Reply {
    const found = keysOfCommandLine(server, argv);
    if (found instanceof ErrorReply) return found;
    return found.positions.map((i) => argv[i]!);
  },
});

const commandGetKeysAndFlags = defineCommand({
  name: "getkeysandflags", arity: -4, flags: ["loading", "stale"], group: "server",
  summary: "Returns the key arguments of a full command line, each with how the command uses it (RO access, or RW update for a write).",
  since: "7.0.0", complexity: "O(N) where N is the number of arguments to the command",
  arguments: [string("command"), optional(multiple(string("arg")))],
  access: "none",
  parse: (argv) => argv.slice(2),
  exec({ server }, argv): Reply {
    const found = keysOfCommandLine(server, argv);
    if (found instanceof ErrorReply) return found;
    const flags = keyFlags(found.spec).map((f) => new SimpleString(f));
    return found.positions.map((i) => [argv[i]!, new SetReply(flags)]);
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
    "GETKEYSANDFLAGS <full-command>", "    Return the keys and the access flags from a full command.",
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
  subcommands: [commandCount, commandList, commandInfoSub, commandDocsSub, commandGetKeys, commandGetKeysAndFlags, commandHelp],
  access: "none",
  parse: () => undefined,
  // Dispatch only lands here for a bare COMMAND.
  exec: ({ server }): Reply => server.commands.all().map((spec) => commandInfo(spec)),
});

// CONFIG: every parameter of Redis 7.0 (config_parameters.ts), applied,
// reported or remembered; CONFIG GET and SET run in config_command.ts.

function configContext(ctx: LocalContext): ConfigContext {
  const { server, session } = ctx;
  const info = server.serverInfo();
  return {
    target: {
      limits: server.clientLimits,
      scripts: server.scripting.running,
      slowLog: server.slowLog,
      latency: server.latency,
      notifications: server.notifications,
      principal: session.principal,
      tenant: session.keyspace.tenant,
    },
    remembered: server.rememberedConfig,
    facts: {
      port: info.tcpPort,
      bind: info.bindAddress,
      maxClients: info.maxClients,
      protoMaxBulkLen: MAX_STRING_BYTES,
      // A tenant learns nothing of the host's file system.
      dataDirectory: isOperator(ctx) ? info.dataDirectory : undefined,
    },
  };
}

const configGet = defineCommand({
  name: "get", arity: -3, flags: ["admin", "noscript", "loading", "stale"], group: "server",
  summary: "Returns the configuration parameters whose names match the glob-style patterns, with their values (the caller's tenant's own where it set them).", since: "2.0.0",
  complexity: "O(N) when N is the number of configuration parameters provided",
  arguments: [multiple(string("parameter"))],
  access: "none",
  parse: (argv) => argv.slice(2),
  exec: (ctx, patterns): Promise<Reply> => configGetParameters(configContext(ctx), patterns),
});

const configSet = defineCommand({
  name: "set", arity: -4, flags: ["admin", "noscript", "loading", "stale"], group: "server",
  // Who may set what is declared per parameter (config_parameters.ts, config_set.ts): the per-client
  // limits are the operator's; notify-keyspace-events and the remembered parameters are each tenant's own.
  summary: "Sets parameters: those Materia applies take effect, the others are checked as Redis does and remembered for the caller's tenant; all or none.",
  since: "2.0.0",
  complexity: "O(N) when N is the number of configuration parameters provided",
  arguments: [multiple(block("data", string("parameter"), string("value")))],
  access: "none",
  parse: (argv) => argv.slice(2),
  exec: (ctx, args): Promise<Reply> => configSetParameters(configContext(ctx), args),
  // The values of sensitive parameters (requirepass, masterauth...) never show in MONITOR or SLOWLOG, as in Redis.
  redactedArguments: (argv) => {
    const positions: number[] = [];
    for (let i = 2; i + 1 < argv.length; i += 2) if (isSensitiveParameter(lower(argv[i]!))) positions.push(i + 1);
    return positions;
  },
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
  summary: "A container for configuration commands: GET reads parameters, SET changes them; REWRITE is refused.", since: "2.0.0",
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
