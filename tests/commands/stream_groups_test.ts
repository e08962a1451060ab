// The tests of the stream consumer-group commands
// (src/commands/families/stream_groups.ts): the differential cases and
// XREADGROUP BLOCK scenarios of stream_groups_cases.ts against redis-server
// (or its recorded replies), on the memory and SQLite engines.
import { family } from "./families.ts";
import { differentialSuite } from "../differential/suite.ts";
import { scenarioSuite } from "../differential/scenario_suite.ts";
import { CASES, METADATA_COMMANDS, SCENARIOS } from "./stream_groups_cases.ts";

differentialSuite("stream_groups", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("stream_groups").specs });
scenarioSuite("stream_groups", SCENARIOS);
