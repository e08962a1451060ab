// A consumer group's work loop as applications write it, for npm run bench's
// XREADGROUP row (redis-benchmark sends one fixed command per request, and
// this loop's XACK names the ids the XREADGROUP before it returned):
//
//   each consumer c<i>:  XREADGROUP GROUP <g> c<i> COUNT 10 STREAMS <key> >
//                        XACK <key> <g> <the ids it got>
//                        ... until XREADGROUP answers nothing
//
// The stream is filled once per server (`prepare`); each measured run creates
// a new group at 0-0 and drains the whole stream with it, so every run reads
// and acknowledges the same entries. Figures are per command sent, like
// redis-benchmark's: ops/s counts XREADGROUPs and XACKs, and p50/p99 are
// their round trips.
import { connect, type Socket } from "node:net";
import { encodeCommand } from "../../tests/support/raw_client.ts";
import { pipeCommands, type Sample } from "./load.ts";
import { type RunningServer, SkipSide } from "./servers.ts";

export interface ConsumerLoad {
  /** The stream, filled with `entries` entries of one field before the first run. */
  readonly key: string;
  readonly entries: number;
  readonly valueBytes: number;
  /** Consumers of the group, each on its own connection. */
  readonly consumers: number;
  /** XREADGROUP's COUNT. */
  readonly count: number;
}

/** A decoded RESP2 reply: what the loop needs of it (ids are ASCII, so strings are latin1). */
type Value = string | number | null | Error | Value[];

/** The decoded reply at `at` in `buf` and where it ends, or undefined while incomplete. */
function decode(buf: Buffer, at: number): { value: Value; end: number } | undefined {
  const lf = buf.indexOf(10, at);
  if (lf < 0) return undefined;
  const type = buf[at];
  const line = buf.toString("latin1", at + 1, lf - 1);
  const next = lf + 1;
  switch (type) {
    case 43: // +
      return { value: line, end: next };
    case 45: // -
      return { value: new Error(line), end: next };
    case 58: // :
      return { value: Number(line), end: next };
    case 36: { // $
      const n = Number(line);
      if (n < 0) return { value: null, end: next };
      if (buf.length < next + n + 2) return undefined;
      return { value: buf.toString("latin1", next, next + n), end: next + n + 2 };
    }
    case 42: { // *
      const n = Number(line);
      if (n < 0) return { value: null, end: next };
      const items: Value[] = [];
      let end = next;
      for (let i = 0; i < n; i++) {
        const item = decode(buf, end);
        if (item === undefined) return undefined;
        items.push(item.value);
        end = item.end;
      }
      return { value: items, end };
    }
    default:
      throw new Error(`unexpected RESP type byte ${type} in a reply`);
  }
}

/** One connection sending one command at a time. */
class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: ((value: Value) => void) | undefined;
  private failed: ((error: Error) => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      const reply = decode(this.buffer, 0);
      if (reply === undefined) return;
      this.buffer = this.buffer.subarray(reply.end);
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve?.(reply.value);
    });
    socket.on("error", (error) => this.failed?.(error));
    socket.on("close", () => this.failed?.(new Error("the server closed the connection")));
  }

  static open(server: RunningServer): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port: server.port });
      socket.setNoDelay(true);
      socket.once("error", reject);
      socket.once("connect", () => {
        socket.off("error", reject);
        const connection = new Connection(socket);
        if (server.secret === undefined) resolve(connection);
        else connection.request(["AUTH", server.secret]).then(() => resolve(connection), reject);
      });
    });
  }

  request(argv: readonly string[]): Promise<Value> {
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failed = reject;
      this.socket.write(encodeCommand(argv));
    });
  }

  close(): void {
    this.failed = undefined;
    this.socket.destroy();
  }
}

/** The reply's text when it is an unknown-command error (the server has no such command yet). */
function unknownCommand(reply: Value): string | undefined {
  return reply instanceof Error && /^ERR unknown (sub)?command/i.test(reply.message) ? reply.message : undefined;
}

/**
 * Fills the stream and checks that the server has the commands the loop
 * sends; a server without them is skipped (SkipSide) with the error it gave.
 */
export async function prepareConsumers(server: RunningServer, load: ConsumerLoad): Promise<void> {
  const probeKey = `${load.key}:probe`;
  const connection = await Connection.open(server);
  try {
    for (const probe of [
      ["XGROUP", "CREATE", probeKey, "probe", "$", "MKSTREAM"],
      ["XREADGROUP", "GROUP", "probe", "c", "COUNT", "1", "STREAMS", probeKey, ">"],
      ["XACK", probeKey, "probe", "0-1"],
    ]) {
      const reply = await connection.request(probe);
      const unknown = unknownCommand(reply);
      if (unknown !== undefined) throw new SkipSide(`${server.spec.id} has no ${probe[0]} (${unknown.slice(0, 60)})`);
      if (reply instanceof Error) throw new Error(`${server.spec.id}: ${probe.join(" ")} answered ${reply.message}`);
    }
    await connection.request(["DEL", probeKey, load.key]);
  } finally {
    connection.close();
  }
  const value = "v".repeat(load.valueBytes);
  const command = `*5\r\n$4\r\nXADD\r\n$${load.key.length}\r\n${load.key}\r\n$1\r\n*\r\n$7\r\npayload\r\n$${load.valueBytes}\r\n${value}\r\n`;
  await pipeCommands(server, load.entries, () => command);
}

/** Drains the stream with a new group `group`: every entry read once and acknowledged. */
export async function runConsumers(server: RunningServer, load: ConsumerLoad, group: string): Promise<Sample> {
  const connections = await Promise.all(Array.from({ length: load.consumers }, () => Connection.open(server)));
  try {
    const created = await connections[0]!.request(["XGROUP", "CREATE", load.key, group, "0"]);
    if (created instanceof Error) throw new Error(`XGROUP CREATE ${load.key} ${group} 0 answered ${created.message}`);
    const latencies: number[] = [];
    let consumed = 0;
    const timed = async (connection: Connection, argv: readonly string[]): Promise<Value> => {
      const sent = performance.now();
      const reply = await connection.request(argv);
      latencies.push(performance.now() - sent);
      if (reply instanceof Error) throw new Error(`${argv[0]} answered ${reply.message}`);
      return reply;
    };
    const started = performance.now();
    await Promise.all(connections.map(async (connection, i) => {
      const read = ["XREADGROUP", "GROUP", group, `c${i}`, "COUNT", String(load.count), "STREAMS", load.key, ">"];
      for (;;) {
        // [[key, [[id, [field, value]], ...]]], or null once the group has read everything.
        const reply = await timed(connection, read);
        const entries = reply === null ? [] : ((reply as Value[][])[0]![1] as Value[][]);
        if (entries.length === 0) return;
        const ids = entries.map((entry) => entry[0] as string);
        const acked = await timed(connection, ["XACK", load.key, group, ...ids]);
        if (acked !== ids.length) throw new Error(`XACK of ${ids.length} ids answered ${String(acked)}`);
        consumed += ids.length;
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    if (consumed !== load.entries) throw new Error(`the group read ${consumed} entries of ${load.entries}`);
    latencies.sort((a, b) => a - b);
    const at = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!;
    return { rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99) };
  } finally {
    for (const connection of connections) connection.close();
  }
}
