// The score encoding under the sorted-set index: byte order is score order,
// and decoding gives the score back, for every kind of double.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { compareBytes } from "../../src/engine/bytes.ts";
import { decodeScore, encodeScore } from "../../src/model/score_text.ts";
import { SeededRandom } from "../../src/engine/seeded_random.ts";

const EDGES = [
  -Infinity, -Number.MAX_VALUE, -1e300, -2, -1.5, -1, -Number.MIN_VALUE, 0, Number.MIN_VALUE, 2.2250738585072014e-308,
  0.1, 1, 1.5, 2, 2 ** 52, 2 ** 53, 1e300, Number.MAX_VALUE, Infinity,
];

function randomDouble(random: SeededRandom): number {
  // Any 64-bit pattern but NaN: every exponent, sign and mantissa.
  const view = new DataView(new ArrayBuffer(8));
  for (;;) {
    for (let i = 0; i < 8; i++) view.setUint8(i, Math.floor(random.next() * 256));
    const value = view.getFloat64(0);
    if (!Number.isNaN(value)) return value;
  }
}

describe("score encoding", () => {
  test("decodes what it encodes, -0 as 0", () => {
    for (const score of EDGES) assert.equal(decodeScore(encodeScore(score)), score);
    assert.ok(Object.is(decodeScore(encodeScore(-0)), 0));
    const at = new Uint8Array([9, 9, ...encodeScore(-1.5)]);
    assert.equal(decodeScore(at, 2), -1.5, "from an offset");
  });

  test("byte order is score order, over edges and 20,000 random doubles", () => {
    const random = new SeededRandom(14);
    const scores = [...EDGES, ...Array.from({ length: 20_000 }, () => randomDouble(random))];
    const byBytes = scores.map((score) => ({ score, bytes: encodeScore(score) })).sort((a, b) => compareBytes(a.bytes, b.bytes));
    for (let i = 1; i < byBytes.length; i++) assert.ok(byBytes[i - 1]!.score <= byBytes[i]!.score, `${byBytes[i - 1]!.score} before ${byBytes[i]!.score}`);
    for (const { score, bytes } of byBytes) assert.equal(decodeScore(bytes), score === 0 ? 0 : score);
  });
});
