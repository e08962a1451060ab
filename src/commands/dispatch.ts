// From argv to a reply, the RESP face of the core: find the command in the
// table, check arity, refusals and key sizes from its declaration, parse,
// then hand its operation to the executor (src/core/executor.ts), which
// authorises, runs the transaction, meters, commits and applies effects.
import { EngineError, isEngineError } from "../engine/errors.ts";
import { MAX_KEY_NAME_BYTES } from "../model/limits.ts";
import { ErrorReply, QUEUED, type Reply } from "../resp/reply.ts";
import { lower } from "./args.ts";
import * as errors from "./errors.ts";
import { logInternalError } from "./internal_error_log.ts";
import { keyPositions } from "./key_positions.ts";
import type { Refusal } from "../core/authorise.ts";
import { Refused } from "../core/executor.ts";
import { QuotaExceeded } from "../core/metering.ts";
import { runBlockingCommand } from "./blocking.ts";
import { type CommandCall, type CommandOperation, commandOperation } from "./command_operation.ts";
import type { CommandSpec, MultiState, QueuedCommand, ServerServices, Session } from "./spec.ts";
import { feedMonitors, monitorTraitOf, touchesKeyspace } from "./monitor_feed.ts";
import { MAX_QUEUED_BYTES, MAX_QUEUED_COMMANDS, MULTI_QUEUE_FULL, queuedSize } from "./transaction_limits.ts";

export interface DispatchOptions {
  /** Called when the command's effects are visible to later commands (see RunOptions.onApplied). */
  readonly onApplied?: () => void;
}

export interface Resolved {
  readonly spec: CommandSpec;
  /** "get", or "client|setname" for a subcommand: the name in error texts. */
  readonly fullName: string;
}

/** Finds the spec for argv, or the error Redis gives for an unknown command or subcommand or a wrong arity. */
export function resolveCommand(server: ServerServices, argv: readonly Uint8Array[]): Resolved | ErrorReply {
  const spec = server.commands.lookupSent(argv[0]!);
  if (spec === undefined) return errors.unknownCommand(argv[0]!, argv.slice(1));
  const name = spec.name;
  if (spec.subcommands && argv.length >= 2) {
    const subName = lower(argv[1]!);
    const sub = spec.subcommands.find((s) => s.name === subName);
    if (sub === undefined) return errors.unknownSubcommand(argv[1]!, name);
    const fullName = `${name}|${subName}`;
    return arityOk(sub.arity, argv.length) ? { spec: sub, fullName } : errors.wrongArity(fullName);
  }
  return arityOk(spec.arity, argv.length) ? { spec, fullName: name } : errors.wrongArity(name);
}

function arityOk(arity: number, count: number): boolean {
  return arity > 0 ? count === arity : count >= -arity;
}

/** The size of the first key argument longer than the limit, if any. */
function oversizedKey(spec: CommandSpec, argv: readonly Uint8Array[]): number | undefined {
  // The common case, no argument that long at all, skips locating the keys.
  if (!argv.some((arg) => arg.length > MAX_KEY_NAME_BYTES)) return undefined;
  for (const i of keyPositions(spec, argv)) {
    const size = argv[i]!.length;
    if (size > MAX_KEY_NAME_BYTES) return size;
  }
  return undefined;
}

/**
 * Runs one command for `session`: resolve, arity, refusals (in Redis's
 * order: before the arguments are checked), parse, then the core's executor.
 * Synchronous replies come back as values (the fast path), engine work that
 * waits as a promise.
 */
export function dispatch(
  server: ServerServices,
  session: Session,
  argv: readonly Uint8Array[],
  options: DispatchOptions = {},
): Reply | Promise<Reply> {
  const resolved = resolveCommand(server, argv);
  // A wrong arity still names a command: a refused EXEC ends its transaction either way.
  if (resolved instanceof ErrorReply) return reject(server, session, server.commands.lookup(lower(argv[0]!)), resolved);
  const { spec, fullName } = resolved;
  session.lastCommand = fullName;
  const op = commandOperation(spec, fullName);
  const call: CommandCall = { argv, parsed: undefined, session, server };
  const refused = refusal(server, session, { spec, op, call });
  if (refused !== undefined) return reject(server, session, spec, refused);
  // RESP2 subscribed mode: the connection carries messages; only (un)subscribing, PING, QUIT and RESET are understood.
  if (session.protocol === 2 && spec.allowedWhileSubscribed !== true && session.subscribed) {
    return reject(server, session, spec, errors.onlySubscribeCommands(fullName));
  }
  // A script of this tenant has run past busy-reply-threshold: only the commands that may interrupt it run.
  if (server.scripting.running.count !== 0 && !spec.flags.includes("allow_busy")) {
    const busy = server.scripting.running.busy(session.keyspace.tenant, server.clock());
    if (busy !== undefined && busy.session !== session) return reject(server, session, spec, busy.identity.kind === "eval" ? errors.BUSY_EVAL : errors.BUSY_FUNCTION);
  }
  // While anyone monitors (the only check the command path pays otherwise): a monitoring connection may not touch the keyspace.
  const monitored = server.monitors.active;
  if (monitored && server.monitors.monitoring(session) && touchesKeyspace(spec)) return reject(server, session, spec, errors.MONITOR_KEYSPACE);
  // CLIENT PAUSE holds this client's command: it runs (checked again) once the pause ends.
  if (server.pauses.active) {
    const held = server.pauses.holds(session.keyspace.tenant, mayWrite(spec, session));
    if (held !== undefined) return held.then(() => dispatch(server, session, argv, options));
  }
  const multi = session.multi;
  if (multi && changesCredentials(spec, argv)) return reject(server, session, spec, errors.CREDENTIALS_INSIDE_MULTI);
  // SAVE, SHUTDOWN (Redis's no-multi flag): refused while queueing, which aborts the transaction.
  if (multi && spec.flags.includes("no_multi")) return reject(server, session, spec, errors.NOT_ALLOWED_IN_MULTI);

  const parsed = spec.parse(argv);
  if (multi && !spec.runsInsideMulti) {
    // Redis checks arguments when the command runs: a parse error becomes this command's reply in EXEC's array.
    return enqueue(server, session, multi, { spec, fullName, argv, parsed });
  }
  const tracking = session.tracking;
  if (tracking?.tracksReads) call.trackReads = tracking;
  const showAt = monitored ? monitorTraitOf(spec) : "hidden";
  if (showAt === "before") feedMonitors(server, session, { spec, argv });
  let result: Reply | Promise<Reply>;
  let blocks = false;
  if (parsed instanceof ErrorReply) result = parsed;
  else {
    call.parsed = parsed;
    try {
      // A blocking command (BLPOP...) may wait: it holds the connection's reply slot, and its later commands wait, as in Redis.
      if (spec.access !== "none" && spec.blocking !== undefined && (spec.blocking.waits?.(parsed) ?? true)) {
        blocks = true;
        result = runBlockingCommand(server, session, { spec, fullName, call });
      } else {
        result = server.executor.run(session, op, call, options);
      }
    } catch (error) {
      result = replyOfFailure(error);
    }
  }
  // Shown once run, as Redis's call() does; a command that waits (BLPOP) as soon as it starts waiting.
  if (showAt === "after") result = showWhenDone(server, session, { spec, argv, result, blocks });
  // CLIENT CACHING's choice is for one command, or one MULTI ... EXEC: used up once it has run (Redis's resetClient).
  if (tracking !== undefined && !spec.keepsCachingChoice && !session.multi) tracking.caching = false;
  return result instanceof Promise ? result.catch(replyOfFailure) : result;
}

/** Feeds MONITOR once `result` is known, with the database selected when the command ran. */
function showWhenDone(
  server: ServerServices,
  session: Session,
  command: { readonly spec: CommandSpec; readonly argv: readonly Uint8Array[]; readonly result: Reply | Promise<Reply>; readonly blocks: boolean },
): Reply | Promise<Reply> {
  const { result } = command;
  const db = session.db;
  if (!(result instanceof Promise) || command.blocks) {
    feedMonitors(server, session, command, db);
    return result;
  }
  return result.then((reply) => {
    feedMonitors(server, session, command, db);
    return reply;
  });
}

/**
 * What CLIENT PAUSE WRITE holds: a command that writes (EVAL and FCALL run
 * writes), and EXEC of a transaction that queued one (Redis's
 * is_may_replicate_command). Rights are not writes: CLIENT UNPAUSE needs the
 * write right and must run.
 */
function mayWrite(spec: CommandSpec, session: Session): boolean {
  if (writesData(spec)) return true;
  return spec.endsTransaction === true && (session.multi?.queue.some((queued) => writesData(queued.spec)) ?? false);
}

function writesData(spec: CommandSpec): boolean {
  return spec.access === "write" || spec.flags.includes("write") || spec.flags.includes("may_replicate");
}

function changesCredentials(spec: CommandSpec, argv: readonly Uint8Array[]): boolean {
  const declared = spec.changesCredentials;
  return declared === true || (declared !== undefined && declared(argv));
}

/**
 * Queues a command between MULTI and EXEC, within the connection's bounds.
 * Past them the transaction fails (EXEC answers EXECABORT), so its queue is
 * dropped at once rather than held until EXEC or DISCARD.
 */
function enqueue(server: ServerServices, session: Session, multi: MultiState, command: QueuedCommand): Reply {
  if (multi.failed) return QUEUED; // EXEC will abort: nothing queued from now on will run
  const size = queuedSize(command.argv);
  if (multi.queue.length >= MAX_QUEUED_COMMANDS || multi.queuedBytes + size > MAX_QUEUED_BYTES) {
    multi.queue.length = 0;
    multi.queuedBytes = 0;
    return reject(server, session, command.spec, MULTI_QUEUE_FULL);
  }
  multi.queue.push(command);
  multi.queuedBytes += size;
  return QUEUED;
}

/**
 * A command refused before it could run. Between MULTI and EXEC that aborts
 * the transaction; a refused EXEC itself discards it, and Redis words that
 * as EXECABORT, inside a transaction or not.
 */
function reject(server: ServerServices, session: Session, spec: CommandSpec | undefined, error: ErrorReply): ErrorReply {
  if (session.multi) session.multi.failed = true;
  if (!spec?.endsTransaction) return error;
  session.multi = undefined;
  if (session.watch) server.watches.remove(session.watch);
  session.watch = undefined;
  return errors.execAborted(error);
}

/** Why `session` may not run this command at all (authentication, permission, key scope, key size), if it may not. */
function refusal(
  server: ServerServices,
  session: Session,
  command: { readonly spec: CommandSpec; readonly op: CommandOperation; readonly call: CommandCall },
): ErrorReply | undefined {
  const refused = server.executor.refusal(session, command.op, command.call);
  if (refused !== undefined) return replyOfRefusal(refused, command.op.name);
  const keySize = oversizedKey(command.spec, command.call.argv);
  if (keySize !== undefined) return errors.keyTooLarge(keySize, MAX_KEY_NAME_BYTES);
  return undefined;
}

/** The RESP wording of the core's refusals. */
export function replyOfRefusal(refused: Refusal, commandName: string): ErrorReply {
  switch (refused) {
    case "not_authenticated":
      return errors.NOAUTH;
    case "no_permission":
      return errors.noPermission(commandName);
    case "key_outside_scope":
      return errors.NO_KEY_PERMISSION;
    case "channel_outside_scope":
      return errors.NO_CHANNEL_PERMISSION;
  }
}

/** Engine failures become error replies; anything else is a bug, reported without taking the server down. */
export function replyOfFailure(error: unknown): Reply {
  if (isEngineError(error)) return replyOfEngineError(error);
  if (error instanceof QuotaExceeded) return errors.quotaExceeded(error.message);
  if (error instanceof Refused) return replyOfRefusal(error.refusal, error.operation);
  logInternalError(error);
  return errors.internalError(error);
}

function replyOfEngineError(error: EngineError): Reply {
  switch (error.code) {
    case "key_too_large":
    case "value_too_large":
    case "transaction_too_large":
    case "transaction_timed_out":
      return errors.engineLimit(error.message);
    case "retries_exhausted":
    case "not_committed":
    case "transaction_too_old":
      return errors.tryAgain(error.message);
    case "commit_unknown_result":
      return errors.commitUnknown(error.message);
    case "engine_closed":
      return errors.SHUTTING_DOWN;
    case "storage_failure":
      return errors.storageFailure(error.message);
  }
}
