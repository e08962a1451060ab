// Differential cases of CLUSTER, LOLWUT and TIME (src/commands/families/cluster.ts);
// run by cluster_test.ts against redis-server or its recorded replies
// (tests/differential/suite.ts). Materia is not a cluster: like a redis-server
// started without cluster support, every CLUSTER subcommand says so.
import type { CasesByCommand, DifferentialCase } from "../differential/case_types.ts";

/** Every CLUSTER subcommand with as many arguments as it takes. */
const CLUSTER_CALLS: ReadonlyArray<readonly [string, ...string[]]> = [
  ["ADDSLOTS", "1"], ["ADDSLOTSRANGE", "1", "1"], ["BUMPEPOCH"], ["COUNT-FAILURE-REPORTS", "1"], ["COUNTKEYSINSLOT", "1"],
  ["DELSLOTS", "1"], ["DELSLOTSRANGE", "1", "1"], ["FAILOVER"], ["FLUSHSLOTS"], ["FORGET", "1"], ["GETKEYSINSLOT", "1", "1"],
  ["HELP"], ["INFO"], ["KEYSLOT", "1"], ["LINKS"], ["MEET", "1", "1"], ["MYID"], ["NODES"], ["REPLICAS", "1"], ["REPLICATE", "1"],
  ["RESET"], ["SAVECONFIG"], ["SET-CONFIG-EPOCH", "1"], ["SETSLOT", "1", "1"], ["SHARDS"], ["SLAVES", "1"], ["SLOTS"],
];

const BY_SUBCOMMAND: CasesByCommand = Object.fromEntries(CLUSTER_CALLS.map(([sub, ...args]): [string, DifferentialCase[]] => [
  `CLUSTER ${sub}`,
  [{ name: `CLUSTER ${sub} answers that cluster support is disabled`, steps: [["CLUSTER", sub, ...args]] }],
]));

export const CASES: CasesByCommand = {
  CLUSTER: [
    {
      name: "CLUSTER: support disabled",
      steps: [["CLUSTER", "INFO"], ["CLUSTER", "NODES"], ["CLUSTER", "SLOTS"], ["CLUSTER", "HELP"], ["CLUSTER", "KEYSLOT", "foo"], ["CLUSTER", "FOO"], ["CLUSTER"], ["CLUSTER", "INFO", "x"]],
    },
  ],
  ...BY_SUBCOMMAND,
  READONLY: [{ name: "READONLY, READWRITE, ASKING: cluster support disabled; no arguments", steps: [["READONLY"], ["READWRITE"], ["ASKING"], ["READONLY", "x"], ["ASKING", "x"]] }],
  LOLWUT: [
    { name: "LOLWUT errors", steps: [["LOLWUT", "VERSION", "x"], ["TIME", "x"]] },
  ],
};

export const METADATA_COMMANDS: readonly string[] = [
  "cluster", "cluster|info", "cluster|nodes", "cluster|myid", "cluster|keyslot", "readonly", "readwrite", "asking", "lolwut", "time",
];
