// Server commands clients and GUIs send that have little to do with data:
// CLUSTER (disabled: the engine distributes itself, Materia is one standalone
// node to clients), LOLWUT and TIME.
import { VerbatimReply, type Reply } from "../../resp/reply.ts";
import { integer, optional, withToken } from "../arguments.ts";
import { ArgumentReader } from "../argument_reader.ts";
import { CLUSTER_DISABLED } from "../errors.ts";
import { defineCommand, type CommandFlag, type CommandSpec } from "../spec.ts";

/** Redis 7.0's CLUSTER subcommands: name, arity, flags (all answer that cluster support is disabled). */
const CLUSTER_SUBCOMMANDS: readonly (readonly [string, number, readonly CommandFlag[]])[] = [
  ["addslots", -3, ["admin", "stale"]],
  ["addslotsrange", -4, ["admin", "stale"]],
  ["bumpepoch", 2, ["admin", "stale"]],
  ["count-failure-reports", 3, ["admin", "stale"]],
  ["countkeysinslot", 3, ["stale"]],
  ["delslots", -3, ["admin", "stale"]],
  ["delslotsrange", -4, ["admin", "stale"]],
  ["failover", -2, ["admin", "stale"]],
  ["flushslots", 2, ["admin", "stale"]],
  ["forget", 3, ["admin", "stale"]],
  ["getkeysinslot", 4, ["stale"]],
  ["help", 2, ["loading", "stale"]],
  ["info", 2, ["stale"]],
  ["keyslot", 3, ["stale"]],
  ["links", 2, ["stale"]],
  ["meet", -4, ["admin", "stale"]],
  ["myid", 2, ["stale"]],
  ["nodes", 2, ["stale"]],
  ["replicas", 3, ["admin", "stale"]],
  ["replicate", 3, ["admin", "stale"]],
  ["reset", -2, ["admin", "noscript", "stale"]],
  ["saveconfig", 2, ["admin", "stale"]],
  ["set-config-epoch", 3, ["admin", "stale"]],
  ["setslot", -4, ["admin", "stale"]],
  ["shards", 2, ["stale"]],
  ["slaves", 3, ["admin", "stale"]],
  ["slots", 2, ["stale"]],
];

const cluster = defineCommand({
  name: "cluster",
  arity: -2,
  flags: [],
  group: "cluster",
  summary: "A container for Redis Cluster commands; cluster support is disabled (the storage engine distributes the data itself).",
  since: "3.0.0",
  complexity: "Depends on subcommand.",
  subcommands: CLUSTER_SUBCOMMANDS.map(([name, arity, flags]) => defineCommand({
    name, arity, flags, group: "cluster",
    summary: "Answers that cluster support is disabled: Materia presents itself as one standalone server.",
    since: "3.0.0", complexity: "O(1)",
    access: "none", parse: () => undefined,
    exec: (): Reply => CLUSTER_DISABLED,
  })),
  access: "none",
  parse: () => undefined,
  exec: (): Reply => CLUSTER_DISABLED,
});

/** READONLY, READWRITE, ASKING: commands of cluster clients; cluster support is disabled, as in a standalone Redis. */
function clusterClientCommand(name: string, flags: readonly CommandFlag[], summary: string, since: string): CommandSpec {
  return defineCommand({
    name, arity: 1, flags: [...flags], group: "cluster", summary, since, complexity: "O(1)",
    access: "none", parse: () => undefined,
    exec: (): Reply => CLUSTER_DISABLED,
  });
}

const CLUSTER_CLIENT_COMMANDS = [
  clusterClientCommand("readonly", ["loading", "stale", "fast"], "Answers that cluster support is disabled (no replica reads to enable).", "3.0.0"),
  clusterClientCommand("readwrite", ["loading", "stale", "fast"], "Answers that cluster support is disabled.", "3.0.0"),
  clusterClientCommand("asking", ["fast"], "Answers that cluster support is disabled (no slots migrate).", "3.0.0"),
];

const ART = [
  "  __  __       _            _       ",
  " |  \\/  | __ _| |_ ___ _ __(_) __ _ ",
  " | |\\/| |/ _` | __/ _ \\ '__| |/ _` |",
  " | |  | | (_| | ||  __/ |  | | (_| |",
  " |_|  |_|\\__,_|\\__\\___|_|  |_|\\__,_|",
  "",
].join("\n");

const lolwut = defineCommand({
  name: "lolwut",
  arity: -1,
  flags: ["readonly", "fast"],
  group: "server",
  summary: "Replies with a small piece of ASCII art and Materia's version.",
  since: "5.0.0",
  complexity: "O(1)",
  arguments: [optional(withToken("VERSION", integer("version")))],
  access: "none",
  parse(argv) {
    // As Redis: only VERSION followed by a value is checked; other arguments are ignored.
    const args = new ArgumentReader(argv);
    if (args.left >= 2 && args.token("VERSION")) args.integer();
    return args.finish(undefined);
  },
  exec: ({ server }): Reply => new VerbatimReply(`${ART}\nMateria ver. ${server.serverInfo().version}\n`),
});

const time = defineCommand({
  name: "time",
  arity: 1,
  flags: ["loading", "stale", "fast"],
  group: "server",
  summary: "Returns the server's time: seconds since the Unix epoch and the microseconds within that second.",
  since: "2.6.0",
  complexity: "O(1)",
  access: "none",
  parse: () => undefined,
  exec(): Reply {
    // Microseconds from the wall clock (performance.timeOrigin + now() is finer than Date.now()).
    const micros = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    return [String(Math.floor(micros / 1_000_000)), String(micros % 1_000_000)];
  },
});

export const MISC_SERVER_COMMANDS: readonly CommandSpec[] = [cluster, ...CLUSTER_CLIENT_COMMANDS, lolwut, time];
