// A RESP command as a core operation: the command table's declaration (flags,
// key positions) gives the operation's traits, and its `exec` its work. Built
// once per command and kept, so the hot path allocates only the call.
import type { Operation } from "../core/operation.ts";
import type { Reply } from "../resp/reply.ts";
import { keyPositions } from "./key_positions.ts";
import type { ClientTracking } from "./client_tracking.ts";
import type { CommandSpec, ServerServices, Session } from "./spec.ts";

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

const operations = new WeakMap<CommandSpec, CommandOperation>();

/** The operation of `spec`, named `fullName` ("client|list") in refusals. */
export function commandOperation(spec: CommandSpec, fullName: string): CommandOperation {
  let op = operations.get(spec);
  if (op === undefined) {
    op = buildOperation(spec, fullName);
    operations.set(spec, op);
  }
  return op;
}

function buildOperation(spec: CommandSpec, fullName: string): CommandOperation {
  const reads = spec.flags.includes("readonly");
  const traits = {
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
  if (spec.access === "none") {
    return { ...traits, run: (ctx, call) => spec.exec({ session: call.session, server: call.server, nowMs: ctx.nowMs, effects: ctx.effects, batched: ctx.batched }, call.parsed) };
  }
  return {
    ...traits,
    run: (ctx, call) => {
      // Remembered before the read, in the keyspace it reads: a write committed after it cannot go unannounced.
      if (reads && call.trackReads !== undefined) call.trackReads.remember(ctx.ks, traits.keys(call));
      return spec.exec({ tx: ctx.tx, ks: ctx.ks, nowMs: ctx.nowMs, effects: ctx.effects, session: call.session, server: call.server }, call.parsed);
    },
  };
}
