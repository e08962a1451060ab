// Durability across restarts of `materia serve --engine sqlite`: a write that
// was answered survives SIGKILL, and SIGTERM/SIGINT stop the server
// gracefully: replies to what it was running are flushed, the connection
// closes cleanly, the process exits 0, and every answered write is there
// after a restart.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { Redis } from "ioredis";
import { encodeCommand, replyLength } from "../support/raw_client.ts";
import { spawnServer, type ServerProcess } from "../support/servers.ts";
import { signalServer, TempDirs } from "../support/processes.ts";

const dirs = new TempDirs();
after(() => dirs.removeAll());

/** How long the writer runs before the kill, per cycle. */
const WRITE_MS = 1_000;
const SIGKILL_CYCLES = 3;

type Command = { kind: "set"; key: string; value: string } | { kind: "incr" } | { kind: "append"; piece: string };

function argvOf(command: Command): string[] {
  switch (command.kind) {
    case "set": return ["SET", command.key, command.value];
    case "incr": return ["INCR", "counter"];
    case "append": return ["APPEND", "log", command.piece];
  }
}

/**
 * A pipelining writer over a raw socket: it keeps up to `window` commands in
 * flight and records, in order, the reply of each command answered. Replies
 * are matched to commands by position, as RESP does.
 */
class PipelinedWriter {
  readonly sent: Command[] = [];
  readonly replies: string[] = [];
  /** How the connection ended: "end" (the server closed it cleanly), or an error code such as ECONNRESET. */
  ending: string | undefined;
  private buffer = new Uint8Array(0);
  private wake: (() => void) | undefined;
  private readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Uint8Array) => this.receive(chunk));
    socket.on("end", () => (this.ending ??= "end"));
    socket.on("error", (error: NodeJS.ErrnoException) => (this.ending ??= error.code ?? error.message));
    this.closed = new Promise((resolve) => socket.on("close", () => {
      this.ending ??= "close";
      this.notify();
      resolve();
    }));
  }

  static open(port: number): Promise<PipelinedWriter> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: "127.0.0.1" }, () => resolve(new PipelinedWriter(socket)));
      socket.once("error", reject);
    });
  }

  get isClosed(): boolean {
    return this.ending !== undefined;
  }

  get inFlight(): number {
    return this.sent.length - this.replies.length;
  }

  /** Bytes received after the last complete reply (a torn reply when non-zero at the end). */
  get leftoverBytes(): number {
    return this.buffer.length;
  }

  private receive(chunk: Uint8Array): void {
    const merged = new Uint8Array(this.buffer.length + chunk.length);
    merged.set(this.buffer, 0);
    merged.set(chunk, this.buffer.length);
    let offset = 0;
    while (offset < merged.length) {
      const length = replyLength(merged, offset);
      if (length < 0) break;
      this.replies.push(new TextDecoder().decode(merged.subarray(offset, offset + length)));
      offset += length;
    }
    this.buffer = merged.slice(offset);
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Sends the commands in one write, without waiting for replies. */
  send(commands: readonly Command[]): void {
    if (this.isClosed) return;
    const encoded = commands.map((c) => encodeCommand(argvOf(c)));
    const bytes = new Uint8Array(encoded.reduce((n, e) => n + e.length, 0));
    let at = 0;
    for (const e of encoded) {
      bytes.set(e, at);
      at += e.length;
    }
    this.sent.push(...commands);
    this.socket.write(bytes);
  }

  /** Resolves on the next reply or close (or after `ms`). */
  waitForProgress(ms = 1_000): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Waits until the server closes the connection; false when it did not within `ms`. */
  async waitForClose(ms: number): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const closed = await Promise.race([this.closed.then(() => true as const), timeout]);
    clearTimeout(timer);
    return closed;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Generates the writer's commands: unique SETs, INCRs and APPENDs, interleaved. */
class Workload {
  private next = 0;
  constructor(private readonly cycle: string) {}

  take(count: number): Command[] {
    const out: Command[] = [];
    for (let i = 0; i < count; i++) {
      const n = this.next++;
      switch (n % 3) {
        case 0: out.push({ kind: "set", key: `u:${this.cycle}:${n}`, value: `v${n}` }); break;
        case 1: out.push({ kind: "incr" }); break;
        default: out.push({ kind: "append", piece: `${this.cycle}.${n},` });
      }
    }
    return out;
  }
}

/** What the server acknowledged, and what it may have applied without answering. */
interface Acknowledged {
  /** Keys whose SET was answered +OK, with their values. */
  readonly sets: Map<string, string>;
  /** The counter's value in the last answered INCR (undefined when none was answered). */
  readonly lastIncr: number | undefined;
  /** INCRs sent, answered or not. */
  readonly incrsSent: number;
  /** The APPEND pieces answered, in order, and every piece sent. */
  readonly appendsAnswered: string[];
  readonly appendsSent: string[];
  /** Keys of SETs sent but not answered. */
  readonly unansweredSets: string[];
}

function acknowledged(writer: PipelinedWriter): Acknowledged {
  const sets = new Map<string, string>();
  let lastIncr: number | undefined;
  const appendsAnswered: string[] = [];
  const appendsSent: string[] = [];
  const unansweredSets: string[] = [];
  let incrsSent = 0;
  writer.sent.forEach((command, i) => {
    const reply = writer.replies[i];
    if (command.kind === "incr") incrsSent++;
    if (command.kind === "append") appendsSent.push(command.piece);
    if (reply === undefined) {
      if (command.kind === "set") unansweredSets.push(command.key);
      return;
    }
    switch (command.kind) {
      case "set":
        assert.equal(reply, "+OK\r\n", `reply to SET ${command.key}`);
        sets.set(command.key, command.value);
        break;
      case "incr": {
        const match = /^:(\d+)\r\n$/.exec(reply);
        assert.ok(match, `reply to INCR: ${JSON.stringify(reply)}`);
        const value = Number(match[1]);
        assert.ok(lastIncr === undefined || value === lastIncr + 1, "INCR replies count up by one");
        lastIncr = value;
        break;
      }
      case "append":
        assert.match(reply, /^:\d+\r\n$/, "reply to APPEND");
        appendsAnswered.push(command.piece);
        break;
    }
  });
  return { sets, lastIncr, incrsSent, appendsAnswered, appendsSent, unansweredSets };
}

/** The state the data must have after a restart, built up across cycles. */
class Expectations {
  readonly sets = new Map<string, string>();
  counter = 0;
  log = "";

  /**
   * Checks the restarted server against everything acknowledged, then adopts
   * what it holds. `exact`: nothing was applied without being answered either
   * (a graceful stop answers every command it ran).
   */
  async verify(port: number, ack: Acknowledged, label: string, options: { exact?: boolean } = {}): Promise<void> {
    for (const [key, value] of ack.sets) this.sets.set(key, value);
    const client = new Redis({ host: "127.0.0.1", port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    client.on("error", () => {});
    await client.connect();
    try {
      const keys = [...this.sets.keys()];
      for (let i = 0; i < keys.length; i += 1_000) {
        const chunk = keys.slice(i, i + 1_000);
        const values = await client.mget(...chunk);
        chunk.forEach((key, j) => assert.equal(values[j], this.sets.get(key), `${label}: acknowledged SET ${key} survives`));
      }

      if (options.exact) {
        const unanswered = ack.unansweredSets.slice(0, 1_000);
        if (unanswered.length > 0) {
          assert.equal(await client.exists(...unanswered), 0, `${label}: no SET was applied without its reply`);
        }
      }

      const counter = Number((await client.get("counter")) ?? "0");
      if (options.exact) assert.equal(counter, ack.lastIncr ?? this.counter, `${label}: no INCR was applied without its reply`);
      if (ack.lastIncr !== undefined) assert.ok(counter >= ack.lastIncr, `${label}: counter ${counter} >= last acknowledged ${ack.lastIncr}`);
      assert.ok(counter <= this.counter + ack.incrsSent, `${label}: counter ${counter} <= ${this.counter} + ${ack.incrsSent} INCRs sent`);
      assert.ok(counter >= this.counter, `${label}: counter ${counter} did not go back from ${this.counter}`);
      this.counter = counter;

      const log = (await client.get("log")) ?? "";
      const answered = this.log + ack.appendsAnswered.join("");
      const sent = this.log + ack.appendsSent.join("");
      assert.ok(log.startsWith(answered), `${label}: every acknowledged APPEND survives (${log.length} < ${answered.length} bytes?)`);
      assert.ok(sent.startsWith(log), `${label}: the log holds only what was sent, in order`);
      if (options.exact) assert.equal(log.length, answered.length, `${label}: no APPEND was applied without its reply`);
      this.log = log;
    } finally {
      client.disconnect();
    }
  }
}

describe("restart durability with the sqlite engine", () => {
  test(`SIGKILL mid-stream loses no acknowledged write (${SIGKILL_CYCLES} cycles of ${WRITE_MS} ms)`, async () => {
    const data = dirs.make("restart");
    const expected = new Expectations();
    let server: ServerProcess = await spawnServer(["--engine", "sqlite", "--data", data]);
    try {
      for (let cycle = 1; cycle <= SIGKILL_CYCLES; cycle++) {
        const writer = await PipelinedWriter.open(server.port);
        const workload = new Workload(`c${cycle}`);
        const deadline = Date.now() + WRITE_MS;
        // Full speed: keep a window of commands in flight until the deadline, then kill without stopping.
        while (Date.now() < deadline && !writer.isClosed) {
          if (writer.inFlight < 512) writer.send(workload.take(128));
          else await writer.waitForProgress(50);
        }
        writer.send(workload.take(512));
        const killed = await signalServer(server, "SIGKILL");
        assert.equal(killed, "SIGKILL");
        await writer.waitForClose(5_000);
        writer.destroy();
        const ack = acknowledged(writer);
        assert.ok(ack.sets.size > 100, `cycle ${cycle}: the writer got replies (${writer.replies.length} of ${writer.sent.length})`);
        assert.ok(writer.replies.length < writer.sent.length, `cycle ${cycle}: the kill came mid-stream`);

        server = await spawnServer(["--engine", "sqlite", "--data", data]);
        await expected.verify(server.port, ack, `cycle ${cycle}`);
      }
    } finally {
      await signalServer(server, "SIGKILL");
    }
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    test(`${signal} during a pipelined burst: replies flushed, exit 0, every answered write kept, none unanswered`, async () => {
      const data = dirs.make("restart");
      const server = await spawnServer(["--engine", "sqlite", "--data", data]);
      let exit: number | string | undefined;
      const writer = await PipelinedWriter.open(server.port);
      try {
        const workload = new Workload(signal);
        writer.send(workload.take(30_000));
        // Signal once the server is mid-burst.
        while (writer.replies.length === 0 && !writer.isClosed) await writer.waitForProgress(2_000);
        exit = await signalServer(server, signal);
        const closed = await writer.waitForClose(10_000);

        assert.equal(exit, 0, `materia exits 0 on ${signal}; output:\n${server.output()}`);
        assert.match(server.output(), new RegExp(`${signal} received`));
        assert.ok(closed, "the server closes the connection");
        assert.equal(writer.leftoverBytes, 0, "no reply is cut short");
        assert.ok(writer.replies.length > 0);
      } finally {
        writer.destroy();
        if (exit === undefined) await signalServer(server, "SIGKILL");
      }

      const restarted = await spawnServer(["--engine", "sqlite", "--data", data]);
      try {
        await new Expectations().verify(restarted.port, acknowledged(writer), `after ${signal}`, { exact: true });
      } finally {
        await signalServer(restarted, "SIGTERM");
      }
    });
  }

  test("SIGTERM closes a pipelining client's connection cleanly (FIN), not with a reset", async () => {
    const server = await spawnServer(["--engine", "memory"]);
    const writer = await PipelinedWriter.open(server.port);
    try {
      writer.send(new Workload("fin").take(30_000));
      while (writer.replies.length === 0 && !writer.isClosed) await writer.waitForProgress(2_000);
      assert.equal(await signalServer(server, "SIGTERM"), 0);
      assert.ok(await writer.waitForClose(10_000), "the server closes the connection");
      // Closing a socket with unread input makes the kernel send RST, which
      // can discard replies the client has not read yet; a graceful server
      // half-closes after its last reply and drains the rest.
      assert.equal(writer.ending, "end", `the connection ended with ${writer.ending} after ${writer.replies.length} replies`);
    } finally {
      writer.destroy();
      await signalServer(server, "SIGKILL");
    }
  });
});
