// The tests of the strings commands (src/commands/families/strings.ts), by command:
// the differential cases of strings_cases.ts against redis-server (or its recorded
// replies), then Materia's own tests.
import { family } from "./families.ts";
import { differentialSuite } from "../differential/suite.ts";
import { CASES, METADATA_COMMANDS } from "./strings_cases.ts";

differentialSuite("strings", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("strings").specs });
