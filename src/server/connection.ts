// One client connection: bytes in, ordered replies out.
//
// Commands take effect and are answered in order, pipelined or not. A
// command that writes starts the next one as soon as its effects are applied
// (the engine's onApplied), so a pipelined burst shares one durable commit,
// but its reply is released only once the commit is durable, and replies
// always leave in request order.
import { dispatch, replyOfFailure } from "../commands/dispatch.ts";
import type { ClientTracking } from "../commands/client_tracking.ts";
import type { CommandWait, MultiState, OutputBufferLimit, Principal, ReplyMode, Session, TenantFigures, WatchState } from "../commands/spec.ts";
import type { Keyspace } from "../model/keyspace.ts";
import { MAX_STRING_BYTES, REQUEST_ALLOWANCE_BYTES } from "../model/limits.ts";
import { ProtocolError, RequestParser } from "../resp/parser.ts";
import { ErrorReply, type ProtocolVersion, PushReply, type Reply } from "../resp/reply.ts";
import { isBigReply, ReplyStream } from "../resp/reply_stream.ts";
import { ReplyWriter } from "../resp/writer.ts";
import type { ConnectionHost } from "./connection_host.ts";
import type { Delivery, Subscriber } from "../core/pubsub/channel_hub.ts";
import { ClientSubscriptions } from "../core/pubsub/client_subscriptions.ts";
import type { SocketEvents, TransportSocket } from "./transport.ts";

/** A reply position in the ordered output; filled when its command finishes. */
interface Slot {
  reply: Reply | undefined;
  done: boolean;
  /**
   * The protocol to encode the reply in: the one in effect when the command
   * finished running, before any later pipelined HELLO could change it.
   */
  protocol: ProtocolVersion;
  /** A big reply being encoded a page per turn (reply_stream.ts). */
  stream?: ReplyStream;
  /** CLIENT REPLY OFF or SKIP: the reply is not sent (the slot keeps its place in the order). */
  silent?: true;
}

/**
 * Input waiting in the parser above which a client whose command waits for
 * the engine is not read from: TCP flow control then holds the rest of its
 * pipeline in the kernel, and the server's memory stays bounded however fast
 * it sends.
 */
const INPUT_PAUSE_BYTES = 1024 * 1024;
/**
 * With no output buffer limit at all (CONFIG SET client-output-buffer-limit
 * "normal 0 0 0"), a client's commands still wait while this much of its
 * output is unsent: nobody is disconnected, but memory stays bounded.
 */
const OUTPUT_PAUSE_WITHOUT_LIMIT_BYTES = 64 * 1024 * 1024;
/** Encoded replies beyond this are sent at once rather than at the end of the event-loop turn. */
const EARLY_FLUSH_BYTES = 64 * 1024;
/**
 * A big reply (a million keys) is encoded about this much at a time, one page
 * per turn of the event loop, so other clients are served between pages
 * (about a millisecond each) instead of waiting for the whole encoding.
 */
const REPLY_PAGE_BYTES = 256 * 1024;
/**
 * Bytes waiting in the socket above which a big reply's next page waits for
 * the socket to drain: a client that reads slowly holds about this much of
 * its reply in memory, not the whole of it encoded.
 */
const REPLY_STREAM_HIGH_WATER_BYTES = 1024 * 1024;

/** Connections with replies to send at the end of this event-loop turn. */
let flushQueue: Connection[] = [];
let flushQueued = false;

function flushQueuedConnections(): void {
  const queue = flushQueue;
  // A flush may queue its connection again (for the next turn): it goes to a fresh queue.
  flushQueue = [];
  flushQueued = false;
  for (const connection of queue) connection.flushNow();
}

export class Connection implements Session, SocketEvents, Subscriber {
  readonly id: number;
  protocol: ProtocolVersion = 2;
  name = "";
  libName = "";
  libVersion = "";
  closeAfterReply = false;
  lastCommand = "NULL";
  multi: MultiState | undefined;
  watch: WatchState | undefined;
  principal: Principal | undefined;
  tracking: ClientTracking | undefined;
  wait: CommandWait | undefined;

  private selectedDb = 0;
  private heldSubscriptions: ClientSubscriptions | undefined;
  /** The slot of the command running now, until its effects are applied: pushes made meanwhile go before it. */
  private runningSlot: Slot | undefined;
  private replyModeNow: ReplyMode = "on";
  /** CLIENT REPLY SKIP was given by the previous command: this command's reply is dropped, unless it is CLIENT REPLY ON. */
  private skipThisReply = false;
  private cachedKeyspace: Keyspace | undefined;
  private readonly parser: RequestParser;
  private readonly writer = new ReplyWriter();
  private readonly slots: Slot[] = [];
  /** True while a command runs and has not yet applied its effects: later commands wait. */
  private busy = false;
  /**
   * Commands released early (applied, reply not yet known): their replies
   * will add to the output, uncounted so far. Near the output limit the next
   * command waits for them, so that a client that does not read gets at most
   * one reply past the limit.
   */
  private repliesInFlight = 0;
  private waitingForReplies = false;
  /** The parser's stricter limits for clients that have not authenticated are on. */
  private parserUnauthenticated: boolean;
  /** No more input is processed (QUIT, protocol error, shutdown). */
  private stopped = false;
  private socketClosed = false;
  private flushScheduled = false;
  private readonly createdAtMs: number;
  private everAuthenticated: boolean;
  /** The counters of the tenant this connection is authenticated as, and that tenant. */
  private figures: TenantFigures | undefined;
  private figuresTenant: string | undefined;
  private lastActiveMs: number;
  private readingPaused = false;
  /** True while unsent output is over the soft limit: the client's next commands wait until it reads. */
  private outputPaused = false;
  /** Since when unsent replies have been above the soft output buffer limit. */
  private overSoftLimitSinceMs: number | undefined;
  /** A big reply's next page waits until the socket has sent most of what it holds (drained). */
  private streamWaitsForSocket = false;

  constructor(private readonly host: ConnectionHost, private readonly socket: TransportSocket) {
    this.id = host.nextClientId();
    this.createdAtMs = host.clock();
    this.lastActiveMs = this.createdAtMs;
    const keepAlive = host.services.clientLimits.tcpKeepAliveSeconds;
    if (keepAlive > 0) socket.setKeepAlive?.(keepAlive);
    this.principal = host.auth.required ? undefined : host.auth.anonymous;
    this.everAuthenticated = this.principal !== undefined;
    this.followTenant();
    this.parserUnauthenticated = this.principal === undefined;
    this.parser = new RequestParser({
      maxBulkBytes: MAX_STRING_BYTES,
      maxArgs: 1024 * 1024,
      maxInlineBytes: 64 * 1024,
      unauthenticated: this.principal === undefined,
      maxRequestBytes: host.maxRequestBytes,
      requestAllowanceBytes: REQUEST_ALLOWANCE_BYTES,
    });
  }

  get db(): number {
    return this.selectedDb;
  }

  set db(index: number) {
    this.selectedDb = index;
    this.cachedKeyspace = undefined;
  }

  get keyspace(): Keyspace {
    const tenant = this.principal?.tenant ?? "";
    if (this.cachedKeyspace === undefined || this.cachedKeyspace.tenant !== tenant || this.cachedKeyspace.retired) {
      this.cachedKeyspace = this.host.keyspaceOf(tenant, this.selectedDb);
    }
    return this.cachedKeyspace;
  }

  get subscribed(): boolean {
    return this.heldSubscriptions?.active ?? false;
  }

  get subscriptions(): ClientSubscriptions {
    return this.heldSubscriptions ??= new ClientSubscriptions(this.host.services.pubsub.hub, this);
  }

  /** True once every reply is sent and no command is running. */
  get idle(): boolean {
    return this.slots.length === 0 && !this.busy && this.writer.size === 0;
  }

  data(chunk: Uint8Array): void {
    if (this.stopped) return;
    this.lastActiveMs = this.host.clock();
    this.host.services.stats.netInputBytes += chunk.length;
    if (this.figures !== undefined) this.figures.netInputBytes += chunk.length;
    this.parser.feed(chunk);
    this.pump();
  }

  /** The socket sent some of its queued bytes: commands held back by unread output may run again. */
  drained(): void {
    this.resumeBelow(this.outputPauseBytes() / 2);
  }

  /**
   * Lets a big reply's next page and a paused client's commands go on once
   * the unsent output is below `resumeBytes`.
   */
  private resumeBelow(resumeBytes: number): void {
    if (this.streamWaitsForSocket && this.socket.pendingBytes < REPLY_STREAM_HIGH_WATER_BYTES / 2) {
      this.streamWaitsForSocket = false;
      this.scheduleFlush();
    }
    if (!this.outputPaused || this.stopped) return;
    if (this.outputBacklog() >= resumeBytes) return;
    this.outputPaused = false;
    this.pump();
  }

  /**
   * Called a few times a second by the server: the soft limit's clock runs
   * while a paused client sends nothing and no reply is written, and an
   * adapter without drain events still resumes it.
   */
  checkOutput(): void {
    if (this.socketClosed || this.outputBacklog() === 0 && !this.outputPaused && !this.streamWaitsForSocket) return;
    if (this.overOutputBufferLimit()) return;
    // Drain events resume at half the pause threshold, so a slow reader is not
    // paused and resumed at every write. But a client that stopped reading can
    // leave its backlog stuck between half and the threshold once the kernel's
    // buffers are full: below the soft limit (its clock never runs) yet never
    // resumed, neither served nor disconnected. The periodic check resumes it
    // below the threshold itself, so its next replies take it over the limit.
    this.resumeBelow(this.outputPauseBytes());
  }

  closed(): void {
    this.socketClosed = true;
    this.stopped = true;
    // A client gone while blocked stops waiting: nothing more is popped for it.
    this.wait?.unblock("timeout");
    if (this.watch) this.host.services.watches.remove(this.watch);
    this.heldSubscriptions?.clear();
    this.host.forget(this);
  }

  /**
   * Stops reading new commands; in-flight ones still get their replies, then
   * the socket closes (a shutdown). A blocked command is answered at once
   * with the shutdown error.
   */
  stop(): void {
    this.stopped = true;
    this.wait?.unblock("shutdown");
    // Read again, so that what the client still sends is drained and ignored rather than left to reset the connection.
    if (this.readingPaused) {
      this.readingPaused = false;
      this.socket.resume?.();
    }
    this.closeIfDone();
  }

  get addr(): string {
    return this.socket.remoteAddress;
  }

  get laddr(): string {
    return this.socket.localAddress;
  }

  kill(): void {
    // A blocked command ends as on its timeout (Redis sends nothing at all: it closes the connection).
    this.wait?.unblock("timeout");
    this.stop();
  }

  subscribedTo(channel: Uint8Array): boolean {
    return this.heldSubscriptions?.holds("channel", channel) ?? false;
  }

  /** A pub/sub message for one of this client's subscriptions. */
  receive(delivery: Delivery): void {
    if (this.socketClosed) return;
    // Credentials that expired or were revoked since the client subscribed end its subscriptions: it hears nothing more.
    if (!this.stillAuthorised()) {
      this.heldSubscriptions?.clear();
      return;
    }
    // One frame per delivery, encoded once per protocol for all the subscribers it reaches.
    const frame = delivery.frame ??= delivery.kind === "pmessage"
      ? new PushReply(["pmessage", delivery.pattern!, delivery.channel, delivery.message], true)
      : new PushReply([delivery.kind, delivery.channel, delivery.message], true);
    this.pushBeforeRunningCommand(frame as PushReply);
  }

  private stillAuthorised(): boolean {
    const principal = this.principal;
    if (principal === undefined) return false;
    if (principal.expiresAtMs !== undefined && this.host.clock() > principal.expiresAtMs) return false;
    return principal.stillValid?.() !== false;
  }

  get replyMode(): ReplyMode {
    return this.replyModeNow;
  }

  set replyMode(mode: ReplyMode) {
    this.replyModeNow = mode;
    // CLIENT REPLY ON answers +OK even as the command a SKIP applied to.
    if (mode === "on") this.skipThisReply = false;
  }

  push(frame: Reply): void {
    if (this.socketClosed) return;
    this.slots.push({ reply: frame, done: true, protocol: this.protocol });
    // Encoded now, so that the output limit counts it: a client that does not read is disconnected, not buffered without end.
    this.encodeReady();
    this.scheduleFlush();
  }

  /**
   * A pub/sub message goes before the reply of the command running now, as
   * in Redis, where it is written to the output while that command executes
   * (a subscriber's own PUBLISH, an EXEC that publishes, a blocked client).
   * Invalidations (push) come after it.
   */
  private pushBeforeRunningCommand(frame: Reply): void {
    const running = this.runningSlot;
    const at = running === undefined ? -1 : this.slots.lastIndexOf(running);
    if (at < 0) return this.push(frame);
    this.slots.splice(at, 0, { reply: frame, done: true, protocol: this.protocol });
    this.encodeReady();
    this.scheduleFlush();
  }

  get connectedAtMs(): number {
    return this.createdAtMs;
  }

  /**
   * Closes a connection that never authenticated, telling it why; false
   * while one of its commands (its AUTH, say) is running: asked again later.
   */
  expel(message: string): boolean {
    if (this.stopped) return true;
    if (!this.idle || this.everAuthenticated) return false;
    this.slots.push({ reply: new ErrorReply(message), done: true, protocol: this.protocol });
    this.stop();
    this.flush();
    return true;
  }

  /** Closes the connection when it has been idle (no input, no reply, no command running) since `sinceMs`. */
  closeIfIdleSince(sinceMs: number): void {
    if (this.lastActiveMs < sinceMs && this.idle && !this.stopped) this.stop();
  }

  describe(nowMs: number): string {
    const age = Math.floor((nowMs - this.createdAtMs) / 1000);
    const idle = Math.floor((nowMs - this.lastActiveMs) / 1000);
    const tracking = this.tracking;
    // Redis's letters for tracking: t (on), R (broken redirect), B (BCAST).
    const trackingFlags = tracking === undefined ? "" : `t${tracking.brokenRedirect ? "R" : ""}${tracking.bcast ? "B" : ""}`;
    const monitors = this.host.services.monitors;
    // Redis's O: a connection in MONITOR mode.
    const flags = `${monitors.active && monitors.monitoring(this) ? "O" : ""}${this.wait?.blocked === true ? "b" : ""}${this.subscribed ? "P" : ""}${trackingFlags}` || "N";
    return `id=${this.id} addr=${this.socket.remoteAddress} laddr=${this.socket.localAddress} fd=-1 name=${this.name} ` +
      `age=${age} idle=${idle} flags=${flags} db=${this.selectedDb} sub=${this.heldSubscriptions?.sizeOf("channel") ?? 0} ` +
      `psub=${this.heldSubscriptions?.sizeOf("pattern") ?? 0} ssub=${this.heldSubscriptions?.sizeOf("shard") ?? 0} multi=-1 qbuf=${this.parser.bufferedBytes} qbuf-free=0 ` +
      `argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=${this.socket.pendingBytes} tot-mem=0 events=r ` +
      `cmd=${this.lastCommand} user=${this.principal?.user ?? "default"} redir=${tracking?.redirect ?? -1} resp=${this.protocol} ` +
      `lib-name=${this.libName} lib-ver=${this.libVersion}`;
  }

  /** Runs buffered commands until one must wait for the engine or input runs out. */
  private pump(): void {
    while (!this.busy && !this.stopped) {
      // Checked before running a command, not after encoding its reply: a client that does not read gets no more work done.
      if (this.outputBacklog() >= this.outputPauseBytes()) {
        this.outputPaused = true;
        if (this.overOutputBufferLimit()) return;
        break;
      }
      if (this.repliesInFlight > 0 && this.outputBacklog() >= this.outputPauseBytes() / 2) {
        this.waitingForReplies = true;
        break;
      }
      let argv: Uint8Array[] | undefined;
      try {
        argv = this.parser.next();
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        // Redis replies with the protocol error, then closes the connection.
        this.slots.push({ reply: new ErrorReply(error.message), done: true, protocol: this.protocol });
        this.host.services.stats.recordError(error.message);
        this.stopped = true;
        break;
      }
      if (argv === undefined) break;
      this.execute(argv);
    }
    this.scheduleFlush();
    const pause = !this.stopped && (this.outputPaused || (this.busy && this.parser.bufferedBytes > INPUT_PAUSE_BYTES));
    if (pause !== this.readingPaused) {
      this.readingPaused = pause;
      if (pause) this.socket.pause?.();
      else this.socket.resume?.();
    }
  }

  private execute(argv: Uint8Array[]): void {
    this.host.countCommand();
    if (this.figures !== undefined) this.figures.commandsProcessed++;
    const startedAt = performance.now();
    const previousCommand = this.lastCommand;
    // Dispatch names the command once it resolves it; "" means it did not (unknown command, wrong arity).
    this.lastCommand = "";
    const slot: Slot = { reply: undefined, done: false, protocol: this.protocol };
    this.slots.push(slot);
    this.runningSlot = slot;
    this.skipThisReply = this.replyModeNow === "skip";
    if (this.skipThisReply) this.replyModeNow = "on";
    let released = false;
    let dispatching = true;
    const release = (): void => {
      if (released) return;
      released = true;
      if (this.runningSlot === slot) this.runningSlot = undefined;
      slot.protocol = this.protocol;
      // Applied during dispatch (the fast path, or a body that did not wait): the pump loop that
      // called dispatch goes on by itself; pumping from here would recurse once per pipelined command.
      if (dispatching) return;
      this.repliesInFlight++;
      this.busy = false;
      this.afterCommand();
      this.pump();
    };
    let result: Reply | Promise<Reply>;
    try {
      result = dispatch(this.host.services, this, argv, { onApplied: release });
    } catch (error) {
      // A bug in one command must cost that command its reply, not the server its process.
      result = replyOfFailure(error);
    }
    dispatching = false;
    // CLIENT REPLY runs synchronously, so the mode is known now: OFF silences this command (OFF itself too), SKIP the next one.
    if (this.replyModeNow !== "on" || this.skipThisReply) slot.silent = true;
    const command = this.lastCommand;
    if (command === "") this.lastCommand = previousCommand;
    if (result instanceof Promise && released) {
      // Applied already, durable later (a group commit): the next command may run now; the reply waits in its slot.
      this.repliesInFlight++;
      this.afterCommand();
      result.catch(replyOfFailure).then((reply) => {
        this.recordStats(command, startedAt, reply, argv);
        slot.reply = reply;
        slot.done = true;
        // Encoded before the pump goes on, so that its output check counts this reply.
        this.encodeReady();
        this.replyLanded();
        this.scheduleFlush();
        if (!this.socketClosed && this.encodeReady() >= EARLY_FLUSH_BYTES) this.flush();
      });
      return;
    }
    if (!(result instanceof Promise)) {
      if (this.runningSlot === slot) this.runningSlot = undefined;
      this.recordStats(command, startedAt, result, argv);
      slot.reply = result;
      slot.done = true;
      slot.protocol = this.protocol;
      this.afterCommand();
      // Encoded now, so that the next command's check sees this reply's bytes; big ones leave now rather than pile up in the writer.
      if (this.encodeReady() >= EARLY_FLUSH_BYTES) this.flush();
      return;
    }
    this.busy = true;
    result.catch(replyOfFailure).then((reply) => {
      this.recordStats(command, startedAt, reply, argv);
      slot.reply = reply;
      slot.done = true;
      // Released already: its protocol was fixed then; otherwise it is the one in effect now (HELLO may just have changed it).
      if (!released) slot.protocol = this.protocol;
      this.encodeReady();
      if (released) {
        this.replyLanded();
        this.scheduleFlush();
      } else release();
      // Commands chained through microtasks can finish many before the turn's flush: big replies go out now,
      // so the output buffer limit sees them as they come instead of after all of them are encoded.
      if (!this.socketClosed && this.encodeReady() >= EARLY_FLUSH_BYTES) this.flush();
    });
  }

  /** A reply of a command released early is known: a pump held back for it goes on. */
  private replyLanded(): void {
    this.repliesInFlight--;
    if (!this.waitingForReplies) return;
    this.waitingForReplies = false;
    this.pump();
  }

  /**
   * INFO commandstats/errorstats: one Map lookup and a few increments; and
   * two comparisons with the thresholds of SLOWLOG and LATENCY.
   */
  private recordStats(command: string, startedAt: number, reply: Reply, argv: readonly Uint8Array[]): void {
    const services = this.host.services;
    const error = reply instanceof ErrorReply ? reply.message : undefined;
    if (command === "") {
      if (error !== undefined) services.stats.recordError(error);
      return;
    }
    const durationMicros = (performance.now() - startedAt) * 1000;
    services.stats.record(command, durationMicros, error, this.host.clock());
    if (durationMicros >= services.slowLog.thresholdMicros || durationMicros >= services.latency.thresholdMicros) {
      this.host.slowCommand(this, { argv, durationMicros, reply });
    }
  }

  /** State changes a command may have made that the connection must act on. */
  private afterCommand(): void {
    const unauthenticated = this.principal === undefined;
    if (unauthenticated !== this.parserUnauthenticated) {
      this.parserUnauthenticated = unauthenticated;
      this.parser.setLimits({ unauthenticated });
    }
    if (this.principal?.tenant !== this.figuresTenant) this.followTenant();
    // Channels belong to a tenant: a client that authenticates as another (or is logged out by RESET) loses them.
    const subscriptions = this.heldSubscriptions;
    if (subscriptions?.active && subscriptions.tenant !== this.principal?.tenant) subscriptions.clear();
    if (!this.everAuthenticated && this.principal !== undefined) {
      this.everAuthenticated = true;
      this.host.authenticated?.(this);
    }
    if (this.closeAfterReply) this.stopped = true;
  }

  /**
   * Replies go out once per event-loop turn, like Redis's beforeSleep: a
   * pipelined burst whose commands finish one microtask after another leaves
   * in one socket write instead of one write per reply.
   */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // One setImmediate per turn for all connections: one each cost several % of the CPU with 50 clients.
    flushQueue.push(this);
    if (!flushQueued) {
      flushQueued = true;
      setImmediate(flushQueuedConnections);
    }
  }

  /** @internal Called once per turn by flushQueuedConnections. */
  flushNow(): void {
    this.flushScheduled = false;
    this.flush();
  }

  /** Encodes the finished replies at the head of the queue; returns the bytes encoded and not yet sent. */
  private encodeReady(): number {
    if (this.socketClosed) return 0;
    const { hardBytes } = this.outputLimit();
    let count = 0;
    while (count < this.slots.length && this.slots[count]!.done) {
      // At the hard limit the client is closed before another reply takes memory.
      if (hardBytes > 0 && this.outputBacklog() >= hardBytes && this.overOutputBufferLimit()) return 0;
      const slot = this.slots[count]!;
      if (slot.silent) {
        count++;
        continue;
      }
      if (slot.stream === undefined && !isBigReply(slot.reply!)) {
        this.writer.write(slot.reply!, slot.protocol);
        count++;
        continue;
      }
      // A big reply: one page now; the rest on later turns (flush schedules them), the replies after it wait.
      if (this.socket.pendingBytes >= REPLY_STREAM_HIGH_WATER_BYTES) {
        this.streamWaitsForSocket = true;
        break;
      }
      slot.stream ??= new ReplyStream(slot.reply!, slot.protocol);
      if (!slot.stream.writePage(this.writer, REPLY_PAGE_BYTES)) break;
      count++;
    }
    if (count > 0) this.slots.splice(0, count);
    return this.writer.size;
  }

  private flush(): void {
    if (this.socketClosed) return;
    if (this.encodeReady() > 0) {
      let bytes = this.writer.take();
      // Bytes that will wait in the socket's queue should hold no more memory than they count: the writer may hand over a buffer up to twice their size.
      if (this.socket.pendingBytes > 0 && bytes.byteLength < bytes.buffer.byteLength) bytes = bytes.slice();
      this.host.services.stats.netOutputBytes += bytes.length;
      if (this.figures !== undefined) this.figures.netOutputBytes += bytes.length;
      this.socket.write(bytes);
      this.lastActiveMs = this.host.clock();
      if (this.overOutputBufferLimit()) return;
    }
    // A big reply is being streamed: its next page on the next turn, unless it waits for the socket to drain.
    if (this.slots[0]?.stream !== undefined && !this.streamWaitsForSocket) this.scheduleFlush();
    this.closeIfDone();
  }

  /**
   * Redis's client-output-buffer-limit for normal clients: a client whose
   * unsent replies pass the hard limit, or stay above the soft limit for its
   * seconds, is disconnected at once (its pending replies are dropped).
   */
  private overOutputBufferLimit(): boolean {
    const { hardBytes, softBytes, softSeconds } = this.outputLimit();
    const pending = this.outputBacklog();
    let over = hardBytes > 0 && pending >= hardBytes;
    if (softBytes > 0 && pending >= softBytes) {
      // As in Redis, the first time over the soft limit only starts its clock.
      const now = this.host.clock();
      if (this.overSoftLimitSinceMs === undefined) this.overSoftLimitSinceMs = now;
      else if (now - this.overSoftLimitSinceMs > softSeconds * 1000) over = true;
    } else {
      this.overSoftLimitSinceMs = undefined;
    }
    if (!over) return false;
    console.error(`materia: client id=${this.id} addr=${this.addr} closed for overcoming of output buffer limits (${pending} bytes unsent)`);
    this.stopped = true;
    this.socketClosed = true;
    this.slots.length = 0;
    this.writer.take();
    this.socket.destroy();
    return true;
  }

  /** Counts this connection's activity for the tenant it is now authenticated as (a new one counts it as a connection received). */
  private followTenant(): void {
    this.figuresTenant = this.principal?.tenant;
    this.figures = this.figuresTenant === undefined ? undefined : this.host.tenantCounters(this.figuresTenant);
    if (this.figures !== undefined) this.figures.connectionsReceived++;
  }

  /** Redis's client classes: a client with subscriptions is a pub/sub client, with its own output buffer limit. */
  private outputLimit(): OutputBufferLimit {
    const limits = this.host.services.clientLimits.outputBuffer;
    return this.heldSubscriptions?.active ? limits.pubsub : limits.normal;
  }

  /** Reply bytes encoded or queued in the socket and not yet taken by the kernel. */
  private outputBacklog(): number {
    return this.socket.pendingBytes + this.writer.size;
  }

  /**
   * Unsent output at which the client's next commands wait: the soft limit
   * (whose clock then decides), else none below the hard limit (which
   * closes, as Redis does), else a fixed bound.
   */
  private outputPauseBytes(): number {
    const { hardBytes, softBytes } = this.outputLimit();
    if (softBytes > 0) return softBytes;
    return hardBytes > 0 ? Infinity : OUTPUT_PAUSE_WITHOUT_LIMIT_BYTES;
  }

  private closeIfDone(): void {
    if (this.stopped && !this.socketClosed && this.idle) {
      this.socketClosed = true;
      this.socket.end();
    }
  }
}
