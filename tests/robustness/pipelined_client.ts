// A pipelining RESP client over node:net for the robustness tests: commands
// go out without waiting, each reply is matched to its command by position
// (as RESP does), and every reply is kept as its exact bytes. It records how
// the connection ended, so tests can tell a clean close from a reset.
import { connect, type Socket } from "node:net";
import { encodeCommand, replyLength } from "../support/raw_client.ts";

export type Argv = ReadonlyArray<string | Uint8Array>;

export class PipelinedClient {
  readonly sent: Argv[] = [];
  readonly replies: string[] = [];
  /** "end" (FIN from the server), "close", or an error code such as ECONNRESET. */
  ending: string | undefined;
  private buffer = new Uint8Array(0);
  private waiters: Array<() => void> = [];
  private readonly closedPromise: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Uint8Array) => this.receive(chunk));
    socket.on("end", () => (this.ending ??= "end"));
    socket.on("error", (error: NodeJS.ErrnoException) => (this.ending ??= error.code ?? error.message));
    this.closedPromise = new Promise((resolve) =>
      socket.on("close", () => {
        this.ending ??= "close";
        this.wake();
        resolve();
      })
    );
  }

  static open(port: number, host = "127.0.0.1"): Promise<PipelinedClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host }, () => resolve(new PipelinedClient(socket)));
      socket.once("error", reject);
    });
  }

  get isClosed(): boolean {
    return this.ending !== undefined;
  }

  get inFlight(): number {
    return this.sent.length - this.replies.length;
  }

  /** Bytes after the last complete reply: a reply cut short when non-zero once closed. */
  get leftoverBytes(): number {
    return this.buffer.length;
  }

  private receive(chunk: Uint8Array): void {
    let merged = chunk;
    if (this.buffer.length > 0) {
      merged = new Uint8Array(this.buffer.length + chunk.length);
      merged.set(this.buffer, 0);
      merged.set(chunk, this.buffer.length);
    }
    let offset = 0;
    while (offset < merged.length) {
      const length = replyLength(merged, offset);
      if (length < 0) break;
      let text = "";
      for (let i = offset; i < offset + length; i++) text += String.fromCharCode(merged[i]!);
      this.replies.push(text);
      offset += length;
    }
    this.buffer = merged.slice(offset);
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Sends the commands in one write, without waiting for replies. */
  send(commands: readonly Argv[]): void {
    if (this.isClosed || commands.length === 0) return;
    const encoded = commands.map((argv) => encodeCommand(argv));
    const bytes = new Uint8Array(encoded.reduce((n, e) => n + e.length, 0));
    let at = 0;
    for (const e of encoded) {
      bytes.set(e, at);
      at += e.length;
    }
    this.sent.push(...commands);
    this.socket.write(bytes);
  }

  /** Resolves on the next reply or close, or after `ms`. */
  progress(ms = 1_000): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Waits until every command sent has its reply; false when the connection closed first or time ran out. */
  async drain(ms = 10_000): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (this.inFlight > 0 && !this.isClosed && Date.now() < deadline) await this.progress(deadline - Date.now());
    return this.inFlight === 0;
  }

  /** Sends one command and returns its reply. */
  async call(...argv: Array<string | Uint8Array>): Promise<string> {
    const index = this.sent.length;
    this.send([argv]);
    if (!(await this.drain())) throw new Error(`no reply to ${argv.join(" ")} (connection ${this.ending ?? "open"})`);
    return this.replies[index]!;
  }

  /** Waits for the server to close the connection; false when it did not within `ms`. */
  async closed(ms: number): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const result = await Promise.race([this.closedPromise.then(() => true as const), timeout]);
    clearTimeout(timer);
    return result;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** A bulk string reply's bytes, as the client receives them. */
export const bulk = (text: string): string => `$${text.length}\r\n${text}\r\n`;
