// Runs the protocol fuzzer against `materia serve` spawned as a real process
// (so a crash is an exit, and memory is the process's RSS). After each input
// the server must answer PING on a fresh connection, a bystander connected
// from the start must get its exact replies, the process must log no internal
// error, and a well-formed input must be answered to its end. Used by
// tests/robustness/fuzz_test.ts and scripts/fuzz.ts.
import { connect, type Socket } from "node:net";
import { encodeCommand, RawClient } from "../support/raw_client.ts";
import { spawnServer, type ServerProcess } from "../support/servers.ts";
import { signalServer } from "../support/processes.ts";
import { concat, FuzzGenerator, type FuzzInput } from "./fuzz_inputs.ts";
import { rssOf } from "./rss.ts";

export interface FuzzOptions {
  readonly seed: number;
  /** Stop starting new inputs after this long. */
  readonly seconds: number;
  /** Arguments after `materia serve --host 127.0.0.1 --port 0`. */
  readonly serverArgs?: readonly string[];
  /** Fails the run when the server's RSS goes above this. */
  readonly maxRssBytes?: number;
  readonly log?: (line: string) => void;
}

export interface FuzzResult {
  readonly seed: number;
  readonly cases: number;
  readonly byKind: ReadonlyMap<string, number>;
  readonly peakRssBytes: number;
  readonly startRssBytes: number;
  readonly elapsedMs: number;
}

export class FuzzFailure extends Error {
  override readonly name = "FuzzFailure";
}

/** How long a well-formed input may take to be answered to its end. */
const ANSWER_TIMEOUT_MS = 10_000;
/** How long a malformed input is given before the health checks (it may rightly wait for more bytes). */
const MALFORMED_GRACE_MS = 30;
const RSS_EVERY = 10;
/** The fuzzer writes data too (SETRANGE, APPEND...): a FLUSHALL now and then keeps the dataset small. */
const FLUSH_EVERY = 200;

/** A connection that records everything the server sends and whether it closed. */
class Recorder {
  private received: Uint8Array[] = [];
  private length = 0;
  closed = false;
  private wake: (() => void) | undefined;

  private constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Uint8Array) => {
      // Only the tail is searched for the marker; keep memory small on big replies.
      this.received.push(chunk);
      this.length += chunk.length;
      if (this.received.length > 64) this.compact();
      this.notify();
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      this.closed = true;
      this.notify();
    });
  }

  static open(port: number): Promise<Recorder> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: "127.0.0.1" }, () => resolve(new Recorder(socket)));
      socket.once("error", reject);
    });
  }

  private compact(): void {
    const all = concat(this.received);
    this.received = [all.subarray(Math.max(0, all.length - 4096))];
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  tailIncludes(marker: string): boolean {
    const tail = concat(this.received.slice(-4));
    let text = "";
    for (let i = Math.max(0, tail.length - 4096); i < tail.length; i++) text += String.fromCharCode(tail[i]!);
    return text.includes(marker);
  }

  /** Resolves when `done()` holds or the connection closes; false after `ms`. */
  async until(done: () => boolean, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!done() && !this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return true;
  }

  get bytesReceived(): number {
    return this.length;
  }
}

function preview(input: FuzzInput): string {
  const bytes = concat(input.chunks);
  let text = "";
  for (let i = 0; i < Math.min(bytes.length, 300); i++) {
    const b = bytes[i]!;
    text += b >= 32 && b < 127 && b !== 92 ? String.fromCharCode(b) : b === 13 ? "\\r" : b === 10 ? "\\n" : `\\x${b.toString(16).padStart(2, "0")}`;
  }
  return `${JSON.stringify(text)}${bytes.length > 300 ? `... (${bytes.length} bytes in ${input.chunks.length} writes)` : ` (${input.chunks.length} writes)`}`;
}

/** Lines of the server's output that mean a bug, whatever the input. */
const BUG_SIGNS = /internal error|Uncaught|unhandled|panicked|RangeError|TypeError|Maximum call stack/i;

export async function runFuzz(options: FuzzOptions): Promise<FuzzResult> {
  const log = options.log ?? (() => {});
  const generator = new FuzzGenerator(options.seed);
  const server: ServerProcess = await spawnServer(["--engine", "memory", "--no-auth", ...(options.serverArgs ?? [])]);
  const pid = server.child.pid!;
  const startRssBytes = rssOf(pid);
  let peakRssBytes = startRssBytes;
  const byKind = new Map<string, number>();
  const recent: string[] = [];
  const startedAt = Date.now();
  let cases = 0;
  let bystander: RawClient | undefined;
  const fail = (why: string): never => {
    throw new FuzzFailure(
      `${why}\n  seed ${options.seed} (replay: MATERIA_FUZZ_SEED=${options.seed}), case ${cases}\n  last inputs, newest last:\n    ${recent.join("\n    ")}` +
        `\n  server output (tail):\n${server.output().slice(-2000)}`,
    );
  };
  try {
    bystander = await RawClient.connect(server.port);
    if ((await bystander.call("SELECT", "9")) !== "+OK\r\n") fail("the bystander could not SELECT 9");
    const deadline = startedAt + options.seconds * 1000;
    while (Date.now() < deadline) {
      const input = generator.next();
      cases++;
      byKind.set(input.kind, (byKind.get(input.kind) ?? 0) + 1);
      recent.push(`#${cases} ${input.kind}: ${preview(input)}`);
      if (recent.length > 5) recent.shift();

      const marker = `fuzz-marker-${options.seed}-${cases}`;
      const client = await Recorder.open(server.port);
      try {
        for (const chunk of input.chunks) {
          client.socket.write(chunk);
          if (input.chunks.length > 1) await new Promise((resolve) => setImmediate(resolve));
        }
        // DISCARD ends a MULTI the input may have left open, so ECHO is answered, not queued.
        // PING, not ECHO: it also answers in RESP2 subscribed mode (["pong", marker]), where ECHO is refused.
        client.socket.write(concat([encodeCommand(["DISCARD"]), encodeCommand(["PING", marker])]));
        const answered = await client.until(() => client.tailIncludes(marker), input.wellFormed ? ANSWER_TIMEOUT_MS : MALFORMED_GRACE_MS);
        if (input.wellFormed && !answered) fail(`a well-formed input was neither answered to its end nor closed within ${ANSWER_TIMEOUT_MS} ms`);
      } finally {
        client.socket.destroy();
      }

      if (server.child.exitCode !== null || server.child.signalCode !== null) fail(`the server exited (${server.child.exitCode ?? server.child.signalCode})`);
      const fresh = await RawClient.connect(server.port).catch((error) => fail(`a fresh connection failed: ${error}`));
      try {
        const pong = await fresh.call("PING").catch((error) => fail(`PING on a fresh connection failed: ${error}`));
        if (pong !== "+PONG\r\n") fail(`PING on a fresh connection answered ${JSON.stringify(pong)}`);
      } finally {
        fresh.close();
      }
      const nonce = `bystander-${cases}`;
      const echoed = await bystander.call("ECHO", nonce).catch((error) => fail(`the bystander's ECHO failed: ${error}`));
      if (echoed !== `$${nonce.length}\r\n${nonce}\r\n`) fail(`the bystander's ECHO answered ${JSON.stringify(echoed)}`);
      const stored = await bystander.call("SET", "bystander", nonce).catch((error) => fail(`the bystander's SET failed: ${error}`));
      if (stored !== "+OK\r\n") fail(`the bystander's SET answered ${JSON.stringify(stored)}`);
      const bug = BUG_SIGNS.exec(server.output());
      if (bug) fail(`the server logged '${bug[0]}'`);

      if (cases % RSS_EVERY === 0) {
        const rss = rssOf(pid);
        peakRssBytes = Math.max(peakRssBytes, rss);
        if (options.maxRssBytes !== undefined && rss > options.maxRssBytes) {
          fail(`the server's RSS is ${(rss / 2 ** 20).toFixed(0)} MiB, above the ${(options.maxRssBytes / 2 ** 20).toFixed(0)} MiB bound`);
        }
      }
      if (cases % FLUSH_EVERY === 0) {
        await bystander.call("FLUSHALL");
        log(`fuzz: ${cases} cases, RSS ${(rssOf(pid) / 2 ** 20).toFixed(0)} MiB (peak ${(peakRssBytes / 2 ** 20).toFixed(0)} MiB)`);
      }
    }
    peakRssBytes = Math.max(peakRssBytes, rssOf(pid));
  } finally {
    bystander?.close();
    const exit = await signalServer(server, "SIGTERM");
    if (exit !== 0 && cases > 0) log(`fuzz: server exited with ${exit} on SIGTERM`);
  }
  return { seed: options.seed, cases, byKind, peakRssBytes, startRssBytes, elapsedMs: Date.now() - startedAt };
}
