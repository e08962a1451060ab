// ReplyStream writes big replies a page at a time: the bytes must be exactly
// those of ReplyWriter.write, whatever the page size and protocol.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MapReply, PairsReply, type ProtocolVersion, type Reply, SetReply } from "../../src/resp/reply.ts";
import { isBigReply, ReplyStream, STREAM_ITEMS_ABOVE } from "../../src/resp/reply_stream.ts";
import { ReplyWriter } from "../../src/resp/writer.ts";

const N = STREAM_ITEMS_ABOVE + 10;
const bytes = (i: number) => new TextEncoder().encode(`item:${i}`);
const items = Array.from({ length: N }, (_, i) => bytes(i));

function whole(reply: Reply, protocol: ProtocolVersion): Uint8Array {
  const writer = new ReplyWriter();
  writer.write(reply, protocol);
  return writer.take();
}

function paged(reply: Reply, protocol: ProtocolVersion, pageBytes: number): { bytes: Uint8Array; pages: number } {
  const writer = new ReplyWriter();
  const stream = new ReplyStream(reply, protocol);
  let pages = 0;
  const parts: Uint8Array[] = [];
  for (let done = false; !done; pages++) {
    done = stream.writePage(writer, pageBytes);
    parts.push(writer.take());
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return { bytes: out, pages };
}

const CASES: ReadonlyArray<[string, Reply]> = [
  ["an array", items],
  ["a set", new SetReply(items)],
  ["a map", new MapReply(items.map((item, i) => [item, i] as const))],
  ["pairs", new PairsReply(items.map((item, i) => [item, bytes(-i)] as const))],
  ["an array of big arrays and small values", [items, 1, null, [items, "x"], new SetReply(items)]],
];

describe("ReplyStream", () => {
  for (const [name, reply] of CASES) {
    for (const protocol of [2, 3] as const) {
      test(`${name} in RESP${protocol} comes out byte for byte as written whole, in many pages`, () => {
        for (const pageBytes of [1, 100, 64 * 1024]) {
          const out = paged(reply, protocol, pageBytes);
          assert.deepEqual(out.bytes, whole(reply, protocol));
          if (pageBytes === 100) assert.ok(out.pages > 10, `only ${out.pages} pages`);
        }
      });
    }
  }

  test("only aggregates of more than STREAM_ITEMS_ABOVE items are big", () => {
    assert.equal(isBigReply(items), true);
    assert.equal(isBigReply(items.slice(0, STREAM_ITEMS_ABOVE)), false);
    assert.equal(isBigReply(bytes(1)), false);
  });
});
