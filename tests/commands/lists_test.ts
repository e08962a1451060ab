// The tests of the lists commands (src/commands/families/lists.ts), by command:
// the differential cases of lists_cases.ts against redis-server (or its recorded
// replies), then Materia's own tests.
import { family } from "./families.ts";
import { differentialSuite } from "../differential/suite.ts";
import { CASES, METADATA_COMMANDS } from "./lists_cases.ts";

differentialSuite("lists", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("lists").specs });
