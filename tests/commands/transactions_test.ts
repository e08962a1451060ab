// The tests of the transactions commands (src/commands/families/transactions.ts), by command:
// the differential cases of transactions_cases.ts against redis-server (or its recorded
// replies), then Materia's own tests.
import { family } from "./families.ts";
import { differentialSuite } from "../differential/suite.ts";
import { CASES, METADATA_COMMANDS } from "./transactions_cases.ts";

differentialSuite("transactions", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("transactions").specs });
