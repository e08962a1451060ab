// TCP listener on Deno.listen. Deno reads through an async loop and writes
// through a promise; writes are chained so they keep their order.
import type { Listen, TransportSocket } from "../../server/transport.ts";

/** How long a half-closed socket waits for the client to close its side. */
const LINGER_MS = 5_000;

class DenoTransport implements TransportSocket {
  private chain: Promise<void> = Promise.resolve();
  private queued = 0;
  private closed = false;
  private linger: ReturnType<typeof setTimeout> | undefined;
  /** Told when a queued write completes (SocketEvents.drained). */
  onWritten: (() => void) | undefined;
  constructor(private readonly conn: Deno.TcpConn | Deno.TlsConn) {}

  get remoteAddress(): string {
    const a = this.conn.remoteAddr;
    return `${a.hostname}:${a.port}`;
  }

  get localAddress(): string {
    const a = this.conn.localAddr;
    return `${a.hostname}:${a.port}`;
  }

  get pendingBytes(): number {
    return this.queued;
  }

  write(bytes: Uint8Array): void {
    if (this.closed) return;
    this.queued += bytes.length;
    this.chain = this.chain.then(async () => {
      try {
        let offset = 0;
        while (offset < bytes.length && !this.closed) offset += await this.conn.write(bytes.subarray(offset));
      } catch {
        this.destroy();
      } finally {
        this.queued -= bytes.length;
        this.onWritten?.();
      }
    });
  }

  /**
   * Half-closes after the queued writes: the client reads every reply, then
   * EOF. Closing outright while its unread commands sit in our receive
   * buffer would make the kernel send a reset and lose those replies.
   */
  end(): void {
    this.chain = this.chain.then(async () => {
      try {
        await this.conn.closeWrite();
        // A client that never closes its side is cut after LINGER_MS.
        this.linger = setTimeout(() => this.destroy(), LINGER_MS);
      } catch {
        this.destroy();
      }
    });
  }

  /** While paused: resolves on resume (the read loop waits on it). */
  paused: Promise<void> | undefined;
  private unpause: (() => void) | undefined;

  pause(): void {
    this.paused ??= new Promise((resolve) => (this.unpause = resolve));
  }

  resume(): void {
    const unpause = this.unpause;
    this.paused = this.unpause = undefined;
    unpause?.();
  }

  setKeepAlive(seconds: number): void {
    // Deno sets SO_KEEPALIVE only: the idle time before probes is the kernel's (Linux: 7200 s).
    if ("setKeepAlive" in this.conn) this.conn.setKeepAlive(seconds > 0);
  }

  destroy(): void {
    this.resume();
    if (this.linger !== undefined) clearTimeout(this.linger);
    if (this.closed) return;
    this.closed = true;
    try {
      this.conn.close();
    } catch {
      // Already closed by the peer.
    }
  }
}

export const denoListen: Listen = (options, accept) => {
  const listener = options.tls
    ? Deno.listenTls({ hostname: options.host, port: options.port, transport: "tcp", cert: options.tls.cert, key: options.tls.key })
    : Deno.listen({ hostname: options.host, port: options.port, transport: "tcp" });
  (async () => {
    for await (const conn of listener) {
      if (!options.tls) (conn as Deno.TcpConn).setNoDelay(true);
      const transport = new DenoTransport(conn);
      const events = accept(transport);
      transport.onWritten = () => events.drained?.();
      (async () => {
        const buffer = new Uint8Array(64 * 1024);
        try {
          while (true) {
            if (transport.paused) await transport.paused;
            const n = await conn.read(buffer);
            if (n === null) break;
            // The connection keeps what it is fed, so hand it its own copy.
            events.data(buffer.slice(0, n));
          }
        } catch {
          // Reset by the peer: treat as closed.
        }
        transport.destroy();
        events.closed();
      })();
    }
  })().catch(() => {});
  const address = listener.addr as Deno.NetAddr;
  return Promise.resolve({
    port: address.port,
    host: options.host,
    close() {
      try {
        listener.close();
      } catch {
        // Already closed.
      }
      return Promise.resolve();
    },
  });
};
