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
  /**
   * Stops reading until `resume()`: unread bytes then stay in the kernel and
   * TCP flow control slows the client down, instead of the server buffering
   * a fast client's input while its commands wait for the engine.
   */
  pause?(): void;
  resume?(): void;
  /** TCP keepalive probes after this many idle seconds (0: off), so half-open connections are found and closed. */
  setKeepAlive?(seconds: number): void;
  readonly remoteAddress: string;
  readonly localAddress: string;
}

export interface SocketEvents {
  data(chunk: Uint8Array): void;
  closed(): void;
  /** Some queued bytes were handed to the kernel (pendingBytes went down). */
  drained?(): void;
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
  /** Serve TLS with this certificate chain and key (PEM text) instead of plain TCP. */
  readonly tls?: { readonly cert: string; readonly key: string };
}

export type Listen = (options: ListenOptions, accept: (socket: TransportSocket) => SocketEvents) => Promise<Listener>;
