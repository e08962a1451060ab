// The tests of BITFIELD and BITFIELD_RO (src/commands/families/bitfield.ts): the
// differential cases of bitfield_cases.ts against redis-server (or its recorded
// replies), then Materia's own tests.
import { family } from "./families.ts";
import { differentialSuite } from "../differential/suite.ts";
import { CASES, METADATA_COMMANDS } from "./bitfield_cases.ts";

differentialSuite("bitfield", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("bitfield").specs });
