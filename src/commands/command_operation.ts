// A RESP command as a core operation: the command table's declaration (flags,
// key positions) gives the operation's traits, and its `exec` its work. Built
// once per command and kept, so the hot path allocates only the call.
import type { WouldBlock } from "../core/executor.ts";
import type { Operation } from "../core/operation.ts";
import type { Reply } from "../resp/reply.ts";
import { keyPositions } from "./key_positions.ts";
import type { CommandSpec, EngineCommandSpec, ServerServices, Session } from "./spec.ts";

/** One invocation of a command: what its operation runs on. */
export interface CommandCall {
  readonly argv: readonly Uint8Array[];
  /** The parsed arguments (spec.parse), set once parsing succeeded. */
  parsed: unknown;
  readonly session: Session;
  readonly server: ServerServices;
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
    writes: spec.flags.includes("write"),
    reads: spec.flags.includes("readonly"),
    operatorOnly: spec.operatorOnly === true,
    public: spec.flags.includes("no_auth") ? "always" as const : spec.allowedUnauthenticated ? "unauthenticated" as const : undefined,
    touchesAll: spec.touchesAll,
    longRead: spec.longRead === true,
    keys: (call: CommandCall): Uint8Array[] => keyPositions(spec, call.argv).map((i) => call.argv[i]!),
    writtenKeys: spec.writtenKeys === undefined
      ? undefined
      : (call: CommandCall): Uint8Array[] => spec.writtenKeys!(call.argv).filter((i) => i > 0 && i < call.argv.length).map((i) => call.argv[i]!),
  };
}

function buildOperation(spec: CommandSpec, fullName: string): CommandOperation {
  const traits = traitsOf(spec, fullName);
  if (spec.access === "none") {
    return { ...traits, run: (ctx, call) => spec.exec({ session: call.session, server: call.server, nowMs: ctx.nowMs }, call.parsed) };
  }
  return {
    ...traits,
    run: (ctx, call) => spec.exec({ tx: ctx.tx, ks: ctx.ks, nowMs: ctx.nowMs, effects: ctx.effects, session: call.session, server: call.server }, call.parsed),
  };
}
