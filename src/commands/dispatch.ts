// From argv to a reply: find the command in the table, check arity,
// authentication, permission and key sizes from its declaration, parse, then
// run it — inside an engine transaction when it touches data.
import type { Txn } from "../engine/contract.ts";
import { EngineError, isEngineError } from "../engine/errors.ts";
import { readLong } from "../engine/long_read.ts";
import { MAX_KEY_NAME_BYTES } from "../model/limits.ts";
import { ErrorReply, QUEUED, type Reply } from "../resp/reply.ts";
import { lower } from "./args.ts";
import * as errors from "./errors.ts";
import { logInternalError } from "./internal_error_log.ts";
import { keyPositions } from "./key_positions.ts";
import type { Keyspace } from "../model/keyspace.ts";
import type { UsageChange } from "../model/storage_usage.ts";
import { meteredBody, QuotaExceeded } from "./storage_quota.ts";
import type { CommandSpec, MultiState, QueuedCommand, ServerServices, Session } from "./spec.ts";
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
  const name = lower(argv[0]!);
  const spec = server.commands.lookup(name);
  if (spec === undefined) return errors.unknownCommand(argv[0]!, argv.slice(1));
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

/** Runs one command for `session`. Synchronous replies come back as values, engine work as a promise. */
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
  const refused = refusal(server, session, spec, fullName, argv);
  if (refused !== undefined) return reject(server, session, spec, refused);
  const multi = session.multi;
  if (multi && changesCredentials(spec, argv)) return reject(server, session, spec, errors.CREDENTIALS_INSIDE_MULTI);

  const parsed = spec.parse(argv);
  if (multi && !spec.runsInsideMulti) {
    // Redis checks arguments when the command runs: a parse error becomes this command's reply in EXEC's array.
    return enqueue(server, session, multi, { spec, fullName, argv, parsed });
  }
  if (parsed instanceof ErrorReply) return parsed;

  if (spec.access === "none") {
    return spec.exec({ session, server, nowMs: server.clock() }, parsed);
  }
  const ks = session.keyspace;
  const body = async (tx: Txn): Promise<Reply> => spec.exec({ tx, ks, session, server, nowMs: server.clock() }, parsed);
  if (spec.access === "read") return (spec.longRead ? readLong(server.engine, body, options) : server.engine.read(body, options)).catch(replyOfFailure);
  let change: UsageChange | undefined;
  const meteredWrite = async (tx: Txn): Promise<Reply> => {
    const run = await meteredBody(server, ks.tenant, tx, body);
    change = run.change;
    return run.value;
  };
  // WATCHes see the write the moment it is applied: a transaction later in the same group commit must see it changed.
  const onApplied = (): void => {
    if (change !== undefined) server.usage.applied(ks.tenant, change);
    afterWrite(server, { spec, argv, ks });
    options.onApplied?.();
  };
  return server.engine.write(meteredWrite, { onApplied }).catch(replyOfFailure);
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

/**
 * Why a queued command may not run now, under the credentials in force at
 * EXEC (expired or revoked ones included): its reply inside EXEC's array.
 */
export function refusalAtExec(server: ServerServices, session: Session, command: QueuedCommand): ErrorReply | undefined {
  return refusal(server, session, command.spec, command.fullName, command.argv);
}

/** Why `session` may not run this command at all (authentication, permission, key size), if it may not. */
function refusal(server: ServerServices, session: Session, spec: CommandSpec, fullName: string, argv: readonly Uint8Array[]): ErrorReply | undefined {
  const principal = session.principal;
  if (principal === undefined) return spec.flags.includes("no_auth") || spec.allowedUnauthenticated ? checkKeySizes(spec, argv) : errors.NOAUTH;
  if (principal.expiresAtMs !== undefined || principal.stillValid !== undefined) {
    // Expired or revoked credentials end the session's rights at once: the client must AUTH again.
    if ((principal.expiresAtMs !== undefined && server.clock() > principal.expiresAtMs) || principal.stillValid?.() === false) {
      session.principal = undefined;
      if (!spec.flags.includes("no_auth")) return errors.NOAUTH;
    }
  }
  // What anyone may run unauthenticated (AUTH, HELLO, QUIT, RESET) is not
  // subject to the rights of the current credentials: a token whose Datalog
  // names the commands it allows must not lock its connection out of them.
  if (spec.flags.includes("no_auth")) return checkKeySizes(spec, argv);
  const writes = spec.flags.includes("write");
  if (writes && !principal.canWrite) return errors.noPermission(fullName);
  if (!principal.operator && spec.operatorOnly) return errors.noPermission(fullName);
  if (!writes && spec.access !== "none" && principal.canRead === false) return errors.noPermission(fullName);
  if (principal.keys !== undefined) {
    const keys = keyPositions(spec, argv).map((i) => argv[i]!);
    if (!keys.every((key) => principal.keys!.allows(key))) return errors.NO_KEY_PERMISSION;
  }
  return checkKeySizes(spec, argv);
}

function checkKeySizes(spec: CommandSpec, argv: readonly Uint8Array[]): ErrorReply | undefined {
  const keySize = oversizedKey(spec, argv);
  if (keySize !== undefined) return errors.keyTooLarge(keySize, MAX_KEY_NAME_BYTES);
  return undefined;
}

/** Once a write is applied: WATCHes of its keys (or of the whole database, for FLUSHDB) see a change. */
export function afterWrite(
  server: ServerServices,
  command: { readonly spec: CommandSpec; readonly argv: readonly Uint8Array[]; readonly ks: Keyspace },
): void {
  if (!server.watches.watching) return;
  const { spec, argv, ks } = command;
  if (spec.touchesAll) server.watches.touchAll(ks.tenant, spec.touchesAll === "database" ? ks.db : undefined);
  else server.watches.touch(ks, keyPositions(spec, argv).map((i) => argv[i]!));
}

/** Engine failures become error replies; anything else is a bug, reported without taking the server down. */
export function replyOfFailure(error: unknown): Reply {
  if (isEngineError(error)) return replyOfEngineError(error);
  if (error instanceof QuotaExceeded) return error.reply;
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
