// MULTI, EXEC, DISCARD, WATCH, UNWATCH.
//
// Dispatch queues commands between MULTI and EXEC (already parsed). EXEC runs
// the queue through the executor's runBatch: ONE engine transaction, all or
// nothing, isolated from other clients, within the engine's limits (too big a
// transaction fails whole with the engine's error). Runtime errors
// (WRONGTYPE...) are replies inside EXEC's array and do not undo the other
// commands, as in Redis.
import type { MaybePromise, Txn } from "../../engine/contract.ts";
import type { Keyspace } from "../../model/keyspace.ts";
import { lookupSilently } from "../../model/db.ts";
import { ErrorReply, NullArray, OK, type Reply } from "../../resp/reply.ts";
import { key, multiple } from "../arguments.ts";
import { replyOfFailure, replyOfRefusal } from "../dispatch.ts";
import { type CommandCall, type CommandOperation, commandOperation } from "../command_operation.ts";
import { TOO_MANY_WATCHED_KEYS, MAX_WATCHED_KEY_BYTES, MAX_WATCHED_KEYS } from "../transaction_limits.ts";
import { DISCARD_WITHOUT_MULTI, EXEC_WITHOUT_MULTI, EXECABORT, MULTI_NESTED, WATCH_INSIDE_MULTI } from "../errors.ts";
import { keyId as watchId } from "../../core/key_id.ts";
import { feedMonitors } from "../monitor_feed.ts";
import { defineCommand, type CommandSpec, type LocalContext, type QueuedCommand, type ServerServices, type Session, type WatchState } from "../spec.ts";
import type { BatchStep } from "../../core/executor.ts";


const TRANSACTION_FLAGS = ["noscript", "loading", "stale", "fast", "allow_busy"] as const;

/** Drops the connection's WATCH, if any. */
export function unwatch(session: Session, server: ServerServices): void {
  if (session.watch) server.watches.remove(session.watch);
  session.watch = undefined;
}

const multi = defineCommand({
  name: "multi",
  arity: 1,
  flags: [...TRANSACTION_FLAGS],
  runsInsideMulti: true,
  group: "transactions",
  summary: "Starts a transaction: later commands are queued until EXEC runs them all at once, or DISCARD drops them.",
  since: "1.2.0",
  complexity: "O(1)",
  access: "none",
  parse: () => undefined,
  exec({ session }): Reply {
    if (session.multi) return MULTI_NESTED;
    session.multi = { queue: [], queuedBytes: 0, failed: false };
    return OK;
  },
});

const discard = defineCommand({
  name: "discard",
  arity: 1,
  flags: [...TRANSACTION_FLAGS],
  runsInsideMulti: true,
  group: "transactions",
  summary: "Drops the commands queued since MULTI, and every WATCH.",
  since: "2.0.0",
  complexity: "O(N), when N is the number of queued commands",
  access: "none",
  parse: () => undefined,
  exec({ session, server }): Reply {
    if (!session.multi) return DISCARD_WITHOUT_MULTI;
    session.multi = undefined;
    unwatch(session, server);
    return OK;
  },
});

const watch = defineCommand({
  name: "watch",
  arity: -2,
  flags: [...TRANSACTION_FLAGS],
  runsInsideMulti: true,
  keys: { first: 1, last: -1, step: 1 },
  group: "transactions",
  summary: "Makes the next EXEC fail (reply nil) if any of these keys is changed, or expires, before it runs.",
  since: "2.2.0",
  complexity: "O(1) for every key.",
  arguments: [multiple(key("key"))],
  // A read transaction: whether each key exists now (EXEC fails if one that existed has expired meanwhile).
  access: "read",
  parse: (argv) => argv.slice(1),
  async exec({ tx, ks, session, server, nowMs, effects }, keys): Promise<Reply> {
    if (session.multi) return WATCH_INSIDE_MULTI;
    const added = newlyWatched(session.watch, ks, keys);
    // Bounded before the engine read, which the bound also limits.
    if (added === undefined) return TOO_MANY_WATCHED_KEYS;
    const existing: boolean[] = [];
    for (const k of added.values()) existing.push((await lookupSilently(tx, ks, k, nowMs)) !== undefined);
    // Registered once the read commits: a retried attempt registers nothing twice.
    effects.afterCommit(() => {
      const state = session.watch ?? { keys: new Map(), keyBytes: 0, changed: false };
      session.watch = state;
      let i = 0;
      for (const [id, k] of added) {
        const existed = existing[i++]!;
        if (state.keys.has(id)) continue; // watched by a command that ran meanwhile
        state.keys.set(id, { ks, key: k, existed });
        state.keyBytes += k.length;
        server.watches.add(state, ks, k);
      }
    });
    return OK;
  },
});

/**
 * The keys of `keys` not yet watched, by watch id; undefined when watching
 * them too would pass the connection's bounds.
 */
function newlyWatched(state: WatchState | undefined, ks: Keyspace, keys: readonly Uint8Array[]): Map<string, Uint8Array> | undefined {
  const added = new Map<string, Uint8Array>();
  let count = state?.keys.size ?? 0;
  let bytes = state?.keyBytes ?? 0;
  for (const k of keys) {
    const id = watchId(ks, k);
    if (state?.keys.has(id) || added.has(id)) continue;
    added.set(id, k);
    count++;
    bytes += k.length;
    if (count > MAX_WATCHED_KEYS || bytes > MAX_WATCHED_KEY_BYTES) return undefined;
  }
  return added;
}

const unwatchCommand = defineCommand({
  name: "unwatch",
  arity: 1,
  flags: [...TRANSACTION_FLAGS],
  group: "transactions",
  summary: "Forgets every key WATCHed by this connection.",
  since: "2.2.0",
  complexity: "O(1)",
  access: "none",
  parse: () => undefined,
  exec({ session, server }): Reply {
    unwatch(session, server);
    return OK;
  },
});

/** A queued command whose arguments were wrong: EXEC answers its parse error in its place, as Redis does. */
function parseFailure(fullName: string): CommandOperation {
  return {
    name: fullName,
    access: "none",
    writes: false,
    reads: false,
    public: "always",
    keys: () => [],
    run: (_ctx, call) => call.parsed as ErrorReply,
  };
}

/** EXEC's steps: each queued command's operation, over the arguments it was queued with. */
function batchOf(queue: readonly QueuedCommand[], session: Session, server: ServerServices): BatchStep<CommandCall, Reply>[] {
  // Client tracking: a CLIENT CACHING choice given before MULTI covers every read of the transaction.
  const trackReads = session.tracking?.tracksReads ? session.tracking : undefined;
  return queue.map((command) => ({
    op: command.parsed instanceof ErrorReply ? parseFailure(command.fullName) : commandOperation(command.spec, command.fullName),
    args: { argv: command.argv, parsed: command.parsed, session, server, trackReads },
  }));
}

/** False when a WATCHed key changed, or existed at WATCH and is gone (expired) now: EXEC then answers nil. */
async function watchIntact(tx: Txn, session: Session, nowMs: number): Promise<boolean> {
  const state = session.watch;
  if (state === undefined) return true;
  if (state.changed) return false;
  for (const { ks, key: k, existed } of state.keys.values()) {
    // Reading each watched key also makes a concurrent write of it conflict with this transaction.
    const live = (await lookupSilently(tx, ks, k, nowMs)) !== undefined;
    if (existed && !live) return false;
  }
  return !state.changed;
}

const exec = defineCommand({
  name: "exec",
  arity: 1,
  flags: ["noscript", "loading", "stale", "skip_slowlog"],
  runsInsideMulti: true,
  endsTransaction: true,
  group: "transactions",
  summary: "Runs every command queued since MULTI as one atomic transaction; nil when a WATCHed key changed.",
  since: "1.2.0",
  complexity: "Depends on commands in the transaction",
  access: "none",
  parse: () => undefined,
  exec(ctx: LocalContext): MaybePromise<Reply> {
    const { session, server } = ctx;
    const state = session.multi;
    if (!state) return EXEC_WITHOUT_MULTI;
    session.multi = undefined;
    if (state.failed) {
      unwatch(session, server);
      return EXECABORT;
    }
    let replies: MaybePromise<Reply[] | null>;
    try {
      replies = server.executor.runBatch(session, batchOf(state.queue, session, server), {
        precondition: session.watch === undefined ? undefined : (tx, nowMs) => watchIntact(tx, session, nowMs),
        // Redis authorises each queued command when it runs: a NOPERM becomes its reply in EXEC's array.
        refused: (refusal, op) => replyOfRefusal(refusal, op.name),
      });
    } catch (error) {
      unwatch(session, server);
      return replyOfFailure(error);
    }
    // EXEC ends every WATCH, whatever its outcome.
    const answer = (done: Reply[] | null): Reply => {
      unwatch(session, server);
      // MONITOR shows the queued commands once they ran (not when queued, nor when a WATCH made EXEC fail), then EXEC.
      if (done !== null && server.monitors.active) for (const command of state.queue) feedMonitors(server, session, command);
      return done ?? NullArray.instance;
    };
    if (!(replies instanceof Promise)) return answer(replies);
    return replies.then(answer, (error) => {
      unwatch(session, server);
      return replyOfFailure(error);
    });
  },
});

export const TRANSACTION_COMMANDS: readonly CommandSpec[] = [multi, exec, discard, watch, unwatchCommand];
