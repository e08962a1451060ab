// A RESP command as a core operation: the command table's declaration (flags,
// key positions) gives the operation's traits, and its `exec` its work. Built
// once per command and kept, so the hot path allocates only the call.
import type { WouldBlock } from "../core/executor.ts";
import type { OpContext, Operation } from "../core/operation.ts";
import type { Reply } from "../resp/reply.ts";
import { keyPositions } from "./key_positions.ts";
import type { ClientTracking } from "./client_tracking.ts";
import type { CommandSpec, EngineCommandSpec, ServerServices, Session } from "./spec.ts";

/** One invocation of a command: what its operation runs on. */
export interface CommandCall {
  readonly argv: readonly Uint8Array[];
  /** The parsed arguments (spec.parse), set once parsing succeeded. */
  parsed: unknown;
  readonly session: Session;
  readonly server: ServerServices;
  /**
   * Set when the keys this command reads are remembered for client-side
   * caching: decided when the command is dispatched (or EXEC runs it), so
   * that a CLIENT CACHING choice used up meanwhile does not change it.
   */
  trackReads?: ClientTracking;
}

export type CommandOperation = Operation<CommandCall, Reply>;
/** A blocking command's operation for the executor's runBlocking: WOULD_BLOCK while it has nothing to do. */
export type BlockingCommandOperation = Operation<CommandCall, Reply | WouldBlock>;

const operations = new WeakMap<CommandSpec, CommandOperation>();
const blockingOperations = new WeakMap<CommandSpec, BlockingCommandOperation>();

/** The operation of `spec`, named `fullName` ("client|list") in refusals. */
export function commandOperation(spec: CommandSpec, fullName: string): CommandOperation {
  let op = operations.get(spec);
  if (op === undefined) {
    op = buildOperation(spec, fullName);
    operations.set(spec, op);
  }
  return op;
}

/**
 * The operation of a blocking command (spec.blocking) for runBlocking: the
 * same traits and keys as commandOperation's, running the declaration's
 * `attempt` with the run's OpContext.waiting.
 */
export function blockingOperation(spec: EngineCommandSpec, fullName: string): BlockingCommandOperation {
  let op = blockingOperations.get(spec);
  if (op === undefined) {
    const blocking = spec.blocking;
    if (blocking === undefined) throw new Error(`${fullName} is not a blocking command`);
    const traits = traitsOf(spec, fullName);
    const used = keyUse(spec, traits.keys);
    op = {
      ...traits,
      run: (ctx, call) => {
        if (used !== undefined) used(ctx, call);
        return blocking.attempt({ tx: ctx.tx, ks: ctx.ks, nowMs: ctx.nowMs, effects: ctx.effects, session: call.session, server: call.server }, call.parsed, ctx.waiting);
      },
    };
    blockingOperations.set(spec, op);
  }
  return op;
}

function traitsOf(spec: CommandSpec, fullName: string): Omit<CommandOperation, "run"> {
  return {
    name: fullName,
    access: spec.access,
    writes: spec.flags.includes("write") || spec.needsRights?.includes("write") === true,
    reads: spec.flags.includes("readonly") || spec.needsRights?.includes("read") === true,
    operatorOnly: spec.operatorOnly === true,
    public: spec.flags.includes("no_auth") ? "always" as const : spec.allowedUnauthenticated ? "unauthenticated" as const : undefined,
    touchesAll: spec.touchesAll,
    longRead: spec.longRead === true,
    keys: (call: CommandCall): Uint8Array[] => keyPositions(spec, call.argv).map((i) => call.argv[i]!),
    channels: spec.channels === undefined ? undefined : (call: CommandCall): readonly Uint8Array[] => spec.channels!(call.argv),
    writtenKeys: spec.writtenKeys === undefined
      ? undefined
      : (call: CommandCall): Uint8Array[] => spec.writtenKeys!(call.argv).filter((i) => i > 0 && i < call.argv.length).map((i) => call.argv[i]!),
  };
}

/**
 * Records the use of a command's keys (OBJECT IDLETIME), unless it declares
 * `noTouch`; undefined for commands that use no key. A command with one
 * fixed key records it without working out its key list (the hot path).
 */
function keyUse(spec: CommandSpec, keys: (call: CommandCall) => readonly Uint8Array[]): ((ctx: OpContext, call: CommandCall) => void) | undefined {
  if (spec.noTouch === true || (spec.keys === undefined && spec.movableKeys === undefined)) return undefined;
  const fixed = spec.movableKeys === undefined && spec.keys !== undefined && spec.keys.first > 0 && spec.keys.first === spec.keys.last ? spec.keys.first : undefined;
  if (fixed !== undefined) {
    return (ctx, call) => {
      const key = call.argv[fixed];
      if (key !== undefined) call.server.accessTimes.touch(ctx.ks, key, ctx.nowMs);
    };
  }
  return (ctx, call) => {
    const times = call.server.accessTimes;
    for (const key of keys(call)) times.touch(ctx.ks, key, ctx.nowMs);
  };
}

function buildOperation(spec: CommandSpec, fullName: string): CommandOperation {
  const traits = traitsOf(spec, fullName);
  const used = keyUse(spec, traits.keys);
  // Client tracking remembers the keys of read-only commands (Redis's `readonly` flag), not of commands that merely need the read right.
  const tracksReads = spec.flags.includes("readonly");
  if (spec.access === "none") {
    return { ...traits, run: (ctx, call) => spec.exec({ session: call.session, server: call.server, nowMs: ctx.nowMs, effects: ctx.effects, batched: ctx.batched }, call.parsed) };
  }
  return {
    ...traits,
    run: (ctx, call) => {
      // Remembered before the read, in the keyspace it reads: a write committed after it cannot go unannounced.
      if (tracksReads && call.trackReads !== undefined) call.trackReads.remember(ctx.ks, traits.keys(call));
      if (used !== undefined) used(ctx, call);
      return spec.exec({ tx: ctx.tx, ks: ctx.ks, nowMs: ctx.nowMs, effects: ctx.effects, session: call.session, server: call.server }, call.parsed);
    },
  };
}
