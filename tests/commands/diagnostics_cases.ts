// Differential cases of SLOWLOG and LATENCY (src/commands/families/diagnostics.ts),
// run by diagnostics_test.ts against redis-server or its recorded replies.
// Entries are compared with times, durations, client addresses and id
// offsets masked (compare.ts maskDiagnostics). Both servers are shared by
// every case: each case sets what it needs and puts the defaults back
// (slowlog-log-slower-than 10000, slowlog-max-len 128,
// latency-monitor-threshold 0). MONITOR's lines carry times and ports, and
// a monitoring connection receives more than one reply per command: they are
// compared through real sockets in diagnostics_test.ts.
import { anyInteger, type CasesByCommand, diagnostics, hello, type Step } from "../differential/case_types.ts";

const DEFAULTS: readonly Step[] = [
  ["CONFIG", "SET", "slowlog-log-slower-than", "10000"],
  ["CONFIG", "SET", "slowlog-max-len", "128"],
  ["CONFIG", "SET", "latency-monitor-threshold", "0"],
  ["SLOWLOG", "RESET"],
  anyInteger("LATENCY", "RESET"),
];

/** Logs every command from here on, and starts from an empty log. */
const LOG_EVERYTHING: readonly Step[] = [["CONFIG", "SET", "slowlog-log-slower-than", "0"], ["SLOWLOG", "RESET"]];

/**
 * A script that runs for 60 ms on either server: a latency spike over a
 * threshold of SPIKE_MS, which no other command of a case reaches even on a
 * loaded machine (a 1 ms threshold catches stray fast commands too). It
 * reads the clock rarely: Redis samples the TIME calls of a script as
 * fast commands, and one of thousands descheduled for 30 ms would add a
 * `fast-command` event.
 */
export const SPIN_60_MS = "local t = redis.call('TIME') local s = t[1]*1000000 + t[2] " +
  "repeat for i = 1, 20000 do end local n = redis.call('TIME') until (n[1]*1000000 + n[2]) - s >= 60000 return 1";
export const SPIKE_MS = "30";

const manyArguments = Array.from({ length: 40 }, (_, i) => `item${i}`);

/** Commands whose COMMAND INFO must equal Redis's (the recording keeps Redis's). */
export const METADATA_COMMANDS: readonly string[] = ["monitor", "slowlog|get", "slowlog|len", "slowlog|reset", "slowlog|help"];

export const CASES: CasesByCommand = {
  "SLOWLOG GET": [
    {
      name: "SLOWLOG GET with every command logged: newest first, arguments, client name; the count limits it",
      steps: [
        ...LOG_EVERYTHING,
        ["SET", "k", "v"],
        ["GET", "k"],
        ["CLIENT", "SETNAME", "probe"],
        ["GET", "missing"],
        diagnostics("SLOWLOG", "GET", "2"),
        diagnostics("SLOWLOG", "GET"),
        diagnostics("slowlog", "get", "-1"),
        ["SLOWLOG", "GET", "0"],
        ...DEFAULTS,
      ],
    },
    {
      name: "SLOWLOG GET trims an entry to 32 arguments and each argument to 128 bytes, saying how much more there was",
      steps: [
        ...LOG_EVERYTHING,
        ["RPUSH", "list", ...manyArguments],
        ["SET", "long", "x".repeat(300)],
        ["ECHO", "y".repeat(128)],
        ["ECHO", "z".repeat(129)],
        diagnostics("SLOWLOG", "GET", "4"),
        ...DEFAULTS,
      ],
    },
    {
      name: "SLOWLOG GET shows AUTH and HELLO AUTH secrets, and CONFIG SET values of sensitive parameters, as (redacted)",
      steps: [
        ...LOG_EVERYTHING,
        ["AUTH", "default", "secret"],
        ["AUTH", "lonely-password"],
        hello("2", "AUTH", "default", "other-secret", "SETNAME", "named"),
        ["HELLO", "9", "AUTH", "default", "kept"],
        ["CONFIG", "SET", "hz", "10", "masterauth", "s3cret"],
        diagnostics("SLOWLOG", "GET", "5"),
        ["CONFIG", "SET", "masterauth", ""],
        ...DEFAULTS,
      ],
    },
    {
      name: "SLOWLOG GET checks its count: an integer from -1",
      steps: [
        ["SLOWLOG", "GET", "-2"], ["SLOWLOG", "GET", "abc"], ["SLOWLOG", "GET", "1", "2"], ["SLOWLOG", "GET", "1.5"],
        ["SLOWLOG", "GET", "99999999999999999999"],
      ],
    },
  ],
  "SLOWLOG LEN": [
    {
      name: "SLOWLOG LEN counts entries up to slowlog-max-len; -1 turns the log off",
      steps: [
        ...LOG_EVERYTHING,
        ["SET", "a", "1"],
        ["SLOWLOG", "LEN"],
        ["CONFIG", "SET", "slowlog-max-len", "2"],
        ["SET", "b", "2"],
        ["SET", "c", "3"],
        ["SLOWLOG", "LEN"],
        diagnostics("SLOWLOG", "GET"),
        ["CONFIG", "SET", "slowlog-log-slower-than", "-1"],
        ["SLOWLOG", "RESET"],
        ["SET", "d", "4"],
        ["SLOWLOG", "LEN"],
        ["CONFIG", "SET", "slowlog-log-slower-than", "100000000"],
        ["SET", "e", "5"],
        ["SLOWLOG", "LEN"],
        ["SLOWLOG", "LEN", "x"],
        ...DEFAULTS,
      ],
    },
  ],
  "SLOWLOG RESET": [
    {
      name: "SLOWLOG RESET empties the log (and is logged itself), and takes no argument",
      steps: [...LOG_EVERYTHING, ["SET", "a", "1"], ["SLOWLOG", "RESET"], ["SLOWLOG", "LEN"], ["SLOWLOG", "RESET", "x"], ...DEFAULTS],
    },
  ],
  "SLOWLOG HELP": [
    { name: "SLOWLOG HELP lists the subcommands", steps: [["SLOWLOG", "HELP"], ["slowlog", "help"], ["SLOWLOG", "HELP", "x"]] },
  ],
  slowlog: [
    { name: "SLOWLOG without or with an unknown subcommand", steps: [["SLOWLOG"], ["SLOWLOG", "NOPE"], ["SLOWLOG", "nope", "x"]] },
  ],
  "LATENCY LATEST": [
    {
      name: "LATENCY LATEST: nothing while the monitor is off; a spike past latency-monitor-threshold is the command event",
      steps: [
        ...DEFAULTS,
        ["EVAL", SPIN_60_MS, "0"],
        ["LATENCY", "LATEST"],
        ["CONFIG", "SET", "latency-monitor-threshold", SPIKE_MS],
        ["EVAL", SPIN_60_MS, "0"],
        diagnostics("LATENCY", "LATEST"),
        ["LATENCY", "LATEST", "x"],
        ...DEFAULTS,
      ],
    },
  ],
  "LATENCY HISTORY": [
    {
      name: "LATENCY HISTORY gives an event's samples; an unknown event has none",
      steps: [
        ...DEFAULTS,
        ["LATENCY", "HISTORY", "command"],
        ["CONFIG", "SET", "latency-monitor-threshold", SPIKE_MS],
        ["EVAL", SPIN_60_MS, "0"],
        diagnostics("LATENCY", "HISTORY", "command"),
        ["LATENCY", "HISTORY", "no-such-event"],
        ["LATENCY", "HISTORY"],
        ["LATENCY", "HISTORY", "a", "b"],
        ...DEFAULTS,
      ],
    },
  ],
  "LATENCY RESET": [
    {
      name: "LATENCY RESET counts the events it forgets, all or those named",
      steps: [
        ...DEFAULTS,
        ["LATENCY", "RESET"],
        ["CONFIG", "SET", "latency-monitor-threshold", SPIKE_MS],
        ["EVAL", SPIN_60_MS, "0"],
        ["LATENCY", "RESET", "no-such-event"],
        ["LATENCY", "RESET", "COMMAND", "no-such-event"],
        ["LATENCY", "LATEST"],
        ...DEFAULTS,
      ],
    },
  ],
  "LATENCY GRAPH": [
    {
      name: "LATENCY GRAPH of an event without samples is an error",
      steps: [...DEFAULTS, ["LATENCY", "GRAPH", "command"], ["LATENCY", "GRAPH"], ["LATENCY", "GRAPH", "a", "b"]],
    },
  ],
  "LATENCY DOCTOR": [
    {
      name: "LATENCY DOCTOR while latency monitoring is off",
      steps: [...DEFAULTS, ["LATENCY", "DOCTOR"], ["LATENCY", "DOCTOR", "x"]],
    },
  ],
  latency: [
    { name: "LATENCY without or with an unknown subcommand", steps: [["LATENCY"], ["LATENCY", "NOPE"], ["latency", "nope", "x"]] },
  ],
  MONITOR: [
    {
      name: "MONITOR is refused inside MULTI ... EXEC and from scripts",
      steps: [["MULTI"], ["MONITOR"], ["EXEC"], ["PING"], ["EVAL", "return redis.call('monitor')", "0"], ["MONITOR", "x"], ["PING"]],
    },
  ],
  config: [
    {
      name: "CONFIG SET and GET slowlog-log-slower-than, slowlog-max-len and latency-monitor-threshold, with Redis's range errors",
      steps: [
        ["CONFIG", "SET", "slowlog-log-slower-than", "2500"],
        ["CONFIG", "GET", "slowlog-log-slower-than"],
        ["CONFIG", "SET", "slowlog-max-len", "7"],
        ["CONFIG", "GET", "slowlog-max-len"],
        ["CONFIG", "SET", "latency-monitor-threshold", "25"],
        ["CONFIG", "GET", "latency-monitor-threshold"],
        ["CONFIG", "SET", "slowlog-log-slower-than", "-2"],
        ["CONFIG", "SET", "slowlog-log-slower-than", "1.5"],
        ["CONFIG", "SET", "slowlog-max-len", "-1"],
        ["CONFIG", "SET", "slowlog-max-len", "abc"],
        ["CONFIG", "SET", "latency-monitor-threshold", "-1"],
        ["CONFIG", "SET", "latency-monitor-threshold", "99999999999999999999"],
        ["CONFIG", "GET", "slowlog-max-len"],
        ...DEFAULTS,
        ["CONFIG", "GET", "slowlog-log-slower-than"],
        ["CONFIG", "GET", "latency-monitor-threshold"],
      ],
    },
  ],
};
