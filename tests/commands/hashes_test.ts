// The tests of the hashes commands (src/commands/families/hashes.ts), by command:
// the differential cases of hashes_cases.ts against redis-server (or its recorded
// replies), then Materia's own tests.
import { family } from "./families.ts";
import { differentialSuite } from "../differential/suite.ts";
import { CASES, METADATA_COMMANDS } from "./hashes_cases.ts";

differentialSuite("hashes", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("hashes").specs });
