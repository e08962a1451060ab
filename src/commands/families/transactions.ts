// MULTI, EXEC, DISCARD, WATCH, UNWATCH.
//
// Dispatch queues commands between MULTI and EXEC (already parsed). EXEC runs
// the queue as ONE engine transaction: all or nothing, isolated from other
// clients, within the engine's limits (too big a transaction fails whole with
// the engine's error). Runtime errors (WRONGTYPE...) are replies inside
// EXEC's array and do not undo the other commands, as in Redis.
import type { UsageChange } from "../../model/storage_usage.ts";
import { meteredBody } from "../storage_quota.ts";
import type { Engine, Txn } from "../../engine/contract.ts";
import type { Keyspace } from "../../model/keyspace.ts";
import { lookup } from "../../model/db.ts";
import { ErrorReply, NullArray, OK, type Reply } from "../../resp/reply.ts";
import { key, multiple } from "../arguments.ts";
import { afterWrite, refusalAtExec, replyOfFailure } from "../dispatch.ts";
import { TOO_MANY_WATCHED_KEYS, MAX_WATCHED_KEY_BYTES, MAX_WATCHED_KEYS } from "../transaction_limits.ts";
import { DISCARD_WITHOUT_MULTI, EXEC_WITHOUT_MULTI, EXECABORT, MULTI_NESTED, WATCH_INSIDE_MULTI } from "../errors.ts";
import { watchId } from "../watched_key.ts";
import { defineCommand, type CommandSpec, type LocalContext, type QueuedCommand, type ServerServices, type Session, type WatchState } from "../spec.ts";


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
  access: "none",
  parse: (argv) => argv.slice(1),
  async exec({ session, server, nowMs }, keys): Promise<Reply> {
    if (session.multi) return WATCH_INSIDE_MULTI;
    const ks = session.keyspace;
    const added = newlyWatched(session.watch, ks, keys);
    // Bounded before the engine read, which the bound also limits.
    if (added === undefined) return TOO_MANY_WATCHED_KEYS;
    // Whether each key exists now: EXEC fails if one that existed has expired meanwhile.
    const existing = await server.engine.read(async (tx) => {
      const found: boolean[] = [];
      for (const k of added.values()) found.push((await lookup(tx, ks, k, nowMs)) !== undefined);
      return found;
    });
    const state = session.watch ?? { keys: new Map(), keyBytes: 0, changed: false };
    session.watch = state;
    let i = 0;
    for (const [id, k] of added) {
      if (state.keys.has(id)) continue; // watched by a command that ran meanwhile
      state.keys.set(id, { ks, key: k, existed: existing[i++]! });
      state.keyBytes += k.length;
      server.watches.add(state, ks, k);
    }
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

/** An engine whose transactions are the EXEC transaction itself, for queued commands that start their own (KEYS, INFO...). */
function engineWithin(tx: Txn, engine: Engine): Engine {
  return {
    name: engine.name,
    read: (body) => body(tx),
    write: (body) => body(tx),
    close: () => engine.close(),
  };
}

/** Runs one queued command inside the EXEC transaction; engine failures abort the whole transaction. */
async function runQueued(command: QueuedCommand, context: { tx: Txn; session: Session; server: ServerServices; nowMs: number }): Promise<Reply> {
  const { spec, parsed } = command;
  if (parsed instanceof ErrorReply) return parsed;
  const { tx, session, server, nowMs } = context;
  // Redis authorises each queued command when it runs: a NOPERM becomes its reply in EXEC's array.
  const refused = refusalAtExec(server, session, command);
  if (refused !== undefined) return refused;
  if (spec.access === "none") return spec.exec({ session, server, nowMs }, parsed);
  return spec.exec({ tx, ks: session.keyspace, session, server, nowMs }, parsed);
}

/** True when a WATCHed key changed, or existed at WATCH and is gone (expired) now. */
async function watchBroken(tx: Txn, session: Session, nowMs: number): Promise<boolean> {
  const state = session.watch;
  if (state === undefined) return false;
  if (state.changed) return true;
  for (const { ks, key: k, existed } of state.keys.values()) {
    // Reading each watched key also makes a concurrent write of it conflict with this transaction.
    const live = (await lookup(tx, ks, k, nowMs)) !== undefined;
    if (existed && !live) return true;
  }
  return state.changed;
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
  async exec(ctx: LocalContext): Promise<Reply> {
    const { session, server } = ctx;
    const state = session.multi;
    if (!state) return EXEC_WITHOUT_MULTI;
    session.multi = undefined;
    try {
      if (state.failed) return EXECABORT;
      const startDb = session.db;
      // Once applied, the transaction's writes change what others WATCH (before any later transaction runs).
      // The writes of the attempt that committed, each with the database it ran in (queued SELECTs change it).
      let writes: { spec: CommandSpec; argv: readonly Uint8Array[]; ks: Keyspace }[] = [];
      let change: UsageChange | undefined;
      const tenant = session.keyspace.tenant;
      const touchWatches = (): void => {
        if (change !== undefined) server.usage.applied(tenant, change);
        for (const write of writes) afterWrite(server, write);
      };
      const replies = await server.engine.write(async (outerTx) => {
        // The body may run again after a conflict: undo what queued SELECTs did on the previous attempt.
        session.db = startDb;
        writes = [];
        change = undefined;
        const nowMs = server.clock();
        if (await watchBroken(outerTx, session, nowMs)) return null;
        // Every queued write is metered; a transaction that would pass the storage quota fails whole.
        const run = await meteredBody(server, tenant, outerTx, async (tx) => {
          const inner = Object.create(server, { engine: { value: engineWithin(tx, server.engine) } }) as ServerServices;
          const out: Reply[] = [];
          for (const command of state.queue) {
            const ks = session.keyspace;
            out.push(await runQueued(command, { tx, session, server: inner, nowMs }));
            if (command.spec.access === "write") writes.push({ spec: command.spec, argv: command.argv, ks });
          }
          return out;
        });
        change = run.change;
        return run.value;
      }, { onApplied: touchWatches });
      if (replies === null) return NullArray.instance;
      return replies;
    } catch (error) {
      return replyOfFailure(error);
    } finally {
      // EXEC ends every WATCH, whatever its outcome.
      unwatch(session, server);
    }
  },
});

export const TRANSACTION_COMMANDS: readonly CommandSpec[] = [multi, exec, discard, watch, unwatchCommand];
