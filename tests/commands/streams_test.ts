// The tests of the stream commands (src/commands/families/streams.ts): the
// differential cases and XREAD BLOCK scenarios of streams_cases.ts against
// redis-server (or its recorded replies), on the memory and SQLite engines.
import { family } from "./families.ts";
import { differentialSuite } from "../differential/suite.ts";
import { scenarioSuite } from "../differential/scenario_suite.ts";
import { CASES, METADATA_COMMANDS, SCENARIOS } from "./streams_cases.ts";

differentialSuite("streams", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("streams").specs });
scenarioSuite("streams", SCENARIOS);
