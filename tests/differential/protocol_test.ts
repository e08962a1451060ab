// The differential cases of the protocol (protocol_cases.ts): RESP3 replies
// across commands, unknown commands, inline commands and protocol errors,
// against redis-server or its recorded replies (suite.ts). Each command
// family's cases run in tests/commands/<family>_test.ts.
import { differentialSuite } from "./suite.ts";
import { CASES } from "./protocol_cases.ts";

differentialSuite("protocol", { cases: CASES });
