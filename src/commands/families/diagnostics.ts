// Watching commands go by: MONITOR, SLOWLOG and LATENCY, over the server's
// observers (command_observers.ts; state in src/server/monitors.ts,
// slow_log.ts, latency_monitor.ts). Redis's replies and errors; each tenant
// sees its own clients' commands, the operator every tenant's.
import { Frames, OK, VerbatimReply, type Reply } from "../../resp/reply.ts";
import { integer, multiple, optional, string } from "../arguments.ts";
import { ArgumentReader } from "../argument_reader.ts";
import { type LatencySample, type ObserverView, type SlowLogEntry, viewOf } from "../command_observers.ts";
import { ErrorReply } from "../../resp/reply.ts";
import { noPermission, subcommandSyntax, SYNTAX } from "../errors.ts";
import { helpSubcommand } from "../help_subcommand.ts";
import { defineCommand, type CommandSpec, type LocalContext } from "../spec.ts";

const MONITOR_IN_TRANSACTION = new ErrorReply("ERR MONITOR isn't allowed for DENY BLOCKING client");
const SLOWLOG_COUNT = new ErrorReply("ERR count should be greater than or equal to -1");

function viewOfCaller(ctx: LocalContext): ObserverView {
  return viewOf(ctx.session.principal, ctx.session.keyspace.tenant);
}

/**
 * MONITOR and SLOWLOG GET show the arguments of every command of the
 * tenant: a principal limited to some key prefixes may not see them all.
 */
function seesWholeTenant(ctx: LocalContext): boolean {
  return ctx.session.principal?.keys === undefined;
}

const monitor = defineCommand({
  name: "monitor",
  arity: 1,
  flags: ["admin", "noscript", "loading", "stale"],
  needsRights: ["read"],
  group: "server",
  summary: "Streams every command the tenant's clients run (the operator: every tenant's) as it runs, until RESET or disconnection.",
  since: "1.0.0",
  complexity: "O(1)",
  access: "none",
  parse: () => undefined,
  exec(ctx): Reply {
    if (ctx.batched) return MONITOR_IN_TRANSACTION;
    if (!seesWholeTenant(ctx)) return noPermission("monitor");
    // As Redis: a second MONITOR is ignored, without a reply.
    if (!ctx.server.monitors.start(ctx.session)) return NO_REPLY;
    return OK;
  },
});

const NO_REPLY = new Frames([]);

// SLOWLOG

function slowLogEntryReply(entry: SlowLogEntry): Reply {
  return [entry.id, entry.timeSeconds, entry.durationMicros, entry.args, entry.addr, entry.clientName];
}

const slowlogGet = defineCommand({
  name: "get", arity: -2, flags: ["admin", "loading", "stale"], group: "server",
  needsRights: ["read"],
  summary: "Returns the newest slow log entries (10 unless a count is given; -1: all) of the caller's tenant (the operator: of every tenant).",
  since: "2.2.12", complexity: "O(N) where N is the number of entries returned",
  arguments: [optional(integer("count"))],
  access: "none",
  parse(argv): number | ErrorReply {
    if (argv.length > 3) return subcommandSyntax(new TextDecoder().decode(argv[1]!), "slowlog");
    const args = new ArgumentReader(argv, 2);
    if (args.atEnd) return 10;
    const count = args.integerIn({ min: -1n }, SLOWLOG_COUNT);
    return args.finish(count === -1 ? Infinity : count);
  },
  exec(ctx, count: number): Reply {
    if (!seesWholeTenant(ctx)) return noPermission("slowlog|get");
    return ctx.server.slowLog.entries(viewOfCaller(ctx), count).map(slowLogEntryReply);
  },
});

const slowlogLen = defineCommand({
  name: "len", arity: 2, flags: ["admin", "loading", "stale"], group: "server",
  summary: "Returns the number of entries in the slow log of the caller's tenant (the operator: of every tenant).",
  since: "2.2.12", complexity: "O(1)",
  access: "none", parse: () => undefined,
  exec: (ctx): Reply => ctx.server.slowLog.length(viewOfCaller(ctx)),
});

const slowlogReset = defineCommand({
  name: "reset", arity: 2, flags: ["admin", "loading", "stale"], group: "server",
  needsRights: ["write"],
  summary: "Empties the slow log of the caller's tenant (the operator: of every tenant).",
  since: "2.2.12", complexity: "O(N) where N is the number of entries in the slowlog",
  access: "none", parse: () => undefined,
  exec(ctx): Reply {
    ctx.server.slowLog.reset(viewOfCaller(ctx));
    return OK;
  },
});

const slowlogHelp = helpSubcommand("slowlog", {
  group: "server",
  since: "6.2.0",
  lines: [
    "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GET [<count>]",
    "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
    "    Entries are made of:",
    "    id, timestamp, time in microseconds, arguments array, client IP and port,",
    "    client name",
    "LEN",
    "    Return the length of the slowlog.",
    "RESET",
    "    Reset the slowlog.",
    "HELP",
    "    Prints this help.",
  ],
});

const slowlog = defineCommand({
  name: "slowlog", arity: -2, flags: [], group: "server",
  summary: "A container for slow log commands: the commands that took longer than slowlog-log-slower-than microseconds.",
  since: "2.2.12", complexity: "Depends on subcommand.",
  subcommands: [slowlogGet, slowlogLen, slowlogReset, slowlogHelp],
  access: "none", parse: () => undefined,
  exec: (): Reply => SYNTAX,
});

// LATENCY

const latencyLatest = defineCommand({
  name: "latest", arity: 2, flags: ["admin", "noscript", "loading", "stale"], group: "server",
  summary: "Returns, for each latency event, the time and latency of its latest spike and its all-time maximum.",
  since: "2.8.13", complexity: "O(1)",
  access: "none", parse: () => undefined,
  exec: (ctx): Reply => ctx.server.latency.latest(viewOfCaller(ctx)).map((e) => [e.event, e.latestSeconds, e.latestMs, e.maxMs]),
});

const latencyHistory = defineCommand({
  name: "history", arity: 3, flags: ["admin", "noscript", "loading", "stale"], group: "server",
  summary: "Returns the latency spikes of one event, oldest first: [unix time, milliseconds] each (160 at most).",
  since: "2.8.13", complexity: "O(1)",
  arguments: [string("event")],
  access: "none",
  parse: (argv) => new TextDecoder().decode(argv[2]!),
  exec: (ctx, event: string): Reply => (ctx.server.latency.history(viewOfCaller(ctx), event) ?? []).map((s) => [s.timeSeconds, s.ms]),
});

const latencyReset = defineCommand({
  name: "reset", arity: -2, flags: ["admin", "noscript", "loading", "stale"], group: "server",
  needsRights: ["write"],
  summary: "Forgets the samples of the named events (all when none is named); replies how many events were reset.",
  since: "2.8.13", complexity: "O(1)",
  arguments: [optional(multiple(string("event")))],
  access: "none",
  parse: (argv) => argv.slice(2).map((arg) => new TextDecoder().decode(arg)),
  exec: (ctx, events: string[]): Reply => ctx.server.latency.reset(viewOfCaller(ctx), events),
});

const latencyGraph = defineCommand({
  name: "graph", arity: 3, flags: ["admin", "noscript", "loading", "stale"], group: "server",
  summary: "Draws the latency spikes of one event as ASCII art, newest on the right.",
  since: "2.8.13", complexity: "O(1)",
  arguments: [string("event")],
  access: "none",
  parse: (argv) => new TextDecoder().decode(argv[2]!),
  exec(ctx, event: string): Reply {
    const view = viewOfCaller(ctx);
    const samples = ctx.server.latency.history(view, event);
    if (samples === undefined || samples.length === 0) return new ErrorReply(`ERR No samples available for event '${event}'`);
    const max = ctx.server.latency.latest(view).find((e) => e.event === event)?.maxMs ?? 0;
    return new VerbatimReply(latencyGraphText(event, samples, { allTimeMaxMs: max, nowMs: ctx.nowMs }));
  },
});

const latencyDoctor = defineCommand({
  name: "doctor", arity: 2, flags: ["admin", "noscript", "loading", "stale"], group: "server",
  summary: "Returns a human-readable analysis of the latency events, with advice.",
  since: "2.8.13", complexity: "O(1)",
  access: "none", parse: () => undefined,
  exec: (ctx): Reply => new VerbatimReply(latencyReport(ctx)),
});

const latencyHelp = helpSubcommand("latency", {
  group: "server",
  since: "2.8.13",
  lines: [
    "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "DOCTOR",
    "    Return a human readable latency analysis report.",
    "GRAPH <event>",
    "    Return an ASCII latency graph for the <event> class.",
    "HISTORY <event>",
    "    Return time-latency samples for the <event> class.",
    "LATEST",
    "    Return the latest latency samples for all events.",
    "RESET [<event> ...]",
    "    Reset latency data of one or more <event> classes.",
    "    (default: reset all data for all event classes)",
    "HELP",
    "    Prints this help.",
  ],
});

const latency = defineCommand({
  name: "latency", arity: -2, flags: [], group: "server",
  summary: "A container for latency monitor commands: spikes of commands slower than latency-monitor-threshold milliseconds.",
  since: "2.8.13", complexity: "Depends on subcommand.",
  subcommands: [latencyDoctor, latencyGraph, latencyHistory, latencyLatest, latencyReset, latencyHelp],
  access: "none", parse: () => undefined,
  exec: (): Reply => SYNTAX,
});

/** LATENCY GRAPH: Redis's header, then one column per sample, its height the sample's share of the highest, and its age below. */
export function latencyGraphText(event: string, samples: readonly LatencySample[], options: { allTimeMaxMs: number; nowMs: number }): string {
  const values = samples.map((s) => s.ms);
  const high = Math.max(...values);
  const low = Math.min(...values);
  const columns = samples.slice(-80);
  const rows = 4;
  let text = `${event} - high ${high} ms, low ${low} ms (all time high ${options.allTimeMaxMs} ms)\n${"-".repeat(80)}\n`;
  const heights = columns.map((s) => (high === 0 ? 0 : Math.max(1, Math.round((s.ms / high) * rows))));
  for (let row = rows; row >= 1; row--) {
    text += heights.map((h) => (h > row ? "|" : h === row ? "_" : " ")).join("").trimEnd() + "\n";
  }
  const labels = columns.map((s) => age(Math.floor(options.nowMs / 1000) - s.timeSeconds));
  const width = Math.max(...labels.map((l) => l.length));
  for (let line = 0; line < width; line++) text += labels.map((l) => l[line] ?? " ").join("").trimEnd() + "\n";
  return text;
}

/** Redis's labels: seconds, minutes, hours or days ago. */
function age(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

/** LATENCY DOCTOR: Redis's report for the events Materia records (command, fast-command). */
function latencyReport(ctx: LocalContext): string {
  const { latency, slowLog } = ctx.server;
  const view = viewOfCaller(ctx);
  const events = latency.latest(view);
  if (events.length === 0 && latency.thresholdMs === 0) {
    return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
  }
  if (events.length === 0) {
    return "Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n";
  }
  let report = "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
  const advice = new Set<string>();
  const threshold = latency.thresholdMs;
  const nowSeconds = Math.floor(ctx.nowMs / 1000);
  events.forEach((summary, i) => {
    const samples = latency.history(view, summary.event) ?? [];
    const count = samples.length;
    const average = Math.floor(samples.reduce((sum, s) => sum + s.ms, 0) / Math.max(count, 1));
    const deviation = Math.floor(samples.reduce((sum, s) => sum + Math.abs(average - s.ms), 0) / Math.max(count, 1));
    const period = Math.max(1, nowSeconds - Math.min(...samples.map((s) => s.timeSeconds)));
    report += `${i + 1}. ${summary.event}: ${count} latency spikes (average ${average}ms, mean deviation ${deviation}ms, period ${(period / count).toFixed(2)} sec). Worst all time event ${summary.maxMs}ms.\n`;
    if (summary.event === "command") {
      if (slowLog.logSlowerThanMicros < 0) {
        advice.add(`- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ${threshold * 1000}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n`);
      } else if (Math.floor(slowLog.logSlowerThanMicros / 1000) > threshold) {
        advice.add(`- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ${threshold * 1000}'.\n`);
      }
      advice.add("- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n");
      advice.add("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n");
    }
    if (summary.event === "fast-command") {
      advice.add("- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n" +
        "  1) Lower the system load.\n" +
        "  2) Use a computer / VM just for Redis if you are running other software in the same system.\n" +
        "  3) Check if you have a \"noisy neighbour\" problem.\n");
    }
  });
  return `${report}\nI have a few advices for you:\n\n${[...advice].join("")}`;
}

export const DIAGNOSTICS_COMMANDS: readonly CommandSpec[] = [monitor, slowlog, latency];
