// Every error text Materia sends, in one place. Redis's own texts are copied
// exactly (clients match on them); ours follow the same shape: an upper-case
// code, then a sentence that says what to do.
import { concatBytes } from "../engine/bytes.ts";
import { ErrorReply } from "../resp/reply.ts";

export const WRONGTYPE = new ErrorReply("WRONGTYPE Operation against a key holding the wrong kind of value");
export const SYNTAX = new ErrorReply("ERR syntax error");
export const NOT_INTEGER = new ErrorReply("ERR value is not an integer or out of range");
export const NOT_FLOAT = new ErrorReply("ERR value is not a valid float");
export const OVERFLOW = new ErrorReply("ERR increment or decrement would overflow");
export const DECREMENT_OVERFLOW = new ErrorReply("ERR decrement would overflow");
export const NAN_OR_INFINITY = new ErrorReply("ERR increment would produce NaN or Infinity");
export const NOAUTH = new ErrorReply("NOAUTH Authentication required.");
export const WRONGPASS = new ErrorReply("WRONGPASS invalid username-password pair or user is disabled.");
export const NO_PASSWORD_CONFIGURED = new ErrorReply(
  "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
);
export const INVALID_CURSOR = new ErrorReply("ERR invalid cursor");
export const DB_INDEX_OUT_OF_RANGE = new ErrorReply("ERR DB index is out of range");
export const INVALID_CLIENT_NAME = new ErrorReply(
  "ERR Client names cannot contain spaces, newlines or special characters.",
);
export const STRING_TOO_LONG = new ErrorReply("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
export const OFFSET_OUT_OF_RANGE = new ErrorReply("ERR offset is out of range");
export const BIT_OFFSET_INVALID = new ErrorReply("ERR bit offset is not an integer or out of range");
export const BIT_VALUE_INVALID = new ErrorReply("ERR bit is not an integer or out of range");
export const BIT_ARGUMENT_INVALID = new ErrorReply("ERR The bit argument must be 1 or 0.");
export const BITOP_NOT_SINGLE_SOURCE = new ErrorReply("ERR BITOP NOT must be called with a single source key.");
export const BITFIELD_TYPE_INVALID = new ErrorReply("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.");
export const OVERFLOW_TYPE_INVALID = new ErrorReply("ERR Invalid OVERFLOW type specified");
export const BITFIELD_RO_WRITE = new ErrorReply("ERR BITFIELD_RO only supports the GET subcommand");
export const LCS_NOT_STRINGS = new ErrorReply("ERR The specified keys must contain string values");
export const LCS_LEN_AND_IDX = new ErrorReply("ERR If you want both the length and indexes, please just use IDX.");
/** LCS's table of (len1+1) x (len2+1) 4-byte cells may not pass proto-max-bulk-len (Materia's: 5 MB), as in Redis. */
export const LCS_TABLE_TOO_LARGE = new ErrorReply("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
export const SORT_SCORE_NOT_DOUBLE = new ErrorReply("ERR One or more scores can't be converted into double");
/** SORT BY/GET with a pattern that may name keys outside the token's key prefixes: Redis's text for an ACL user without full key access. */
export const SORT_BY_DENIED = new ErrorReply("ERR BY option of SORT denied due to insufficient ACL permissions.");
export const SORT_GET_DENIED = new ErrorReply("ERR GET option of SORT denied due to insufficient ACL permissions.");
export const NOPROTO = new ErrorReply("NOPROTO unsupported protocol version");
export const PROTOCOL_VERSION_NOT_INTEGER = new ErrorReply("ERR Protocol version is not an integer or out of range");
export const HELLO_NOAUTH = new ErrorReply(
  "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time",
);
export const NO_SUCH_CLIENT = new ErrorReply("ERR No such client");
export const CLIENT_ID_NOT_POSITIVE = new ErrorReply("ERR client-id should be greater than 0");
export const CLUSTER_DISABLED = new ErrorReply("ERR This instance has cluster support disabled");
/** CONFIG SET / REWRITE: Materia's settings come from its flags and environment (ours). */
export function configManaged(subcommand: string): ErrorReply {
  return new ErrorReply(`ERR CONFIG ${subcommand} is not supported: Materia is configured by its command-line flags and environment (see materia serve --help)`);
}
export const NO_SUCH_KEY = new ErrorReply("ERR no such key");
export const INDEX_OUT_OF_RANGE = new ErrorReply("ERR index out of range");
export const SAME_OBJECT = new ErrorReply("ERR source and destination objects are the same");
export const EXPIRE_NX_CONFLICT = new ErrorReply("ERR NX and XX, GT or LT options at the same time are not compatible");
export const EXPIRE_GT_LT_CONFLICT = new ErrorReply("ERR GT and LT options at the same time are not compatible");
/** OBJECT FREQ under the default maxmemory policy (Materia never evicts). */
export const LFU_NOT_SELECTED = new ErrorReply(
  "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
);
/** LPOP/RPOP count (Redis's getPositiveLongFromObjectOrReply text; also for non-integers). */
export const COUNT_NOT_POSITIVE = new ErrorReply("ERR value is out of range, must be positive");
export const LPOS_RANK_ZERO = new ErrorReply(
  "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
);
export const LPOS_COUNT_NEGATIVE = new ErrorReply("ERR COUNT can't be negative");
export const LPOS_MAXLEN_NEGATIVE = new ErrorReply("ERR MAXLEN can't be negative");
export const HASH_VALUE_NOT_INTEGER = new ErrorReply("ERR hash value is not an integer");
export const HASH_VALUE_NOT_FLOAT = new ErrorReply("ERR hash value is not a float");
export const INCREMENT_NAN_OR_INFINITY = new ErrorReply("ERR value is NaN or Infinity");
/** HRANDFIELD ... WITHVALUES with |count| > LONG_MAX/2. */
export const VALUE_OUT_OF_RANGE = new ErrorReply("ERR value is out of range");
/** SRANDMEMBER/HRANDFIELD count of LLONG_MIN (Redis's range is -LONG_MAX..LONG_MAX). */
export const COUNT_OUT_OF_LONG_RANGE = new ErrorReply("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
export const NUMKEYS_NOT_POSITIVE = new ErrorReply("ERR numkeys should be greater than 0");
export const NUMKEYS_TOO_MANY = new ErrorReply("ERR Number of keys can't be greater than number of args");
export const LIMIT_NEGATIVE = new ErrorReply("ERR LIMIT can't be negative");
/** Our own: a hash field or set member whose storage key would pass FoundationDB's 10,000-byte key limit. */
export const MEMBER_TOO_LARGE = new ErrorReply(
  "ERR field or member is too long to store: with its key it must fit in 10000 bytes; use a shorter field or member",
);
/** Our own: SRANDMEMBER/HRANDFIELD with a negative count beyond what one reply may hold. */
export function tooManyRandomRepeats(max: number): ErrorReply {
  return new ErrorReply(`ERR count is too large: a negative count may ask for at most ${max} elements; ask for fewer`);
}

// JSON commands: RedisJSON's texts where it has one, ours otherwise.
export const JSON_NEW_NOT_AT_ROOT = new ErrorReply("ERR new objects must be created at the root");
/** Our own: a string key whose value is not a JSON document. */
export const JSON_NOT_A_DOCUMENT = new ErrorReply("ERR the value at this key is not a JSON document; use GET for plain strings");
/** Our own (RedisJSON's parser reports a position instead). */
export const JSON_INVALID = new ErrorReply("ERR expected value: the argument is not valid JSON (object, array, string, number, true, false or null)");
/** Our own: the edited document would pass the value limit. */
export const JSON_TOO_LARGE = new ErrorReply("ERR the JSON document would exceed the 5 MB value limit; keep documents smaller");
/** Our own: a JSON value too deeply nested to process (a backstop behind the nesting limit). */
export const JSON_STACK_EXHAUSTED = new ErrorReply("ERR the JSON value is nested too deeply to process; flatten it");
export const JSON_NUMBER_NOT_FINITE = new ErrorReply("ERR result is not a finite number");
export function jsonInvalidPath(path: string, reason?: string): ErrorReply {
  const shown = path.length > 100 ? `${path.slice(0, 100)}...` : path;
  const why = reason === undefined ? "" : `${reason}; `;
  return new ErrorReply(`ERR invalid JSON path '${shown}': ${why}use $, $.field, $..field, $.array[index], $['field'] or $.array[?(@.field > 1)]`);
}
/** serde_json's text (RedisJSON's parser) then ours: a JSON argument nests too deep. */
export function jsonRecursionLimit(line: number, column: number, maxDepth: number): ErrorReply {
  return new ErrorReply(`ERR recursion limit exceeded at line ${line} column ${column}: JSON values nest at most ${maxDepth - 1} levels; flatten the value`);
}
/** Our own: an edit would make the document nest too deep (a deep value set deep inside). */
export function jsonEditTooDeep(maxDepth: number): ErrorReply {
  return new ErrorReply(`ERR recursion limit exceeded: the document would nest deeper than ${maxDepth - 1} levels; set a shallower value or set it nearer the root`);
}
/** Our own: a string written with SET holds JSON nested deeper than JSON commands read. */
export function jsonStoredTooDeep(maxDepth: number): ErrorReply {
  return new ErrorReply(`ERR the JSON document at this key nests deeper than ${maxDepth - 1} levels; read it with GET or rewrite it shallower`);
}
/** Our own: a path query did more work than one command may. */
export function jsonPathTooCostly(steps: number): ErrorReply {
  return new ErrorReply(`ERR JSON path evaluation exceeded its limit of ${steps} steps; use a narrower path or a simpler filter`);
}
/** Our own: the JSON text of the reply would be too large. */
export function jsonReplyTooLarge(maxBytes: number): ErrorReply {
  return new ErrorReply(`ERR the reply would exceed ${maxBytes / (1024 * 1024)} MB of JSON text; select fewer or smaller values`);
}
export function jsonPathMissing(path: string): ErrorReply {
  return new ErrorReply(`ERR Path '${path}' does not exist`);
}
export function jsonWrongPathType(expected: string, found: string): ErrorReply {
  return new ErrorReply(`WRONGTYPE wrong type of path value - expected ${expected} but found ${found}`);
}

export function wrongArity(fullName: string): ErrorReply {
  return new ErrorReply(`ERR wrong number of arguments for '${fullName}' command`);
}

export function invalidExpireTime(fullName: string): ErrorReply {
  return new ErrorReply(`ERR invalid expire time in '${fullName}' command`);
}

/**
 * An error line that quotes the client's bytes. Redis prints them with
 * `%.128s`: raw bytes, stopping at the first NUL, cut at `max` bytes.
 */
function errorQuoting(parts: ReadonlyArray<string | { bytes: Uint8Array; max?: number }>): ErrorReply {
  const raw = concatBytes(...parts.map((part) => (typeof part === "string" ? ENCODER.encode(part) : cString(part.bytes, part.max ?? 128))));
  return new ErrorReply(DECODER.decode(raw), raw);
}

/** The bytes up to the first NUL, at most `max` of them. */
function cString(bytes: Uint8Array, max: number): Uint8Array {
  const nul = bytes.indexOf(0);
  return bytes.subarray(0, Math.min(nul < 0 ? bytes.length : nul, max));
}

const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();

export function helloSyntax(option: Uint8Array): ErrorReply {
  return errorQuoting(["ERR Syntax error in HELLO option '", { bytes: option, max: Infinity }, "'"]);
}

/** EXPIRE's unknown option: Redis prints it with %s (raw bytes up to the first NUL). */
export function unsupportedOption(option: Uint8Array): ErrorReply {
  return errorQuoting(["ERR Unsupported option ", { bytes: option, max: Infinity }]);
}

export function unknownSubcommand(subcommand: Uint8Array, container: string): ErrorReply {
  return errorQuoting(["ERR unknown subcommand '", { bytes: subcommand }, `'. Try ${container.toUpperCase()} HELP.`]);
}

/** Redis: `unknown command 'FOO', with args beginning with: 'a' 'b' `; the argument list stops growing at 128 bytes. */
export function unknownCommand(name: Uint8Array, args: readonly Uint8Array[]): ErrorReply {
  const parts: Array<string | { bytes: Uint8Array; max?: number }> = ["ERR unknown command '", { bytes: name }, "', with args beginning with: "];
  let listed = 0;
  for (const arg of args) {
    if (listed >= 128) break;
    const quoted = cString(arg, 128 - listed);
    parts.push("'", { bytes: quoted }, "' ");
    listed += quoted.length + 3;
  }
  return errorQuoting(parts);
}

/** SELECT and other int arguments: Redis's getIntFromObjectOrReply text for a valid long long outside int. */
export const INT_OUT_OF_RANGE = new ErrorReply("ERR value is out of range, value must between -2147483648 and 2147483647");


/** Redis 7.0's text (we advertise 7.0 compatibility; 7.2 names the user instead). */
/** Redis 7.0's reply when an ACL key pattern refuses one of the command's keys. */
export const NO_KEY_PERMISSION = new ErrorReply("NOPERM this user has no permissions to access one of the keys used as arguments");

/**
 * Ours: AUTH could not check the credentials for an internal reason (the
 * token library failed). Not WRONGPASS: the credentials may be good.
 */
export function authUnavailable(reason: string): ErrorReply {
  return new ErrorReply(`ERR authentication is temporarily unavailable: ${reason.replace(/[\r\n]+/g, " ").slice(0, 200)}; retry`);
}

/**
 * A user name CLIENT LIST could not print safely. Redis answers WRONGPASS
 * for a user that cannot exist; the code is kept, the text says why.
 */
export const INVALID_USER_NAME = new ErrorReply(
  "WRONGPASS invalid username: user names are the characters '!' to '~', without spaces or newlines (with a token any such name works, e.g. 'default')",
);

export const NO_CHANNEL_PERMISSION = new ErrorReply("NOPERM this user has no permissions to access one of the channels used as arguments");

/** A RESP2 client with subscriptions sent a command other than (un)subscribing, PING, QUIT or RESET. */
export function onlySubscribeCommands(command: string): ErrorReply {
  return new ErrorReply(`ERR Can't execute '${command}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`);
}

export function noPermission(command: string): ErrorReply {
  return new ErrorReply(`NOPERM this user has no permissions to run the '${command}' command`);
}

/** Our own: a key larger than the documented limit. */
export function keyTooLarge(size: number, limit: number): ErrorReply {
  return new ErrorReply(`ERR key is ${size} bytes, which exceeds the limit of ${limit} bytes; use a shorter key`);
}

/** Our own: the engine gave up after bounded retries. */
export function tryAgain(cause: string): ErrorReply {
  return new ErrorReply(`TRYAGAIN the transaction conflicted with concurrent writes and retries ran out (${cause}); retry the command`);
}

/** Our own: storage failed; the write was not applied. */
export function storageFailure(cause: string): ErrorReply {
  return new ErrorReply(`ERR storage failure (${cause}); the command was not applied, check the server log`);
}

// Transactions (MULTI, EXEC, DISCARD, WATCH) and their bounds (transaction_limits.ts).
export const MULTI_NESTED = new ErrorReply("ERR MULTI calls can not be nested");
export const EXEC_WITHOUT_MULTI = new ErrorReply("ERR EXEC without MULTI");
export const DISCARD_WITHOUT_MULTI = new ErrorReply("ERR DISCARD without MULTI");
export const WATCH_INSIDE_MULTI = new ErrorReply("ERR WATCH inside MULTI is not allowed");
export const EXECABORT = new ErrorReply("EXECABORT Transaction discarded because of previous errors.");

/** A refused EXEC: Redis words the refusal as the reason the transaction was discarded. */
export function execAborted(error: ErrorReply): ErrorReply {
  const reason = error.message.startsWith("ERR ") ? error.message.slice(4) : error.message;
  return new ErrorReply(`EXECABORT Transaction discarded because of: ${reason}`);
}

export function multiQueueFull(maxCommands: number, maxBytes: number): ErrorReply {
  return new ErrorReply(
    `ERR transaction too large: MULTI queues at most ${maxCommands} commands and ${maxBytes / (1024 * 1024)} MB of arguments; ` +
      `EXEC will answer EXECABORT: DISCARD, then split the work into smaller transactions`,
  );
}

export function tooManyWatchedKeys(maxKeys: number, maxBytes: number): ErrorReply {
  return new ErrorReply(
    `ERR too many WATCHed keys: a connection watches at most ${maxKeys} keys and ${maxBytes / (1024 * 1024)} MB of key names; ` +
      `UNWATCH (or EXEC, DISCARD) first, or watch fewer keys`,
  );
}

export const NOT_ALLOWED_IN_MULTI = new ErrorReply("ERR Command not allowed inside a transaction");
export const CREDENTIALS_INSIDE_MULTI = new ErrorReply(
  "ERR AUTH is not allowed inside MULTI: a transaction runs under the credentials it started with; authenticate before MULTI",
);

// Engine failures and bugs, as replies (dispatch.ts replyOfFailure).
export function internalError(error: unknown): ErrorReply {
  return new ErrorReply(`ERR internal error: ${error instanceof Error ? error.message : String(error)}`);
}

/** An engine limit (key, value or transaction size, transaction age): the engine's message names the fix. */
export function engineLimit(message: string): ErrorReply {
  return new ErrorReply(`ERR ${message}`);
}

export function commitUnknown(cause: string): ErrorReply {
  return new ErrorReply(`ERR the outcome of the write is unknown (${cause}); check the data before retrying`);
}

export const SHUTTING_DOWN = new ErrorReply("ERR the server is shutting down; reconnect and retry");

export function quotaExceeded(detail: string): ErrorReply {
  return new ErrorReply(`OOM command not allowed when used storage > quota: ${detail}; delete keys to free space (reads and deletes still work)`);
}

// CONFIG SET, COMMAND GETKEYS.
export function configSetFailed(parameter: string, reason: string): ErrorReply {
  return new ErrorReply(`ERR CONFIG SET failed (possibly related to argument '${parameter}') - ${reason}`);
}

export function configSetUnknownOption(parameter: string): ErrorReply {
  return new ErrorReply(`ERR Unknown option or number of arguments for CONFIG SET - '${parameter}'`);
}

export const INVALID_COMMAND_SPECIFIED = new ErrorReply("ERR Invalid command specified");
export const INVALID_ARGUMENT_COUNT_FOR_COMMAND = new ErrorReply("ERR Invalid number of arguments specified for command");
export const NO_KEY_ARGUMENTS = new ErrorReply("ERR The command has no key arguments");

// CLIENT.
export function unrecognizedOption(option: Uint8Array | string): ErrorReply {
  return new ErrorReply(`ERR Unrecognized option '${typeof option === "string" ? option : new TextDecoder().decode(option)}'`);
}

export function clientAttributeInvalid(attribute: string): ErrorReply {
  return new ErrorReply(`ERR ${attribute} cannot contain spaces, newlines or special characters.`);
}

export function unknownClientType(type: string): ErrorReply {
  return new ErrorReply(`ERR Unknown client type '${type}'`);
}

export const INVALID_CLIENT_ID = new ErrorReply("ERR Invalid client ID");

// HyperLogLog: Redis's texts.
/** A string key whose value is not a HyperLogLog (isHLLObjectOrReply). */
export const NOT_A_HYPERLOGLOG = new ErrorReply("WRONGTYPE Key is not a valid HyperLogLog string value.");
/** A sparse HyperLogLog whose opcodes do not cover its registers exactly. */
export const CORRUPTED_HYPERLOGLOG = new ErrorReply("INVALIDOBJ Corrupted HLL object detected");
// Sorted sets (Redis 7.0's texts).
export const ZADD_NX_XX = new ErrorReply("ERR XX and NX options at the same time are not compatible");
export const ZADD_GT_LT_NX = new ErrorReply("ERR GT, LT, and/or NX options at the same time are not compatible");
export const ZADD_INCR_SINGLE_PAIR = new ErrorReply("ERR INCR option supports a single increment-element pair");
export const ZSCORE_NAN = new ErrorReply("ERR resulting score is not a number (NaN)");
export const ZMIN_MAX_NOT_FLOAT = new ErrorReply("ERR min or max is not a float");
export const ZMIN_MAX_NOT_STRING_RANGE = new ErrorReply("ERR min or max not valid string range item");
export const ZRANGE_LIMIT_NEEDS_BY = new ErrorReply("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
export const ZRANGE_WITHSCORES_BYLEX = new ErrorReply("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
export const ZWEIGHT_NOT_FLOAT = new ErrorReply("ERR weight value is not a float");
export const ZCOUNT_SHOULD_BE_POSITIVE = new ErrorReply("ERR count should be greater than 0");
export function zatLeastOneKey(command: string): ErrorReply {
  return new ErrorReply(`ERR at least 1 input key is needed for '${command}' command`);
}
// Geo (Redis 7.0's texts, geo.c).
export const GEO_UNSUPPORTED_UNIT = new ErrorReply("ERR unsupported unit provided. please use M, KM, FT, MI");
export const GEO_NEED_NUMERIC_RADIUS = new ErrorReply("ERR need numeric radius");
export const GEO_NEED_NUMERIC_WIDTH = new ErrorReply("ERR need numeric width");
export const GEO_NEED_NUMERIC_HEIGHT = new ErrorReply("ERR need numeric height");
export const GEO_RADIUS_NEGATIVE = new ErrorReply("ERR radius cannot be negative");
export const GEO_BOX_NEGATIVE = new ErrorReply("ERR height or width cannot be negative");
export const GEO_COUNT_NOT_POSITIVE = new ErrorReply("ERR COUNT must be > 0");
export const GEO_ANY_WITHOUT_COUNT = new ErrorReply("ERR the ANY argument requires COUNT argument");
export const GEO_MEMBER_NOT_FOUND = new ErrorReply("ERR could not decode requested zset member");
export const GEOSEARCHSTORE_WITH = new ErrorReply("ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
export const GEORADIUS_STORE_WITH = new ErrorReply("ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
/** The refused pair, each already printed as "%f". */
export function geoInvalidPair(longitude: string, latitude: string): ErrorReply {
  return new ErrorReply(`ERR invalid longitude,latitude pair ${longitude},${latitude}`);
}
/** `command` as the client sent it (Redis prints argv[0] as is). */
export function geoNeedsCentre(command: string): ErrorReply {
  return new ErrorReply(`ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${command}`);
}
export function geoNeedsShape(command: string): ErrorReply {
  return new ErrorReply(`ERR exactly one of BYRADIUS and BYBOX can be specified for ${command}`);
}

// CLIENT TRACKING and CLIENT CACHING (Redis's networking.c texts).
export const TRACKING_PREFIX_WITHOUT_BCAST = new ErrorReply("ERR PREFIX option requires BCAST mode to be enabled");
export const TRACKING_OPTIN_AND_OPTOUT = new ErrorReply("ERR You can't specify both OPTIN mode and OPTOUT mode");
export const TRACKING_OPTIONS_WITH_BCAST = new ErrorReply("ERR OPTIN and OPTOUT are not compatible with BCAST");
export const TRACKING_REDIRECT_MISSING = new ErrorReply("ERR The client ID you want redirect to does not exist");
export const TRACKING_REDIRECT_TWICE = new ErrorReply("ERR A client can only redirect to a single other client");
export const TRACKING_BCAST_SWITCH = new ErrorReply(
  "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
);
export const TRACKING_OPT_SWITCH = new ErrorReply(
  "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.",
);
export const CACHING_WITHOUT_TRACKING = new ErrorReply(
  "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled",
);
export const CACHING_YES_WITHOUT_OPTIN = new ErrorReply("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
export const CACHING_NO_WITHOUT_OPTOUT = new ErrorReply("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");

export function tooManyTrackingPrefixes(max: number): ErrorReply {
  return new ErrorReply(`ERR too many tracking prefixes: a connection follows at most ${max} BCAST prefixes; use fewer, shorter prefixes`);
}

/** Two BCAST prefixes where one starts with the other: `existing` says whether `other` was registered earlier. */
export function trackingPrefixOverlap(prefix: Uint8Array, other: Uint8Array, existing: boolean): ErrorReply {
  const which = existing ? "an existing prefix" : "another provided prefix";
  return new ErrorReply(
    `ERR Prefix '${latin1(prefix)}' overlaps with ${which} '${latin1(other)}'. Prefixes for a single client must not overlap.`,
    concatBytes(
      new TextEncoder().encode("ERR Prefix '"), prefix, new TextEncoder().encode(`' overlaps with ${which} '`), other,
      new TextEncoder().encode("'. Prefixes for a single client must not overlap."),
    ),
  );
}

function latin1(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => String.fromCharCode(b)).join("");
}

// Blocking commands (BLPOP, BZPOPMIN...) and CLIENT UNBLOCK.
export const TIMEOUT_NOT_FLOAT = new ErrorReply("ERR timeout is not a float or out of range");
export const TIMEOUT_NEGATIVE = new ErrorReply("ERR timeout is negative");
export const UNBLOCKED_BY_CLIENT_UNBLOCK = new ErrorReply("UNBLOCKED client unblocked via CLIENT UNBLOCK");
export const CLIENT_UNBLOCK_REASON = new ErrorReply("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
/** A connection in MONITOR mode (a replica to Redis) may not touch the keyspace. */
export const MONITOR_KEYSPACE = new ErrorReply("ERR Replica can't interact with the keyspace");
/** Redis's addReplySubcommandSyntaxError: a subcommand given too many arguments for its arity. */
export function subcommandSyntax(subcommand: string, container: string): ErrorReply {
  return new ErrorReply(`ERR unknown subcommand or wrong number of arguments for '${subcommand}'. Try ${container.toUpperCase()} HELP.`);
}

/** A script of the tenant has run past busy-reply-threshold (Redis's texts, naming the KILL that stops it). */
export const BUSY_EVAL = new ErrorReply("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
export const BUSY_FUNCTION = new ErrorReply("BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.");

// Streams (XADD, XRANGE, XREAD, XTRIM, XDEL, XSETID), as Redis 7.0 words them.
export const STREAM_ID_INVALID = new ErrorReply("ERR Invalid stream ID specified as stream command argument");
export const XADD_ID_ZERO = new ErrorReply("ERR The ID specified in XADD must be greater than 0-0");
export const XADD_ID_TOO_SMALL = new ErrorReply("ERR The ID specified in XADD is equal or smaller than the target stream top item");
export const STREAM_EXHAUSTED = new ErrorReply("ERR The stream has exhausted the last possible ID, unable to add more items");
/** XADD `<ms>-*` when the last id has that ms and the greatest sequence: Redis 7.0 answers this, not the "smaller" error. */
export const STREAM_ELEMENTS_TOO_LARGE = new ErrorReply("ERR Elements are too large to be stored");
export const MAXLEN_NEGATIVE = new ErrorReply("ERR The MAXLEN argument must be >= 0.");
export const STREAM_LIMIT_NEGATIVE = new ErrorReply("ERR The LIMIT argument must be >= 0.");
export const TRIM_STRATEGIES_TOGETHER = new ErrorReply("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
export const LIMIT_WITHOUT_STRATEGY = new ErrorReply("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
export const LIMIT_WITHOUT_APPROXIMATION = new ErrorReply("ERR syntax error, LIMIT cannot be used without the special ~ option");
export const XTRIM_WITHOUT_STRATEGY = new ErrorReply("ERR syntax error, XTRIM must be called with a trimming strategy");
export const INVALID_START_ID = new ErrorReply("ERR invalid start ID for the interval");
export const INVALID_END_ID = new ErrorReply("ERR invalid end ID for the interval");
export const XREAD_UNBALANCED = new ErrorReply("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
export const XREAD_GREATER_ID = new ErrorReply("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.");
export const XREAD_GROUP_OPTION = new ErrorReply("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
export const XREAD_NOACK_OPTION = new ErrorReply("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
export const TIMEOUT_NOT_INTEGER = new ErrorReply("ERR timeout is not an integer or out of range");
export const XSETID_BELOW_TOP_ITEM = new ErrorReply("ERR The ID specified in XSETID is smaller than the target stream top item");
export const XSETID_BELOW_GIVEN_MAX_DELETED = new ErrorReply("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
export const XSETID_ENTRIES_ADDED_BELOW_LENGTH = new ErrorReply("ERR The entries_added specified in XSETID is smaller than the target stream length");

// Consumer groups (XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO), as Redis 7.0 words them; names are printed with %s.
export const XGROUP_KEY_REQUIRED = new ErrorReply(
  "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.",
);
export const BUSYGROUP = new ErrorReply("BUSYGROUP Consumer Group name already exists");
export const ENTRIES_READ_INVALID = new ErrorReply("ERR value for ENTRIESREAD must be positive or -1");
export const XREADGROUP_DOLLAR_ID = new ErrorReply(
  "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.",
);
export const XREADGROUP_MISSING_GROUP = new ErrorReply("ERR Missing GROUP option for XREADGROUP");
export const XREADGROUP_GROUP_GONE = new ErrorReply("NOGROUP the consumer group this client was blocked on no longer exists");
export const XREADGROUP_KEY_GONE = new ErrorReply("UNBLOCKED the stream key no longer exists");
export const XAUTOCLAIM_COUNT = new ErrorReply("ERR COUNT must be > 0");
/** XGROUP SETID, CREATECONSUMER, DELCONSUMER and XINFO CONSUMERS of a missing group. */
export function noSuchGroupForKey(group: Uint8Array, key: Uint8Array): ErrorReply {
  return errorQuoting(["NOGROUP No such consumer group '", { bytes: group, max: Infinity }, "' for key name '", { bytes: key, max: Infinity }, "'"]);
}
/** XPENDING, XCLAIM and XAUTOCLAIM of a missing key or group. */
export function noSuchKeyOrGroup(key: Uint8Array, group: Uint8Array): ErrorReply {
  return errorQuoting(["NOGROUP No such key '", { bytes: key, max: Infinity }, "' or consumer group '", { bytes: group, max: Infinity }, "'"]);
}
export function noSuchKeyOrGroupInXreadgroup(key: Uint8Array, group: Uint8Array): ErrorReply {
  return errorQuoting(["NOGROUP No such key '", { bytes: key, max: Infinity }, "' or consumer group '", { bytes: group, max: Infinity }, "' in XREADGROUP with GROUP option"]);
}
/** A bad number of one of XCLAIM's (or XAUTOCLAIM's) arguments: Redis names the argument and the command. */
export function xclaimInvalid(what: string, command: "XCLAIM" | "XAUTOCLAIM"): ErrorReply {
  return new ErrorReply(`ERR Invalid ${what} argument for ${command}`);
}
export function xclaimUnrecognizedOption(option: Uint8Array): ErrorReply {
  return errorQuoting(["ERR Unrecognized XCLAIM option '", { bytes: option, max: Infinity }, "'"]);
}
export const ENTRIES_ADDED_NEGATIVE = new ErrorReply("ERR entries_added must be positive");

// --- hash-field expiry (Redis 8's t_hash.c) ---
export const FIELDS_ARGUMENT_MISSING = new ErrorReply("ERR Mandatory argument FIELDS is missing or not at the right position");
/** HEXPIRE's own text for a bad numfields; the other field commands use NUMFIELDS_NOT_POSITIVE. */
export const EXPIRE_NUMFIELDS_NOT_POSITIVE = new ErrorReply("ERR Parameter `numFields` should be greater than 0");
export const NUMFIELDS_NOT_POSITIVE = new ErrorReply("ERR Number of fields must be a positive integer");
export const NUMFIELDS_MISMATCH = new ErrorReply("ERR The `numfields` parameter must match the number of arguments");
export const FIELD_EXPIRE_TIME_NEGATIVE = new ErrorReply("ERR invalid expire time, must be >= 0");
export const HSETEX_NUMFIELDS_INVALID = new ErrorReply("ERR invalid number of fields");
export const HSETEX_MISSING_EXPIRE_TIME = new ErrorReply("ERR missing expire time");
export const HSETEX_FNX_FXX_CONFLICT = new ErrorReply("ERR Only one of FXX or FNX arguments can be specified");
export const HSETEX_TTL_CONFLICT = new ErrorReply("ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified");

/** HSETEX's unknown option: Redis prints it with %s. */
export function unknownArgument(argument: Uint8Array): ErrorReply {
  return errorQuoting(["ERR unknown argument: ", { bytes: argument, max: Infinity }]);
}

// DUMP and RESTORE (Redis 7.0 cluster.c restoreCommand).
export const BUSYKEY = new ErrorReply("BUSYKEY Target key name already exists.");
export const INVALID_TTL = new ErrorReply("ERR Invalid TTL value, must be >= 0");
export const INVALID_IDLETIME = new ErrorReply("ERR Invalid IDLETIME value, must be >= 0");
export const INVALID_FREQ = new ErrorReply("ERR Invalid FREQ value, must be >= 0 and <= 255");
export const DUMP_PAYLOAD_INVALID = new ErrorReply("ERR DUMP payload version or checksum are wrong");
export const BAD_DATA_FORMAT = new ErrorReply("ERR Bad data format");
/** Our own: a RESTORE payload that decodes to more than one transaction can write. */
export function restoreTooLarge(maxBytes: number): ErrorReply {
  return new ErrorReply(`ERR the restored value would take more than ${maxBytes} bytes, more than one transaction can write; split the value across keys`);
}

// CLIENT PAUSE (networking.c clientCommand, getTimeoutFromObjectOrReply).
export const CLIENT_PAUSE_MODE = new ErrorReply("ERR CLIENT PAUSE mode must be WRITE or ALL");
export const PAUSE_TIMEOUT_NOT_INTEGER = new ErrorReply("ERR timeout is not an integer or out of range");
export const PAUSE_TIMEOUT_NEGATIVE = new ErrorReply("ERR timeout is negative");
