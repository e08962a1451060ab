// The tests of the server commands (src/commands/families/server.ts), by command:
// the differential cases of server_cases.ts against redis-server (or its recorded
// replies), then Materia's own tests.
import { family } from "./families.ts";
import { differentialSuite } from "../differential/suite.ts";
import { CASES, METADATA_COMMANDS } from "./server_cases.ts";

differentialSuite("server", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("server").specs });
