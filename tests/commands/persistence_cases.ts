// Differential cases of the persistence commands (src/commands/families/
// persistence.ts) that answer as Redis: WAIT on a server without replicas,
// LASTSAVE's shape, and the errors of SAVE, BGSAVE, BGREWRITEAOF and SHUTDOWN
// (a valid SAVE would write a file, a valid SHUTDOWN stop redis-server:
// persistence_test.ts runs those on Materia).
import { anyInteger, type CasesByCommand } from "../differential/case_types.ts";

export const CASES: CasesByCommand = {
  WAIT: [
    {
      // WAIT 1 or more answers 0 on SQLite and memory but the number asked on FoundationDB (persistence_test.ts).
      name: "WAIT for no replica answers 0; its arguments are checked",
      steps: [
        ["SET", "k", "v"], ["WAIT", "0", "0"], ["WAIT", "0", "1"], ["WAIT", "-1", "0"],
        ["WAIT", "x", "0"], ["WAIT", "0", "x"], ["WAIT", "0", "-1"], ["WAIT", "0", "1.5"], ["WAIT", "x", "-1"], ["WAIT", "0"],
      ],
    },
    { name: "WAIT inside MULTI answers at once", steps: [["MULTI"], ["SET", "k", "v"], ["WAIT", "0", "0"], ["EXEC"]] },
  ],
  ROLE: [{ name: "ROLE of a server without replicas: a master at offset 0", steps: [["ROLE"], ["ROLE", "x"]] }],
  REPLICAOF: [
    {
      // Following another server is refused (Materia's own error), after Redis's own checks: tests/commands/persistence_test.ts.
      name: "REPLICAOF NO ONE and SLAVEOF NO ONE: a master already; the port is checked first",
      steps: [
        ["REPLICAOF", "NO", "ONE"], ["REPLICAOF", "no", "one"], ["SLAVEOF", "NO", "ONE"], ["REPLICAOF"], ["REPLICAOF", "no"], ["REPLICAOF", "NO", "ONE", "x"],
        ["REPLICAOF", "localhost", "abc"], ["REPLICAOF", "localhost", "99999"], ["REPLICAOF", "localhost", "-1"], ["SLAVEOF", "localhost", "x"],
        // Any port Redis takes would make it a replica of nothing: only refused ports here, and NO ONE last.
        ["REPLICAOF", "NO", "ONE"],
      ],
    },
  ],
  FAILOVER: [
    {
      name: "FAILOVER without replicas, its argument errors, and ABORT with no failover in progress",
      steps: [
        ["FAILOVER"], ["FAILOVER", "FORCE"], ["FAILOVER", "TO", "h", "1"], ["FAILOVER", "TO"], ["FAILOVER", "TO", "h", "x"], ["FAILOVER", "ABORT"],
        ["FAILOVER", "TIMEOUT", "-1"], ["FAILOVER", "TIMEOUT", "0"], ["FAILOVER", "TIMEOUT", "x"], ["FAILOVER", "TIMEOUT", "100"], ["FAILOVER", "foo"],
      ],
    },
  ],
  LASTSAVE: [{ name: "LASTSAVE answers a Unix time", steps: [anyInteger("LASTSAVE"), ["LASTSAVE", "x"]] }],
  SAVE: [{ name: "SAVE takes no argument and is refused inside MULTI", steps: [["SAVE", "x"], ["MULTI"], ["SAVE"], ["EXEC"]] }],
  BGSAVE: [{ name: "BGSAVE takes SCHEDULE and nothing else", steps: [["BGSAVE", "x"], ["BGSAVE", "SCHEDULE", "x"], ["BGSAVE", "NOW"]] }],
  BGREWRITEAOF: [{ name: "BGREWRITEAOF takes no argument", steps: [["BGREWRITEAOF", "x"]] }],
  SHUTDOWN: [
    {
      name: "SHUTDOWN: ABORT without a shutdown in progress, syntax errors, refused inside MULTI",
      steps: [
        ["SHUTDOWN", "ABORT"], ["shutdown", "abort"], ["SHUTDOWN", "ABORT", "NOW"], ["SHUTDOWN", "SAVE", "NOSAVE"], ["SHUTDOWN", "BAD"],
        ["SHUTDOWN", "NOW", "x"], ["MULTI"], ["SHUTDOWN"], ["DISCARD"],
      ],
    },
  ],
};

export const METADATA_COMMANDS: readonly string[] = ["save", "bgsave", "bgrewriteaof", "lastsave", "wait", "shutdown", "role", "replicaof", "slaveof", "failover"];
