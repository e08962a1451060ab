// Long reads in pages (model/paged_read.ts): the pages add up to what one
// range read returns, and the pacer yields to the event loop once its slice
// is used up, so that other clients' I/O runs in between.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MemoryEngine } from "../../src/engine/memory/engine.ts";
import { forEachPage, ReadPacer, readRangePaged } from "../../src/model/paged_read.ts";

const enc = new TextEncoder();
const RANGE = { start: enc.encode("k"), end: enc.encode("l") };

async function filled(rows: number): Promise<MemoryEngine> {
  const engine = new MemoryEngine();
  await engine.write(async (tx) => {
    for (let i = 0; i < rows; i++) tx.set(enc.encode(`k${String(i).padStart(6, "0")}`), enc.encode(String(i)));
  });
  return engine;
}

describe("paged reads", () => {
  test("the pages of a range add up to one range read, across page boundaries and with a limit", async () => {
    const engine = await filled(2_500);
    const whole = await engine.read((tx) => tx.getRange(RANGE));
    for (const pageSize of [1, 7, 1000, 5000]) {
      assert.deepEqual(await engine.read((tx) => readRangePaged(tx, RANGE, { pageSize })), whole);
      assert.deepEqual(await engine.read((tx) => readRangePaged(tx, RANGE, { pageSize, limit: 1001 })), whole.slice(0, 1001));
    }
  });

  test("a walk whose slice is used up lets a timer run before its next page", async () => {
    const engine = await filled(100);
    const pacer = new ReadPacer(0);
    let timerRan = false;
    setTimeout(() => (timerRan = true), 0);
    const seenAfterTimer: boolean[] = [];
    await engine.read((tx) => forEachPage(tx, RANGE, () => void seenAfterTimer.push(timerRan), { pageSize: 10, pacer }));
    assert.equal(seenAfterTimer[0], false);
    assert.equal(seenAfterTimer.at(-1), true);
    assert.ok(pacer.yields >= 9);
  });

  test("a pacer with time left does not yield", () => {
    assert.equal(new ReadPacer(60_000).pause(), undefined);
  });
});
