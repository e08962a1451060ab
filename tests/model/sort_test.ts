// SORT's model (src/model/sort.ts): weights read as C's strtod reads them, and
// the key-naming head of BY/GET patterns.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { patternHead, sortWeight } from "../../src/model/sort.ts";

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe("SORT weights", () => {
  test("numbers strtod reads whole", () => {
    const cases: [string, number][] = [
      ["1", 1], ["-2.5", -2.5], [" \t\n3", 3], ["+4", 4], [".5", 0.5], ["5.", 5], ["1e3", 1000], ["1E-2", 0.01], ["0x10", 16], ["0X1p3", 8],
      ["-0x.8", -0.5], ["inf", Infinity], ["-Infinity", -Infinity], ["", 0], ["7\x00junk", 7], ["\x00", 0], ["0e-400", 0], ["1e-300", 1e-300],
    ];
    for (const [text, value] of cases) assert.equal(sortWeight(enc(text)), value, JSON.stringify(text));
  });

  test("trailing bytes, NaN, overflow and underflow are refused", () => {
    for (const text of ["1 ", "abc", "1x", "nan", "-nan(1)", "1e400", "-1e400", "1e-400", "4.9e-324", "0x", "0x1p", "1e", " ", "infx", "--1", "1,5"]) {
      assert.equal(sortWeight(enc(text)), undefined, JSON.stringify(text));
    }
  });

  test("a pattern's head is what every key it names starts with; # and patterns without * name none", () => {
    assert.deepEqual(patternHead(enc("app:w_*")), enc("app:w_"));
    assert.deepEqual(patternHead(enc("*->f")), enc(""));
    assert.deepEqual(patternHead(enc("h_*->f*")), enc("h_"));
    assert.equal(patternHead(enc("#")), undefined);
    assert.equal(patternHead(enc("nosort")), undefined);
    assert.deepEqual(patternHead(enc("##*")), enc("##"));
  });
});
