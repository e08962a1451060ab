// A RESP command as a core operation: the command table's declaration (flags,
// key positions) gives the operation's traits, and its `exec` its work. Built
// once per command and kept, so the hot path allocates only the call.
import type { WouldBlock } from "../core/executor.ts";
import type { Operation } from "../core/operation.ts";
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
    op = {
      ...traitsOf(spec, fullName),
      run: (ctx, call) =>
        blocking.attempt({ tx: ctx.tx, ks: ctx.ks, nowMs: ctx.nowMs, effects: ctx.effects, session: call.session, server: call.server }, call.parsed, ctx.waiting),
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

function buildOperation(spec: CommandSpec, fullName: string): CommandOperation {
  const traits = traitsOf(spec, fullName);
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
      return spec.exec({ tx: ctx.tx, ks: ctx.ks, nowMs: ctx.nowMs, effects: ctx.effects, session: call.session, server: call.server }, call.parsed);
    },
  };
}
