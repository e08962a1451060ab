// One run of a script (EVAL) or function (FCALL) inside the operation of the
// command that called it: every redis.call resolves its command from the
// table, checks what Redis checks of a command called from a script, and runs
// its operation through the executor's runInside, in the same transaction, so
// the script is atomic on every engine and its effects (key events,
// notifications, publishes) are applied once, after the commit.
import type { MaybePromise } from "../../engine/contract.ts";
import { isEngineError } from "../../engine/errors.ts";
import { MAX_TRANSACTION_MS } from "../../engine/limits.ts";
import { EngineError } from "../../engine/errors.ts";
import { Refused } from "../../core/executor.ts";
import { ErrorReply, type Reply } from "../../resp/reply.ts";
import { type CompiledChunk, type RegisteredFunction, type RunHost, type RunOutcome, ScriptRun, type ScriptState } from "../../scripting/script_state.ts";
import { resolveCommand } from "../dispatch.ts";
import { commandOperation } from "../command_operation.ts";
import type { CommandCall } from "../command_operation.ts";
import { RateLimitedLog } from "../internal_error_log.ts";
import { scriptCommandLine } from "../monitor_feed.ts";
import type { CommandSpec, TxContext } from "../spec.ts";
import type { RunningScript, RunningScripts } from "./running_scripts.ts";
import type { ClientTracking } from "../client_tracking.ts";

/** What a run is, for the error suffix and for SCRIPT KILL / FUNCTION STATS. */
export interface ScriptIdentity {
  readonly kind: "eval" | "function";
  /** The sha1 (EVAL) or the function's name (FCALL). */
  readonly name: string;
  /** The command's arguments (FUNCTION STATS shows them). */
  readonly argv: readonly Uint8Array[];
  /** `*_RO`, or the `no-writes` flag: write commands are refused. */
  readonly readOnly: boolean;
}

/** The texts Redis gives a command a script may not run (notes/scripting.md §3). */
const UNKNOWN_COMMAND = new ErrorReply("ERR Unknown Redis command called from script");
const WRONG_ARITY = new ErrorReply("ERR Wrong number of args calling Redis command from script");
const NOT_FROM_SCRIPT = new ErrorReply("ERR This Redis command is not allowed from script");
const WRITE_IN_READ_ONLY = new ErrorReply("ERR Write commands are not allowed from read-only scripts.");
const NO_RIGHT = new ErrorReply("ERR The user executing the script can't run this command or subcommand");
const NO_KEY_RIGHT = new ErrorReply("ERR The user executing the script can't access at least one of the keys mentioned in the command");
const NO_CHANNEL_RIGHT = new ErrorReply("ERR The user executing the script can't publish to the channel mentioned in the command");

/** redis.log's lines: a script cannot flood the server's log. */
const scriptLog = new RateLimitedLog({ maxLines: 100, windowMs: 10_000, write: (line) => console.error(line), now: () => Date.now() });
const LOG_LEVELS = ["debug", "verbose", "notice", "warning"] as const;
/** redis.log below this level is dropped (Redis's default loglevel, notice). */
const LOG_THRESHOLD = 2;

/** Flags of a command that matter to scripts, read once per declaration. */
interface ScriptTraits {
  readonly noscript: boolean;
}
const traitsBySpec = new WeakMap<CommandSpec, ScriptTraits>();
function scriptTraitsOf(spec: CommandSpec): ScriptTraits {
  let traits = traitsBySpec.get(spec);
  if (traits === undefined) {
    traits = { noscript: spec.flags.includes("noscript") };
    traitsBySpec.set(spec, traits);
  }
  return traits;
}

/**
 * What a run asks of the command that runs it (RunHost): its redis.calls,
 * acl_check_cmd and logs. One object per run, its methods shared.
 */
class ScriptCallHost implements RunHost {
  /** Set when the engine failed under a redis.call: the run must not commit, and its error is the command's. */
  failure: { readonly error: unknown } | undefined;
  /** The run as SCRIPT KILL sees it; set once the run starts (calls only come after that). */
  entry: RunningScript | undefined;
  private readonly trackReads: ClientTracking | undefined;

  constructor(private readonly ctx: TxContext, private readonly readOnly: boolean) {
    const tracking = ctx.session.tracking;
    this.trackReads = tracking?.tracksReads ? tracking : undefined;
  }

  now(): number {
    return this.ctx.server.clock();
  }

  call(argv: readonly Uint8Array[]): MaybePromise<Reply> {
    if (this.failure !== undefined) return new ErrorReply("ERR the script's transaction failed");
    const { session, server } = this.ctx;
    const resolved = resolveCommand(server, argv);
    if (resolved instanceof ErrorReply) return server.commands.lookupSent(argv[0]!) === undefined ? UNKNOWN_COMMAND : WRONG_ARITY;
    const spec = resolved.spec;
    if (scriptTraitsOf(spec).noscript) return NOT_FROM_SCRIPT;
    const op = commandOperation(spec, resolved.fullName);
    if (op.writes && this.readOnly) return WRITE_IN_READ_ONLY;
    const parsed = spec.parse(argv);
    if (server.monitors.active) this.showToMonitors(spec, argv);
    if (parsed instanceof ErrorReply) return parsed;
    // A wait the command offers as an option (XREAD ... BLOCK) is refused, as Redis does; BLMPOP and the like run as inside MULTI.
    if (spec.access !== "none" && spec.blocking?.waits?.(parsed) === true) {
      return new ErrorReply(`ERR ${spec.name} command is not allowed with BLOCK option from scripts`);
    }
    const call: CommandCall = { argv, parsed, session, server, trackReads: this.trackReads };
    if (op.writes && this.entry !== undefined) this.entry.wrote = true;
    let reply: MaybePromise<Reply>;
    try {
      reply = server.executor.runInside(session, this.ctx, op, call);
    } catch (error) {
      return this.failureReply(error);
    }
    if (reply instanceof Promise) return reply.catch((error: unknown) => this.failureReply(error));
    return reply;
  }

  /**
   * MONITOR's `[db lua]` line of a command the script runs, stamped now and
   * shown once the script's transaction commits: a retried attempt shows nothing.
   */
  private showToMonitors(spec: CommandSpec, argv: readonly Uint8Array[]): void {
    const { session, server, effects } = this.ctx;
    const line = scriptCommandLine(session, { spec, argv });
    if (line === undefined) return;
    const tenant = session.keyspace.tenant;
    effects.afterCommit(() => server.monitors.deliver(tenant, line));
  }

  mayRun(argv: readonly Uint8Array[]): boolean | string {
    const { session, server } = this.ctx;
    const resolved = resolveCommand(server, argv);
    if (resolved instanceof ErrorReply) return "Invalid command passed to redis.acl_check_cmd()";
    const op = commandOperation(resolved.spec, resolved.fullName);
    return server.executor.refusal(session, op, { argv, parsed: undefined, session, server }) === undefined;
  }

  log(level: number, message: string): void {
    if (level < LOG_THRESHOLD) return;
    const session = this.ctx.session;
    scriptLog.report(`script log (${LOG_LEVELS[level]}) tenant=${session.keyspace.tenant} client=${session.id}: ${message}`);
  }

  /** An error from running a command: a refusal becomes its error text; an engine failure stops the whole run. */
  private failureReply(error: unknown): Reply {
    if (error instanceof Refused) {
      return error.refusal === "key_outside_scope" ? NO_KEY_RIGHT : error.refusal === "channel_outside_scope" ? NO_CHANNEL_RIGHT : NO_RIGHT;
    }
    this.failure ??= { error };
    return new ErrorReply(isEngineError(error) ? `ERR ${error.message}` : "ERR the script's transaction failed");
  }
}

/**
 * Runs `chunk` (EVAL) or `fn` (FCALL) in `state` for the command whose
 * context is `ctx`; the reply, or a promise of it. Throws what must fail the
 * whole transaction (an engine error, which the engine may retry; a quota
 * refusal; a script stopped at the engine's time limit after it wrote).
 */
export function runScript(
  ctx: TxContext,
  state: ScriptState,
  code: { readonly chunk: CompiledChunk } | { readonly fn: RegisteredFunction },
  keys: readonly Uint8Array[],
  args: readonly Uint8Array[],
  identity: ScriptIdentity,
): MaybePromise<Reply> {
  const { session, server } = ctx;
  const startDb = session.db;
  const registry = server.scripting.running;
  const host = new ScriptCallHost(ctx, identity.readOnly);
  const run = new ScriptRun(host, server.clock() + registry.deadlineMs);
  const entry = registry.add(session, identity, run);
  host.entry = entry;
  let outcome: MaybePromise<RunOutcome>;
  try {
    outcome = "chunk" in code ? state.runScript(code.chunk, keys, args, run) : state.runFunction(code.fn, keys, args, run);
  } catch (error) {
    endRun(registry, entry, startDb);
    throw error;
  }
  if (outcome instanceof Promise) {
    return outcome.then((done) => finishRun(done, host, registry, entry, startDb), (error: unknown) => {
      endRun(registry, entry, startDb);
      throw error;
    });
  }
  return finishRun(outcome, host, registry, entry, startDb);
}

function endRun(registry: RunningScripts, entry: RunningScript, startDb: number): void {
  registry.remove(entry);
  // A script's SELECT lasts for the script only (set only when changed: setting it drops the session's cached keyspace).
  if (entry.session.db !== startDb) entry.session.db = startDb;
}

function finishRun(done: RunOutcome, host: ScriptCallHost, registry: RunningScripts, entry: RunningScript, startDb: number): Reply {
  endRun(registry, entry, startDb);
  if (host.failure !== undefined) throw host.failure.error;
  return replyOf(done, entry.identity, entry.wrote);
}

/** The reply of a finished run; throws when the transaction must not commit. */
function replyOf(outcome: RunOutcome, identity: ScriptIdentity, wrote: boolean): Reply {
  switch (outcome.kind) {
    case "reply":
      return outcome.reply;
    case "error":
      return errorWithSuffix(outcome.message, identity, outcome.line);
    case "failed":
      return new ErrorReply(`ERR Error running script ${identity.name}, ${outcome.message.slice(0, 100)}`);
    case "killed":
      return errorWithSuffix(encoder.encode("ERR Script killed by user with SCRIPT KILL..."), identity, 1);
    case "timed_out":
      // Nothing it wrote is applied: the transaction fails whole (Redis would have to be killed here).
      if (wrote) throw new EngineError("transaction_timed_out", `the script ran past the engine's ${MAX_TRANSACTION_MS} ms transaction limit; nothing it wrote was applied`);
      return new ErrorReply(`ERR the script ran past the engine's ${MAX_TRANSACTION_MS} ms transaction limit and was stopped`);
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** " script: <sha>, on @user_script:<line>." after the error's own text, as Redis 7 words it. */
function errorWithSuffix(message: Uint8Array, identity: ScriptIdentity, line: number | undefined): ErrorReply {
  const source = identity.kind === "eval" ? "@user_script" : "@user_function";
  const suffix = encoder.encode(` script: ${identity.name}, on ${source}:${line ?? "?"}.`);
  const out = new Uint8Array(message.length + suffix.length);
  out.set(message);
  out.set(suffix, message.length);
  // CR and LF would end the error line early.
  for (let i = 0; i < out.length; i++) if (out[i] === 13 || out[i] === 10) out[i] = 32;
  return new ErrorReply(decoder.decode(out), out);
}
