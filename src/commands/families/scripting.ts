// EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (and, in
// scripting/function_commands.ts, FUNCTION and FCALL): Lua scripts run atomically,
// as one command, in the transaction of the command that runs them
// (commands/scripting/script_run.ts); the scripts belong to the caller's
// tenant (commands/scripting/script_cache.ts).
import type { MaybePromise } from "../../engine/contract.ts";
import { ErrorReply, OK, type Reply, SimpleString } from "../../resp/reply.ts";
import { integer, key, multiple, oneOf, optional, string, token } from "../arguments.ts";
import { lower, parseSafeInteger, text } from "../args.ts";
import { BUSY_EVAL, BUSY_FUNCTION, NOT_INTEGER } from "../errors.ts";
import { helpSubcommand } from "../help_subcommand.ts";
import { luaFiveOneMessage } from "../../scripting/compile_message.ts";
import { runScript } from "../scripting/script_run.ts";
import { type ShebangFlags, readShebang } from "../scripting/shebang.ts";
import { type CommandSpec, defineCommand, type LocalContext, type TxContext } from "../spec.ts";

/** What EVAL and EVALSHA are given: the script (its body, or its sha), its keys and its arguments. */
interface ScriptCall {
  /** EVAL: the body; EVALSHA: undefined. */
  readonly body: Uint8Array | undefined;
  /** EVALSHA: the sha as sent. */
  readonly sha: Uint8Array | undefined;
  readonly keys: readonly Uint8Array[];
  readonly args: readonly Uint8Array[];
}

export const NOSCRIPT = new ErrorReply("NOSCRIPT No matching script. Please use EVAL.");
const RO_WITH_WRITE_FLAG = new ErrorReply("ERR Can not execute a script with write flag using *_ro command.");
const KEYS_NEGATIVE = new ErrorReply("ERR Number of keys can't be negative");
const KEYS_TOO_MANY = new ErrorReply("ERR Number of keys can't be greater than number of args");
const NOTBUSY = new ErrorReply("NOTBUSY No scripts in execution right now.");
const UNKILLABLE = new ErrorReply(
  "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.",
);

/** The keys of EVAL-like commands: `numkeys` at argv[2], then that many keys. Tolerates bad input (called before parse). */
export function numkeysPositions(argv: readonly Uint8Array[]): number[] {
  const count = argv.length > 2 ? parseSafeInteger(argv[2]!) : undefined;
  if (count === undefined || count <= 0 || count > argv.length - 3) return [];
  return Array.from({ length: count }, (_, i) => 3 + i);
}

/** Splits `numkeys key... arg...` (from argv[2]); the error Redis gives for a bad count. */
export function splitKeys(argv: readonly Uint8Array[], notInteger: ErrorReply = NOT_INTEGER): { keys: Uint8Array[]; args: Uint8Array[] } | ErrorReply {
  const count = parseSafeInteger(argv[2]!);
  if (count === undefined) return notInteger;
  if (count < 0) return KEYS_NEGATIVE;
  if (count > argv.length - 3) return KEYS_TOO_MANY;
  return { keys: argv.slice(3, 3 + count), args: argv.slice(3 + count) };
}

function parseScriptCall(bySha: boolean) {
  return (argv: readonly Uint8Array[]): ScriptCall | ErrorReply => {
    const split = splitKeys(argv);
    if (split instanceof ErrorReply) return split;
    return { body: bySha ? undefined : argv[1]!, sha: bySha ? argv[1]! : undefined, keys: split.keys, args: split.args };
  };
}

/** The error Redis gives a script that does not compile. */
function compileError(message: string): ErrorReply {
  return new ErrorReply(`ERR Error compiling script (new function): ${luaFiveOneMessage(message)}`);
}

const decoder = new TextDecoder();
/** The last sha decoded: an application sends the same few over and over, and a comparison is cheaper than a decode. */
let lastShaBytes = new Uint8Array(0);
let lastSha = "";

/** A sha as sent, in lower case. */
function lowerAscii(bytes: Uint8Array): string {
  if (bytes.length === lastShaBytes.length) {
    let same = true;
    for (let i = 0; i < bytes.length && same; i++) same = bytes[i] === lastShaBytes[i];
    if (same) return lastSha;
  }
  let sha = decoder.decode(bytes);
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! >= 65 && bytes[i]! <= 90) {
      sha = sha.toLowerCase();
      break;
    }
  }
  lastShaBytes = bytes.slice();
  lastSha = sha;
  return sha;
}

/** Runs a script of the cache for `ctx`'s client: EVAL (after caching its body) and EVALSHA. */
function runCached(ctx: TxContext, call: ScriptCall, readOnlyCommand: boolean): MaybePromise<Reply> {
  const scripting = ctx.server.scripting;
  const loading = scripting.ready();
  if (loading !== undefined) return loading.then(() => runCached(ctx, call, readOnlyCommand));
  const tenant = ctx.session.keyspace.tenant;
  const cache = scripting.cache;
  let sha: string;
  let flags: ShebangFlags;
  if (call.body !== undefined) {
    const shebang = readShebang(call.body);
    if (shebang instanceof ErrorReply) return shebang;
    flags = shebang;
    sha = cache.add(tenant, call.body);
  } else {
    if (call.sha!.length !== 40) return NOSCRIPT;
    sha = lowerAscii(call.sha!);
    if (!cache.has(tenant, sha)) return NOSCRIPT;
    const shebang = readShebang(cache.body(tenant, sha)!);
    if (shebang instanceof ErrorReply) return shebang;
    flags = shebang;
  }
  const compiled = cache.compiled(tenant, sha);
  if (compiled === undefined) return NOSCRIPT;
  if (typeof compiled === "string") {
    cache.forget(tenant, sha);
    return compileError(compiled);
  }
  if (readOnlyCommand && flags.shebang && !flags.noWrites) return RO_WITH_WRITE_FLAG;
  return runScript(ctx, compiled.state, { chunk: compiled.chunk }, call.keys, call.args, {
    kind: "eval",
    name: sha,
    argv: [],
    readOnly: readOnlyCommand || flags.noWrites,
  });
}

/**
 * What EVAL, EVALSHA, FCALL and their *_RO forms declare alike: `numkeys`
 * keys, Redis's flags, and commands of their own to run (runsCommands), whose
 * keys are announced as they are written (executor.runInside), not the
 * declared KEYS.
 */
export function scriptRunnerTraits(readOnly: boolean) {
  return {
    arity: -3,
    flags: readOnly
      ? ["readonly", "noscript", "stale", "skip_monitor", "no_mandatory_keys", "movablekeys"] as const
      : ["noscript", "stale", "skip_monitor", "no_mandatory_keys", "movablekeys"] as const,
    runsCommands: true,
    movableKeys: numkeysPositions,
    writtenKeys: () => [],
    group: "scripting",
    access: readOnly ? "read" : "write",
  } as const;
}

function evalCommand(name: string, bySha: boolean, readOnly: boolean, summary: string, since: string): CommandSpec {
  return defineCommand({
    name,
    ...scriptRunnerTraits(readOnly),
    summary,
    since,
    complexity: "Depends on the script that is executed.",
    arguments: [string(bySha ? "sha1" : "script"), integer("numkeys"), optional(multiple(key("key"))), optional(multiple(string("arg")))],
    parse: parseScriptCall(bySha),
    exec: (ctx: TxContext, call: ScriptCall) => runCached(ctx, call, readOnly),
  });
}

const evalSpec = evalCommand("eval", false, false, "Runs a Lua script atomically, in one transaction, with its keys and arguments.", "2.6.0");
const evalsha = evalCommand("evalsha", true, false, "Runs a cached Lua script, named by the sha1 of its body.", "2.6.0");
const evalRo = evalCommand("eval_ro", false, true, "Runs a read-only Lua script: write commands are refused.", "7.0.0");
const evalshaRo = evalCommand("evalsha_ro", true, true, "Runs a cached read-only Lua script, named by its sha1.", "7.0.0");

const scriptLoad = defineCommand({
  name: "load",
  arity: 3,
  flags: ["noscript", "stale"],
  group: "scripting",
  summary: "Compiles a script and caches it, without running it; answers its sha1.",
  since: "2.6.0",
  complexity: "O(N) with N being the length in bytes of the script body.",
  arguments: [string("script")],
  access: "none",
  parse: (argv) => argv[2]!,
  exec(ctx: LocalContext, body: Uint8Array): MaybePromise<Reply> {
    const scripting = ctx.server.scripting;
    const loading = scripting.ready();
    if (loading !== undefined) return loading.then(() => scriptLoad.exec(ctx, body));
    const shebang = readShebang(body);
    if (shebang instanceof ErrorReply) return shebang;
    const tenant = ctx.session.keyspace.tenant;
    const problem = scripting.cache.check(tenant, body);
    if (problem !== undefined) return compileError(problem);
    return scripting.cache.add(tenant, body);
  },
});

const scriptExists = defineCommand({
  name: "exists",
  arity: -3,
  flags: ["noscript"],
  group: "scripting",
  summary: "Answers, for each sha1, whether the script is cached (1) or not (0).",
  since: "2.6.0",
  complexity: "O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).",
  arguments: [multiple(string("sha1"))],
  access: "none",
  parse: (argv) => argv.slice(2),
  exec({ session, server }, shas: Uint8Array[]): Reply {
    const tenant = session.keyspace.tenant;
    return shas.map((sha) => (server.scripting.cache.has(tenant, text(sha).toLowerCase()) ? 1 : 0));
  },
});

const scriptFlush = defineCommand({
  name: "flush",
  arity: -2,
  flags: ["noscript"],
  group: "scripting",
  summary: "Forgets every cached script of the tenant.",
  since: "2.6.0",
  complexity: "O(N) with N being the number of scripts in cache",
  arguments: [optional(oneOf("flush-type", token("ASYNC"), token("SYNC")))],
  access: "none",
  parse(argv): true | ErrorReply {
    if (argv.length > 3) return new ErrorReply("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
    if (argv.length === 3 && !["async", "sync"].includes(lower(argv[2]!))) return new ErrorReply("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
    return true;
  },
  exec({ session, server }): Reply {
    server.scripting.cache.flush(session.keyspace.tenant);
    return OK;
  },
});

const scriptKill = defineCommand({
  name: "kill",
  arity: 2,
  flags: ["noscript", "allow_busy"],
  group: "scripting",
  summary: "Stops the tenant's running script, if it has not written yet.",
  since: "2.6.0",
  complexity: "O(1)",
  access: "none",
  parse: () => undefined,
  exec({ session, server }): Reply {
    return killScript(server.scripting.running.oldest(session.keyspace.tenant), "eval");
  },
});

/** SCRIPT KILL and FUNCTION KILL: stop the tenant's running script of `kind` if it has not written. */
export function killScript(running: { readonly identity: { readonly kind: string }; readonly wrote: boolean; readonly run: { killed: boolean } } | undefined, kind: "eval" | "function"): Reply {
  if (running === undefined) return NOTBUSY;
  if (running.identity.kind !== kind) return running.identity.kind === "eval" ? BUSY_EVAL : BUSY_FUNCTION;
  if (running.wrote) return UNKILLABLE;
  running.run.killed = true;
  return OK;
}

const scriptDebug = defineCommand({
  name: "debug",
  arity: 3,
  flags: ["noscript"],
  group: "scripting",
  summary: "Redis's Lua debugger (LDB): Materia has none; NO is accepted.",
  since: "3.2.0",
  complexity: "O(1)",
  arguments: [oneOf("mode", token("YES"), token("SYNC"), token("NO"))],
  access: "none",
  parse(argv): "yes" | "sync" | "no" | ErrorReply {
    const mode = lower(argv[2]!);
    if (mode !== "yes" && mode !== "sync" && mode !== "no") return new ErrorReply("ERR Use SCRIPT DEBUG YES/SYNC/NO");
    return mode;
  },
  exec: (_ctx, mode: "yes" | "sync" | "no"): Reply =>
    mode === "no" ? OK : new ErrorReply("ERR SCRIPT DEBUG: Materia has no Lua debugger; log from the script with redis.log, or run it against a Redis to debug it"),
});

const scriptHelp = helpSubcommand("script", {
  group: "scripting",
  since: "5.0.0",
  lines: [
    "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "DEBUG (YES|SYNC|NO)",
    "    Set the debug mode for subsequent scripts executed.",
    "EXISTS <sha1> [<sha1> ...]",
    "    Return information about the existence of the scripts in the script cache.",
    "FLUSH [ASYNC|SYNC]",
    "    Flush the Lua scripts cache. Very dangerous on replicas.",
    "    When called without the optional mode argument, the behavior is determined by the",
    "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
    "    * ASYNC: Asynchronously flush the scripts cache.",
    "    * SYNC: Synchronously flush the scripts cache.",
    "KILL",
    "    Kill the currently executing Lua script.",
    "LOAD <script>",
    "    Load a script into the scripts cache without executing it.",
    "HELP",
    "    Prints this help.",
  ],
});

const script = defineCommand({
  name: "script",
  arity: -2,
  flags: [],
  group: "scripting",
  summary: "A container for the commands of the script cache.",
  since: "2.6.0",
  complexity: "Depends on subcommand.",
  subcommands: [scriptLoad, scriptExists, scriptFlush, scriptKill, scriptDebug, scriptHelp],
  access: "none",
  parse: () => undefined,
  exec: (): Reply => new SimpleString("OK"),
});

export const SCRIPTING_COMMANDS: readonly CommandSpec[] = [evalSpec, evalsha, evalRo, evalshaRo, script];
// FUNCTION, FCALL and FCALL_RO belong to this family; their code is in scripting/function_commands.ts.
export { FUNCTION_COMMANDS } from "../scripting/function_commands.ts";
