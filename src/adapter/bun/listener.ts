// TCP listener on Bun.listen. Bun's socket.write may accept only part of the
// bytes; the rest waits in a queue until the socket drains.
import type { Listen, SocketEvents, TransportSocket } from "../../server/transport.ts";

interface SocketState {
  events: SocketEvents;
  transport: BunTransport;
}

class BunTransport implements TransportSocket {
  private readonly queue: Uint8Array[] = [];
  private queued = 0;
  private ending = false;
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
    if (this.ending) this.socket.end();
  }

  end(): void {
    this.ending = true;
    if (this.queue.length === 0) this.socket.end();
  }

  destroy(): void {
    this.socket.terminate();
  }
}

export const bunListen: Listen = (options, accept) => {
  const server = Bun.listen<SocketState>({
    hostname: options.host,
    port: options.port,
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
      },
      close(socket) {
        socket.data?.events.closed();
      },
      error(socket) {
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
