// The tests of BITFIELD and BITFIELD_RO (src/commands/families/bitfield.ts): the
// differential cases of bitfield_cases.ts against redis-server (or its recorded
// replies), then Materia's own tests.
import { family } from "./families.ts";
import { differentialSuite } from "../differential/suite.ts";
import { CASES, METADATA_COMMANDS } from "./bitfield_cases.ts";

differentialSuite("bitfield", { cases: CASES, metadata: METADATA_COMMANDS, specs: family("bitfield").specs });

// Materia's own tests: the bound on offsets. Redis refuses an offset whose byte
// is at or past proto-max-bulk-len (512 MB by default); Materia's is its 5 MB
// value limit, so the same error comes from 41,943,040 (5 MB x 8) on.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { RawClient } from "../support/raw_client.ts";
import { startInProcess, type RunningServer } from "../support/servers.ts";

const OFFSET_INVALID = "-ERR bit offset is not an integer or out of range\r\n";

describe("BITFIELD offsets stop at Materia's 5 MB value limit", () => {
  let server: RunningServer;
  let client: RawClient;
  before(async () => {
    server = await startInProcess();
    client = await RawClient.connect(server.port);
  });
  after(async () => {
    client.close();
    await server.stop();
  });

  test("a field starting in the last byte of 5 MB is read and written; one starting after it is refused, reads included", async () => {
    assert.equal(await client.call("BITFIELD", "k", "GET", "u8", "41943039"), "*1\r\n:0\r\n");
    assert.equal(await client.call("BITFIELD", "k", "GET", "u8", "41943040"), OFFSET_INVALID);
    assert.equal(await client.call("BITFIELD_RO", "k", "GET", "i64", "#655360"), OFFSET_INVALID);
    assert.equal(await client.call("BITFIELD", "k", "SET", "u8", "#5242880", "1"), OFFSET_INVALID);
    assert.equal(await client.call("BITFIELD", "k", "INCRBY", "u8", "#5242879", "1", "INCRBY", "u8", "#5242880", "1"), OFFSET_INVALID);
    assert.equal(await client.call("EXISTS", "k"), ":0\r\n", "a refused call writes nothing");
    assert.equal(await client.call("BITFIELD", "k", "INCRBY", "u8", "#5242879", "1"), "*1\r\n:1\r\n");
    assert.equal(await client.call("STRLEN", "k"), `:${5 * 1024 * 1024}\r\n`);
  });
});
