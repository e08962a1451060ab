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

export const METADATA_COMMANDS: readonly string[] = ["save", "bgsave", "bgrewriteaof", "lastsave", "wait", "shutdown", "role"];
