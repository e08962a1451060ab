// The tests of the sets commands (src/commands/families/sets.ts), by command:
// the differential cases of sets_cases.ts against redis-server (or its recorded
// replies), then Materia's own tests.
import { family } from "./families.ts";
import { differentialSuite } from "../differential/suite.ts";
import { CASES, METADATA_COMMANDS } from "./sets_cases.ts";

differentialSuite("sets", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("sets").specs });
