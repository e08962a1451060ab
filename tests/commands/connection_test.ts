// The tests of the connection commands (src/commands/families/connection.ts), by command:
// the differential cases of connection_cases.ts against redis-server (or its recorded
// replies), then Materia's own tests.
import { family } from "./families.ts";
import { differentialSuite } from "../differential/suite.ts";
import { CASES, METADATA_COMMANDS } from "./connection_cases.ts";

differentialSuite("connection", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("connection").specs });
