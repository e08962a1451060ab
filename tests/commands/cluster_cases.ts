// Differential cases of CLUSTER, LOLWUT and TIME (src/commands/families/cluster.ts);
// run by cluster_test.ts against redis-server or its recorded replies
// (tests/differential/suite.ts). Materia is not a cluster: like a redis-server
// started without cluster support, every CLUSTER subcommand says so.
import type { CasesByCommand } from "../differential/case_types.ts";

export const CASES: CasesByCommand = {
  CLUSTER: [
    {
      name: "CLUSTER: support disabled",
      steps: [["CLUSTER", "INFO"], ["CLUSTER", "NODES"], ["CLUSTER", "SLOTS"], ["CLUSTER", "HELP"], ["CLUSTER", "KEYSLOT", "foo"], ["CLUSTER", "FOO"], ["CLUSTER"], ["CLUSTER", "INFO", "x"]],
    },
  ],
  LOLWUT: [
    { name: "LOLWUT errors", steps: [["LOLWUT", "VERSION", "x"], ["TIME", "x"]] },
  ],
};

export const METADATA_COMMANDS: readonly string[] = [
  "cluster", "cluster|info", "cluster|nodes", "cluster|myid", "cluster|keyslot", "lolwut", "time",
];
