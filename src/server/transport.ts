// What the runtime adapters provide to the server: byte sockets and
// listeners. The server never sees Bun or Deno objects, only these.

export interface TransportSocket {
  /** Queues bytes for sending; the adapter keeps their order and handles partial writes. */
  write(bytes: Uint8Array): void;
  /** Bytes queued but not yet handed to the kernel (for output-buffer limits). */
  readonly pendingBytes: number;
  /** Closes after everything queued is sent. */
  end(): void;
  /** Closes at once. */
  destroy(): void;
  readonly remoteAddress: string;
  readonly localAddress: string;
}

export interface SocketEvents {
  data(chunk: Uint8Array): void;
  closed(): void;
}

export interface Listener {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  readonly host: string;
  /** Stops accepting; open sockets stay open. */
  close(): Promise<void>;
}

export interface ListenOptions {
  readonly host: string;
  readonly port: number;
}

export type Listen = (options: ListenOptions, accept: (socket: TransportSocket) => SocketEvents) => Promise<Listener>;
