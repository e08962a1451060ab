// A minimal RESP client over node:net that keeps each reply's exact bytes,
// for tests that compare wire output (differential tests against
// redis-server, protocol edge cases).
import { connect, type Socket } from "node:net";

const CRLF = "\r\n";

/** Encodes argv as a RESP array of bulk strings. */
export function encodeCommand(argv: ReadonlyArray<string | Uint8Array>): Uint8Array {
  const parts: Uint8Array[] = [];
  const enc = new TextEncoder();
  parts.push(enc.encode(`*${argv.length}${CRLF}`));
  for (const arg of argv) {
    const bytes = typeof arg === "string" ? enc.encode(arg) : arg;
    parts.push(enc.encode(`$${bytes.length}${CRLF}`), bytes, enc.encode(CRLF));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Length of the first complete RESP2/RESP3 reply in `buf` from `start`, or -1 when incomplete. */
export function replyLength(buf: Uint8Array, start = 0): number {
  const lineEnd = (from: number): number => {
    for (let i = from; i + 1 < buf.length; i++) if (buf[i] === 13 && buf[i + 1] === 10) return i;
    return -1;
  };
  const end = lineEnd(start);
  if (end < 0) return -1;
  const type = String.fromCharCode(buf[start]!);
  const header = new TextDecoder().decode(buf.subarray(start + 1, end));
  const afterHeader = end + 2;
  switch (type) {
    case "+": case "-": case ":": case "_": case ",": case "#": case "(":
      return afterHeader - start;
    case "$": case "=": case "!": {
      const n = Number(header);
      if (n < 0) return afterHeader - start;
      return afterHeader + n + 2 <= buf.length ? afterHeader + n + 2 - start : -1;
    }
    case "*": case "~": case ">": case "%": case "|": {
      let n = Number(header);
      if (n < 0) return afterHeader - start;
      if (type === "%" || type === "|") n *= 2;
      let offset = afterHeader;
      for (let i = 0; i < n; i++) {
        const len = replyLength(buf, offset);
        if (len < 0) return -1;
        offset += len;
      }
      return offset - start;
    }
    default:
      throw new Error(`unexpected RESP type byte ${JSON.stringify(type)} in ${JSON.stringify(new TextDecoder().decode(buf.subarray(start, start + 40)))}`);
  }
}

export class RawClient {
  private buffer = new Uint8Array(0);
  private waiters: Array<() => void> = [];
  private ended = false;

  private constructor(private readonly socket: Socket) {
    socket.on("data", (chunk: Uint8Array) => {
      const merged = new Uint8Array(this.buffer.length + chunk.length);
      merged.set(this.buffer, 0);
      merged.set(chunk, this.buffer.length);
      this.buffer = merged;
      this.wake();
    });
    socket.on("close", () => {
      this.ended = true;
      this.wake();
    });
    socket.on("error", () => {});
  }

  static connect(port: number, host = "127.0.0.1"): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host }, () => resolve(new RawClient(socket)));
      socket.once("error", reject);
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  writeRaw(bytes: Uint8Array | string): void {
    this.socket.write(typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes);
  }

  /** Sends a command and returns its reply's exact bytes, decoded as latin1-safe text. */
  async call(...argv: Array<string | Uint8Array>): Promise<string> {
    this.writeRaw(encodeCommand(argv));
    return this.readReply();
  }

  /** The next reply's bytes as a string (binary-safe through latin1), waiting up to `timeoutMs`. */
  async readReply(timeoutMs = 5_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      if (this.buffer.length > 0) {
        const len = replyLength(this.buffer);
        if (len >= 0) {
          const reply = this.buffer.subarray(0, len);
          this.buffer = this.buffer.slice(len);
          return Array.from(reply, (b) => String.fromCharCode(b)).join("");
        }
      }
      if (this.ended) throw new Error(`connection closed; unread bytes: ${JSON.stringify(new TextDecoder().decode(this.buffer))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no complete reply within ${timeoutMs} ms; buffered: ${JSON.stringify(new TextDecoder().decode(this.buffer))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves true when the server closes the connection within `timeoutMs`. */
  async closedByServer(timeoutMs = 2_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return this.ended;
  }

  close(): void {
    this.socket.destroy();
  }
}
