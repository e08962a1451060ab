// Counts complete RESP replies in a byte stream without keeping or decoding
// them: the fairness bench and tests/server/fairness_test.ts read replies of tens of megabytes, which a
// client that buffers and re-parses each reply (tests/support/raw_client.ts)
// takes seconds to take in, and those seconds would count as the command's.
export class ReplyCounter {
  /** Replies completed so far. */
  replies = 0;
  /** Bytes seen so far. */
  bytes = 0;
  /** Items still expected by each open aggregate, innermost last. */
  private readonly open: number[] = [];
  /** Bytes of a bulk payload (with its CRLF) still to skip. */
  private skip = 0;
  /** A header line split across chunks. */
  private partialLine = "";

  feed(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    let at = 0;
    while (at < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - at);
        this.skip -= n;
        at += n;
        if (this.skip === 0) this.completeItem();
        continue;
      }
      const lf = chunk.indexOf(10, at);
      if (lf < 0) {
        this.partialLine += latin1(chunk.subarray(at));
        return;
      }
      const line = this.partialLine + latin1(chunk.subarray(at, lf));
      this.partialLine = "";
      at = lf + 1;
      this.header(line.endsWith("\r") ? line.slice(0, -1) : line);
    }
  }

  private header(line: string): void {
    const type = line[0];
    const n = Number(line.slice(1));
    if (type === "$" || type === "=" || type === "!") {
      if (n < 0) this.completeItem();
      else this.skip = n + 2;
      return;
    }
    if (type === "*" || type === "~" || type === ">" || type === "%" || type === "|") {
      const items = type === "%" || type === "|" ? n * 2 : n;
      if (items <= 0) this.completeItem();
      else this.open.push(items);
      return;
    }
    this.completeItem();
  }

  private completeItem(): void {
    for (;;) {
      const depth = this.open.length;
      if (depth === 0) {
        this.replies++;
        return;
      }
      const left = this.open[depth - 1]! - 1;
      if (left > 0) {
        this.open[depth - 1] = left;
        return;
      }
      this.open.pop();
    }
  }
}

function latin1(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return text;
}
