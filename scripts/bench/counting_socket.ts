// A socket for in-process benchmarks (micro_bench.ts, fdb_sim_bench.ts, fdb_stream_bench.ts): it
// keeps nothing, counts the reply bytes, and wakes whoever waits for them.
import type { TransportSocket } from "../../src/server/transport.ts";

export class CountingSocket implements TransportSocket {
  readonly pendingBytes = 0;
  readonly remoteAddress = "127.0.0.1:50000";
  readonly localAddress = "127.0.0.1:6378";
  written = 0;
  private waiting: { bytes: number; resolve: () => void } | undefined;

  write(bytes: Uint8Array): void {
    this.written += bytes.length;
    if (this.waiting !== undefined && this.written >= this.waiting.bytes) {
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve();
    }
  }

  /** Resolves once `bytes` reply bytes in all have been written; undefined when they already have. */
  until(bytes: number): Promise<void> | undefined {
    if (this.written >= bytes) return undefined;
    return new Promise((resolve) => (this.waiting = { bytes, resolve }));
  }

  end(): void {}
  destroy(): void {}
}

/**
 * Counts reply lines (LF bytes) instead of bytes, for replies whose size
 * varies but whose line count does not (XADD's ids: "$<n>", then the id):
 * `written` and until() speak of lines.
 */
export class LineCountingSocket extends CountingSocket {
  override write(bytes: Uint8Array): void {
    let lines = 0;
    for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) lines++;
    // The base class counts and wakes by length: one byte per line.
    super.write(new Uint8Array(lines));
  }
}
