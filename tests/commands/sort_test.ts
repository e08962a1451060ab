// The tests of SORT and SORT_RO (src/commands/families/sort.ts): the differential
// cases of sort_cases.ts against redis-server (or its recorded replies), then
// Materia's own tests: BY and GET patterns under tenants and prefix-limited tokens.
import { family } from "./families.ts";
import { differentialSuite } from "../differential/suite.ts";
import { CASES, METADATA_COMMANDS } from "./sort_cases.ts";

differentialSuite("sort", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("sort").specs });
