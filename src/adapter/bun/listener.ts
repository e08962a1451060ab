// TCP listener on Bun.listen. Bun's socket.write may accept only part of the
// bytes; the rest waits in a queue until the socket drains.
import type { Listen, SocketEvents, TransportSocket } from "../../server/transport.ts";

/** How long a half-closed socket waits for the client to close its side. */
const LINGER_MS = 5_000;

interface SocketState {
  events: SocketEvents;
  transport: BunTransport;
}

class BunTransport implements TransportSocket {
  private readonly queue: Uint8Array[] = [];
  private queued = 0;
  private ending = false;
  private linger: ReturnType<typeof setTimeout> | undefined;
  constructor(private readonly socket: Bun.Socket<SocketState>) {}

  get remoteAddress(): string {
    return `${this.socket.remoteAddress}:${(this.socket as unknown as { remotePort?: number }).remotePort ?? 0}`;
  }

  get localAddress(): string {
    return `${(this.socket as unknown as { localAddress?: string }).localAddress ?? ""}:${this.socket.localPort}`;
  }

  get pendingBytes(): number {
    return this.queued;
  }

  write(bytes: Uint8Array): void {
    if (this.queue.length > 0) {
      this.queue.push(bytes);
      this.queued += bytes.length;
      return;
    }
    const written = this.socket.write(bytes);
    if (written < bytes.length) {
      const rest = bytes.subarray(Math.max(written, 0));
      this.queue.push(rest);
      this.queued += rest.length;
    }
  }

  drain(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      const written = this.socket.write(head);
      if (written < head.length) {
        this.queue[0] = head.subarray(Math.max(written, 0));
        this.queued -= Math.max(written, 0);
        return;
      }
      this.queue.shift();
      this.queued -= head.length;
    }
    if (this.ending) this.halfClose();
  }

  end(): void {
    this.ending = true;
    if (this.queue.length === 0) this.halfClose();
  }

  destroy(): void {
    this.clearLinger();
    this.socket.terminate();
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  setKeepAlive(seconds: number): void {
    // Bun then probes every second, 10 times (TCP_KEEPINTVL=1, TCP_KEEPCNT=10).
    this.socket.setKeepAlive(seconds > 0, seconds * 1000);
  }

  /** Called by the close event. */
  clearLinger(): void {
    if (this.linger !== undefined) clearTimeout(this.linger);
    this.linger = undefined;
  }

  /**
   * Sends FIN but keeps reading (and the connection ignores what comes): a
   * full close while the client's unread commands sit in our receive buffer
   * makes the kernel send a reset, which can destroy replies the client has
   * not read yet. A client that never closes its side is cut after LINGER_MS.
   */
  private halfClose(): void {
    if (this.linger !== undefined) return;
    this.socket.shutdown();
    this.linger = setTimeout(() => this.socket.terminate(), LINGER_MS);
  }
}

export const bunListen: Listen = (options, accept) => {
  const server = Bun.listen<SocketState>({
    hostname: options.host,
    port: options.port,
    ...(options.tls ? { tls: { cert: options.tls.cert, key: options.tls.key } } : {}),
    socket: {
      open(socket) {
        const transport = new BunTransport(socket);
        socket.data = { transport, events: accept(transport) };
      },
      data(socket, chunk) {
        socket.data.events.data(chunk);
      },
      drain(socket) {
        socket.data.transport.drain();
        socket.data.events.drained?.();
      },
      close(socket) {
        socket.data?.transport.clearLinger();
        socket.data?.events.closed();
      },
      error(socket) {
        socket.data?.transport.clearLinger();
        socket.data?.events.closed();
      },
    },
  });
  return Promise.resolve({
    port: server.port,
    host: options.host,
    close() {
      server.stop(false);
      return Promise.resolve();
    },
  });
};
