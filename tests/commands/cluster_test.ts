// The tests of the cluster commands (src/commands/families/cluster.ts), by command:
// the differential cases of cluster_cases.ts against redis-server (or its recorded
// replies), then Materia's own tests.
import { family } from "./families.ts";
import { differentialSuite } from "../differential/suite.ts";
import { CASES, METADATA_COMMANDS } from "./cluster_cases.ts";

differentialSuite("cluster", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("cluster").specs });
