// The tests of the keys commands (src/commands/families/keys.ts), by command:
// the differential cases of keys_cases.ts against redis-server (or its recorded
// replies), then Materia's own tests.
import { family } from "./families.ts";
import { differentialSuite } from "../differential/suite.ts";
import { CASES, METADATA_COMMANDS } from "./keys_cases.ts";

differentialSuite("keys", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("keys").specs });
