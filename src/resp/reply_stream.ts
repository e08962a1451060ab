// Big replies encoded a page at a time. KEYS or LRANGE over a million entries
// returns a reply of a million items; encoding it in one go takes about
// 100 ms, during which no other client is served, and holds the whole encoded
// reply in memory (twice, while the buffer grows). A ReplyStream encodes such
// a reply in pages of about `pageBytes`: the connection sends each page and
// encodes the next on a later turn of the event loop, once the socket has
// taken most of the previous ones. The bytes are exactly those of
// ReplyWriter.write; only the moments they are produced differ.
import { MapReply, PairsReply, type ProtocolVersion, type Reply, SetReply } from "./reply.ts";
import type { ReplyWriter } from "./writer.ts";

/** Aggregates with more items than this are streamed; smaller replies are encoded whole. */
export const STREAM_ITEMS_ABOVE = 4096;

/** An aggregate being written: its header, its items as the protocol writes them, the next one to write. */
interface Frame {
  /** The header's type byte: `*`, `~` or `%`. */
  readonly prefix: number;
  /** The number the header announces (a RESP3 map counts entries, not keys and values). */
  readonly announced: number;
  readonly count: number;
  readonly item: (index: number) => Reply;
  next: number;
}

/** A big aggregate's frame, or undefined for a reply to write whole. */
function frameOf(reply: Reply, protocol: ProtocolVersion): Frame | undefined {
  if (!isBigReply(reply)) return undefined;
  if (Array.isArray(reply)) {
    const items = reply as readonly Reply[];
    return { prefix: 42 /* * */, announced: items.length, count: items.length, item: (i) => items[i]!, next: 0 };
  }
  if (reply instanceof SetReply) {
    const items = reply.items;
    return { prefix: protocol === 3 ? 126 /* ~ */ : 42, announced: items.length, count: items.length, item: (i) => items[i]!, next: 0 };
  }
  if (reply instanceof MapReply) {
    const entries = reply.entries;
    const count = entries.length * 2;
    return { prefix: protocol === 3 ? 37 /* % */ : 42, announced: protocol === 3 ? entries.length : count, count, item: (i) => entries[i >> 1]![i & 1]!, next: 0 };
  }
  const pairs = (reply as PairsReply).pairs;
  // RESP3: an array of two-item arrays; RESP2: one flat array.
  if (protocol === 3) return { prefix: 42, announced: pairs.length, count: pairs.length, item: (i) => pairs[i]! as readonly Reply[], next: 0 };
  return { prefix: 42, announced: pairs.length * 2, count: pairs.length * 2, item: (i) => pairs[i >> 1]![i & 1]!, next: 0 };
}

/**
 * True for a reply worth streaming: an aggregate of more than
 * STREAM_ITEMS_ABOVE items, or an array holding one (EXEC's reply holding a
 * big LRANGE). Looks one array deep only, so small replies cost next to nothing.
 */
export function isBigReply(reply: Reply, depth = 0): boolean {
  if (Array.isArray(reply)) {
    const items = reply as readonly Reply[];
    if (items.length > STREAM_ITEMS_ABOVE) return true;
    if (depth > 0) return false;
    for (const item of items) if (typeof item === "object" && item !== null && !(item instanceof Uint8Array) && isBigReply(item, 1)) return true;
    return false;
  }
  if (reply instanceof SetReply) return reply.items.length > STREAM_ITEMS_ABOVE;
  if (reply instanceof MapReply) return reply.entries.length * 2 > STREAM_ITEMS_ABOVE;
  if (reply instanceof PairsReply) return reply.pairs.length * 2 > STREAM_ITEMS_ABOVE;
  return false;
}

/** One reply, encoded into a writer a page at a time; nested big aggregates are streamed too. */
export class ReplyStream {
  private readonly stack: Frame[] = [];
  private started = false;

  constructor(private readonly reply: Reply, private readonly protocol: ProtocolVersion) {}

  get done(): boolean {
    return this.started && this.stack.length === 0;
  }

  /** Writes the next page (at least one item, then until about `pageBytes` more are in the writer); returns true once the reply is complete. */
  writePage(writer: ReplyWriter, pageBytes: number): boolean {
    const limit = writer.size + pageBytes;
    if (!this.started) {
      this.started = true;
      this.open(writer, this.reply);
    }
    const stack = this.stack;
    while (stack.length > 0 && writer.size < limit) {
      const frame = stack[stack.length - 1]!;
      if (frame.next === frame.count) {
        stack.pop();
        continue;
      }
      this.open(writer, frame.item(frame.next++));
    }
    while (stack.length > 0 && stack[stack.length - 1]!.next === stack[stack.length - 1]!.count) stack.pop();
    return stack.length === 0;
  }

  /** Writes `reply` whole, or for a big aggregate its header, leaving its items to the pages. */
  private open(writer: ReplyWriter, reply: Reply): void {
    const frame = frameOf(reply, this.protocol);
    if (frame === undefined) {
      writer.write(reply, this.protocol);
      return;
    }
    writer.writeHeader(frame.prefix, frame.announced);
    this.stack.push(frame);
  }
}
