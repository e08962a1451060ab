// Commands between the 16 databases of a tenant: MOVE and SWAPDB. (SELECT is
// a connection command, COPY ... DB a key command, FLUSHDB a server one.)
//
// SWAPDB exchanges two entries of the tenant's database map
// (model/database_map.ts): one key written, O(1) and atomic whatever the
// databases hold, where moving their keys would be O(keys) and, past
// FoundationDB's 10 MB per transaction, impossible.
import { moveKey } from "../../model/copy.ts";
import { swapSlots } from "../../model/database_map.ts";
import { DATABASE_COUNT } from "../../model/limits.ts";
import { ErrorReply, OK, type Reply } from "../../resp/reply.ts";
import { ArgumentReader } from "../argument_reader.ts";
import { integer, key } from "../arguments.ts";
import { DB_INDEX_OUT_OF_RANGE, INT_OUT_OF_RANGE, SAME_OBJECT } from "../errors.ts";
import { type CommandSpec, defineCommand } from "../spec.ts";

const INT32 = { min: -2147483648n, max: 2147483647n };

const INVALID_FIRST_DB = new ErrorReply("ERR invalid first DB index");
const INVALID_SECOND_DB = new ErrorReply("ERR invalid second DB index");
/** SWAPDB moves whole databases: a token limited to key prefixes cannot swap the keys it may not touch. */
const SWAPDB_NEEDS_WHOLE_DATABASES = new ErrorReply(
  "NOPERM this token is limited to key prefixes and SWAPDB moves whole databases; use a token without key prefixes",
);

interface MoveArgs {
  readonly key: Uint8Array;
  readonly db: number;
}

const move = defineCommand({
  name: "move",
  arity: 3,
  flags: ["write", "fast"],
  keys: { first: 1, last: 1, step: 1 },
  group: "generic",
  summary: "Moves a key, with its TTL, to another database of the tenant; 1 when moved, 0 when missing or taken there.",
  since: "1.0.0",
  complexity: "O(N) where N is the size of the value: its members are copied under the other database",
  arguments: [key("key"), integer("db")],
  access: "write",
  parse(argv): MoveArgs | ErrorReply {
    const args = new ArgumentReader(argv);
    const k = args.key();
    // As Redis's getIntFromObjectOrReply: not an integer, out of int range, then out of the databases' range.
    const value = args.integer();
    if (args.error === undefined && (value < INT32.min || value > INT32.max)) args.fail(INT_OUT_OF_RANGE);
    else if (value < 0n || value >= BigInt(DATABASE_COUNT)) args.fail(DB_INDEX_OUT_OF_RANGE);
    return args.finish({ key: k, db: Number(value) });
  },
  async exec({ tx, ks, nowMs, effects, server }, args): Promise<Reply> {
    if (args.db === ks.db) return SAME_OBJECT;
    // A sibling keeps the caller's view: its scope, and its keyspace events (move_to is the destination's).
    const destination = ks.sibling(args.db, (tenant, db) => server.keyspaceOf(tenant, db));
    const outcome = await moveKey(tx, { source: ks, destination, key: args.key, nowMs });
    if (outcome !== "MOVED") return 0;
    // The source database's key is announced from the declaration; the destination's here (Redis signals both).
    effects.wrote(destination, [args.key]);
    // The value keeps its last access, which the lookup just made now (the source's use is recorded from the declaration).
    server.accessTimes.touch(destination, args.key, nowMs);
    return 1;
  },
});

interface SwapArgs {
  readonly a: number;
  readonly b: number;
}

/** A database index as SWAPDB reads it: anything but an int32 is `invalid`, range is checked after both. */
function swapIndex(args: ArgumentReader, invalid: ErrorReply): number {
  return args.integerIn(INT32, invalid);
}

const swapdb = defineCommand({
  name: "swapdb",
  arity: 3,
  flags: ["write", "fast"],
  group: "server",
  summary: "Swaps two databases of the tenant at once: clients of each see the other's keys. WATCHes of both are touched.",
  since: "4.0.0",
  complexity: "O(1): one key written; O(N) where N is the count of clients watching or blocking on keys of both databases",
  arguments: [integer("index1"), integer("index2")],
  access: "write",
  parse(argv): SwapArgs | ErrorReply {
    const args = new ArgumentReader(argv);
    const a = swapIndex(args, INVALID_FIRST_DB);
    const b = swapIndex(args, INVALID_SECOND_DB);
    if (args.error === undefined && (a < 0 || b < 0 || a >= DATABASE_COUNT || b >= DATABASE_COUNT)) args.fail(DB_INDEX_OUT_OF_RANGE);
    return args.finish({ a, b });
  },
  async exec({ tx, ks, effects, server }, { a, b }): Promise<Reply> {
    if (ks.scope !== undefined) return SWAPDB_NEEDS_WHOLE_DATABASES;
    const tenant = ks.tenant;
    const slots = await swapSlots(tx, tenant, { a, b });
    if (a === b) return OK;
    // Learned first, so that the clients the announcements wake run under the new map.
    effects.afterCommit(() => server.databases.learned(tenant, slots));
    // Redis 7.0 touches the WATCHed keys of both databases and re-checks the clients blocked on them; no keyspace event.
    effects.changedDatabase(tenant, a);
    effects.changedDatabase(tenant, b);
    return OK;
  },
});

export const DATABASE_COMMANDS: readonly CommandSpec[] = [move, swapdb];
