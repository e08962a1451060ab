// The tests of the sorted-set commands (src/commands/families/sorted_sets.ts):
// the differential cases of sorted_sets_cases.ts against redis-server (or its
// recorded replies), then Materia's own tests.
import { family } from "./families.ts";
import { differentialSuite } from "../differential/suite.ts";
import { CASES, METADATA_COMMANDS } from "./sorted_sets_cases.ts";

differentialSuite("sorted_sets", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("sorted_sets").specs });
