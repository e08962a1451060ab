import { test } from "node:test";
import assert from "node:assert/strict";
import { SentNames } from "../../src/commands/sent_names.ts";
import { ALL_COMMANDS } from "../../src/commands/table.ts";

const names = new SentNames(ALL_COMMANDS);
const sent = (text: string): Uint8Array => new TextEncoder().encode(text);

test("every command is found by its name in any letter case, and nothing else is", () => {
  for (const spec of ALL_COMMANDS) {
    assert.equal(names.find(sent(spec.name)), spec);
    assert.equal(names.find(sent(spec.name.toUpperCase())), spec);
    const mixed = [...spec.name].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c)).join("");
    assert.equal(names.find(sent(mixed)), spec);
    const longer = ALL_COMMANDS.find((other) => other.name === `${spec.name}x`);
    assert.equal(names.find(sent(`${spec.name}x`)), longer);
  }
  assert.equal(names.find(sent("nosuchcommand")), undefined);
  assert.equal(names.find(sent("")), undefined);
  assert.equal(names.find(sent("g\u00e9t")), undefined);
  assert.equal(names.find(new Uint8Array([0x47, 0x45, 0x54 + 0x80])), undefined);
  assert.equal(names.find(sent("x".repeat(40))), undefined);
  // Case folding is for letters only: "_" (0x5f) is not "\x7f".
  assert.equal(names.find(sent("json.get"))?.name, "json.get");
});
