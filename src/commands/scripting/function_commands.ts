// FUNCTION and FCALL (part of the scripting family, families/scripting.ts): libraries of Lua functions a tenant loads once and
// calls by name. The libraries live in the engine (commands/scripting/
// function_libraries.ts); a function runs as a script does, in the
// transaction of the FCALL that calls it (commands/scripting/script_run.ts).
import type { MaybePromise } from "../../engine/contract.ts";
import { then } from "../../engine/maybe_promise.ts";
import { compileGlob } from "../../model/glob.ts";
import { encodeFunctionPayload, readFunctionPayload } from "../../model/rdb/function_payload.ts";
import type { Operation } from "../../core/operation.ts";
import { ErrorReply, MapReply, NullArray, OK, type Reply, SetReply, SimpleString } from "../../resp/reply.ts";
import { integer, key, multiple, oneOf, optional, pattern, string, token, withToken } from "../arguments.ts";
import { lower, text } from "../args.ts";
import { replyOfFailure } from "../dispatch.ts";
import { helpSubcommand } from "../help_subcommand.ts";
import { type Library, type TenantLibraries, readLibraryHeader } from "./function_libraries.ts";
import { runScript } from "./script_run.ts";
import { SCRIPT_FLAG_NAMES } from "./shebang.ts";
import { type CommandSpec, defineCommand, type LocalContext, type TxContext } from "../spec.ts";
import { killScript, scriptRunnerTraits, splitKeys } from "../families/scripting.ts";

const FUNCTION_NOT_FOUND = new ErrorReply("ERR Function not found");
const BAD_NUMBER_OF_KEYS = new ErrorReply("ERR Bad number of keys provided");
const RO_WITH_WRITE_FLAG = new ErrorReply("ERR Can not execute a script with write flag using *_ro command.");
const LIBRARY_NOT_FOUND = new ErrorReply("ERR Library not found");

/** Redis's reply to a subcommand given more arguments than it takes (addReplySubcommandSyntaxError). */
function subcommandSyntaxError(subcommand: string, container: string): ErrorReply {
  return new ErrorReply(`ERR unknown subcommand or wrong number of arguments for '${subcommand}'. Try ${container} HELP.`);
}

/** The tenant's libraries as of `ctx`'s transaction, once the Lua module is loaded. */
function librariesOf(ctx: TxContext): MaybePromise<TenantLibraries> {
  const scripting = ctx.server.scripting;
  const loading = scripting.ready();
  if (loading !== undefined) return loading.then(() => librariesOf(ctx));
  return scripting.functions.current(ctx.tx, ctx.session.keyspace.tenant);
}

/** Writes `next` as the tenant's libraries; installed on this server once the transaction commits. */
function store(ctx: TxContext, current: TenantLibraries, next: ReadonlyMap<string, Library>, reply: Reply): Reply {
  const install = ctx.server.scripting.functions.write(ctx.tx, ctx.session.keyspace.tenant, current, next);
  if (typeof install === "string") return new ErrorReply(install);
  ctx.effects.afterCommit(install);
  return reply;
}

interface LoadCall {
  readonly replace: boolean;
  readonly code: Uint8Array;
}

const functionLoad = defineCommand({
  name: "load",
  arity: -3,
  flags: ["write", "denyoom", "noscript"],
  group: "scripting",
  summary: "Loads a library of functions (#!lua name=<library>); REPLACE replaces the library of that name.",
  since: "7.0.0",
  complexity: "O(1) (considering compilation time is redundant)",
  arguments: [optional(token("REPLACE")), string("function-code")],
  access: "write",
  parse(argv): LoadCall | ErrorReply {
    let replace = false;
    for (const option of argv.slice(2, -1)) {
      if (lower(option) !== "replace") return new ErrorReply(`ERR Unknown option given: ${text(option)}`);
      replace = true;
    }
    return { replace, code: argv[argv.length - 1]! };
  },
  exec(ctx: TxContext, call: LoadCall): MaybePromise<Reply> {
    const header = readLibraryHeader(call.code);
    if (typeof header === "string") return new ErrorReply(header);
    return then(librariesOf(ctx), (current) => {
      if (current.libraries.has(header.name) && !call.replace) return new ErrorReply(`ERR Library '${header.name}' already exists`);
      const library = ctx.server.scripting.functions.compile(current, call.code, call.replace ? header.name : undefined);
      if (typeof library === "string") return new ErrorReply(library);
      const next = new Map(current.libraries);
      next.set(library.name, library);
      return store(ctx, current, next, library.name);
    });
  },
});

const functionDelete = defineCommand({
  name: "delete",
  arity: 3,
  flags: ["write", "noscript"],
  group: "scripting",
  summary: "Deletes a library and its functions.",
  since: "7.0.0",
  complexity: "O(1)",
  arguments: [string("library-name")],
  access: "write",
  parse: (argv) => text(argv[2]!),
  exec(ctx: TxContext, name: string): MaybePromise<Reply> {
    return then(librariesOf(ctx), (current) => {
      if (!current.libraries.has(name)) return LIBRARY_NOT_FOUND;
      const next = new Map(current.libraries);
      next.delete(name);
      return store(ctx, current, next, OK);
    });
  },
});

const functionFlush = defineCommand({
  name: "flush",
  arity: -2,
  flags: ["write", "noscript"],
  group: "scripting",
  summary: "Deletes every library of the tenant.",
  since: "7.0.0",
  complexity: "O(N) where N is the number of functions deleted",
  arguments: [optional(oneOf("flush-type", token("ASYNC"), token("SYNC")))],
  access: "write",
  parse(argv): true | ErrorReply {
    if (argv.length > 3) return subcommandSyntaxError("FLUSH", "FUNCTION");
    if (argv.length === 3 && !["async", "sync"].includes(lower(argv[2]!))) {
      return new ErrorReply("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
    }
    return true;
  },
  exec(ctx: TxContext): MaybePromise<Reply> {
    return then(librariesOf(ctx), (current) => store(ctx, current, new Map(), OK));
  },
});

interface ListCall {
  readonly pattern: Uint8Array | undefined;
  readonly withCode: boolean;
}

/** A library as FUNCTION LIST shows it: maps (flattened in RESP2), its functions' flags a set of status strings. */
function libraryEntry(library: Library, withCode: boolean): Reply {
  const functions = library.functions.map((fn) =>
    new MapReply([
      ["name", fn.name],
      ["description", fn.description ?? null],
      // In Redis's order of the flags, whatever order they were declared in.
      ["flags", new SetReply(SCRIPT_FLAG_NAMES.filter((flag) => fn.flags.includes(flag)).map((flag) => new SimpleString(flag)))],
    ])
  );
  const entries: [Reply, Reply][] = [["library_name", library.name], ["engine", "LUA"], ["functions", functions]];
  if (withCode) entries.push(["library_code", library.code]);
  return new MapReply(entries);
}

const functionList = defineCommand({
  name: "list",
  arity: -2,
  flags: ["noscript"],
  group: "scripting",
  summary: "Lists the tenant's libraries and their functions; LIBRARYNAME filters by a glob pattern, WITHCODE adds the code.",
  since: "7.0.0",
  complexity: "O(N) where N is the number of functions",
  arguments: [optional(withToken("LIBRARYNAME", pattern("library-name-pattern"))), optional(token("WITHCODE"))],
  access: "read",
  parse(argv): ListCall | ErrorReply {
    let pattern: Uint8Array | undefined;
    let withCode = false;
    for (let i = 2; i < argv.length; i++) {
      const option = lower(argv[i]!);
      if (option === "withcode" && !withCode) withCode = true;
      else if (option === "libraryname" && pattern === undefined) {
        if (i + 1 >= argv.length) return new ErrorReply("ERR library name argument was not given");
        pattern = argv[++i]!;
      } else return new ErrorReply(`ERR Unknown argument ${text(argv[i]!)}`);
    }
    return { pattern, withCode };
  },
  exec(ctx: TxContext, call: ListCall): MaybePromise<Reply> {
    return then(librariesOf(ctx), (current) => {
      const matches = call.pattern === undefined ? undefined : compileGlob(call.pattern);
      const encoder = new TextEncoder();
      return [...current.libraries.values()]
        .filter((library) => matches === undefined || matches.matches(encoder.encode(library.name)))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map((library) => libraryEntry(library, call.withCode));
    });
  },
});

const functionDump = defineCommand({
  name: "dump",
  arity: 2,
  flags: ["noscript"],
  group: "scripting",
  summary: "Serialises the tenant's libraries in Redis's format, for FUNCTION RESTORE.",
  since: "7.0.0",
  complexity: "O(N) where N is the number of functions",
  access: "read",
  parse: () => undefined,
  exec(ctx: TxContext): MaybePromise<Reply> {
    return then(librariesOf(ctx), (current) => {
      const libraries = [...current.libraries.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return encodeFunctionPayload(libraries.map((library) => library.code));
    });
  },
});

type RestorePolicy = "append" | "replace" | "flush";

const functionRestore = defineCommand({
  name: "restore",
  arity: -3,
  flags: ["write", "denyoom", "noscript"],
  group: "scripting",
  summary: "Restores libraries from FUNCTION DUMP's payload: APPEND (the default), REPLACE same-named libraries, or FLUSH first.",
  since: "7.0.0",
  complexity: "O(N) where N is the number of functions on the payload",
  arguments: [string("serialized-value"), optional(oneOf("policy", token("FLUSH"), token("APPEND"), token("REPLACE")))],
  access: "write",
  parse(argv): { payload: Uint8Array; policy: RestorePolicy } | ErrorReply {
    if (argv.length > 4) return subcommandSyntaxError("RESTORE", "FUNCTION");
    const policy = argv.length === 4 ? lower(argv[3]!) : "append";
    if (policy !== "append" && policy !== "replace" && policy !== "flush") {
      return new ErrorReply("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
    }
    return { payload: argv[2]!, policy };
  },
  exec(ctx: TxContext, call: { payload: Uint8Array; policy: RestorePolicy }): MaybePromise<Reply> {
    const read = readFunctionPayload(call.payload);
    if (!read.ok) return new ErrorReply(read.error);
    return then(librariesOf(ctx), (current) => {
      const next = new Map(call.policy === "flush" ? [] : current.libraries);
      const functions = new Map(call.policy === "flush" ? [] : current.functions);
      for (const code of read.codes) {
        const header = readLibraryHeader(code);
        if (typeof header === "string") return new ErrorReply(header);
        const existing = next.get(header.name);
        if (existing !== undefined && call.policy === "append") return new ErrorReply(`ERR Library ${header.name} already exists`);
        const view: TenantLibraries = { version: current.version, state: current.state, libraries: next, functions };
        const library = ctx.server.scripting.functions.compile(view, code, existing === undefined ? undefined : header.name);
        current.state = view.state;
        if (typeof library === "string") return new ErrorReply(library);
        if (existing !== undefined) for (const fn of existing.functions) functions.delete(fn.name.toLowerCase());
        next.set(library.name, library);
        for (const fn of library.functions) functions.set(fn.name.toLowerCase(), fn);
      }
      return store(ctx, current, next, OK);
    });
  },
});

/** FUNCTION STATS reads the libraries in its own transaction only when this server has not loaded them yet. */
const readLibraries: Operation<TxLess, TenantLibraries> = {
  name: "function|stats",
  access: "read",
  writes: false,
  reads: false,
  keys: () => [],
  run: (ctx, call) => call.server.scripting.functions.current(ctx.tx, call.tenant),
};
interface TxLess {
  readonly server: LocalContext["server"];
  readonly tenant: string;
}

const functionStats = defineCommand({
  name: "stats",
  arity: 2,
  flags: ["noscript", "allow_busy"],
  group: "scripting",
  summary: "The function running now, if any, and how many libraries and functions the tenant has.",
  since: "7.0.0",
  complexity: "O(1)",
  access: "none",
  parse: () => undefined,
  exec(ctx: LocalContext): MaybePromise<Reply> {
    const { session, server } = ctx;
    const tenant = session.keyspace.tenant;
    const answer = (libraries: TenantLibraries): Reply => {
      const running = server.scripting.running.oldest(tenant);
      const script = running === undefined || running.identity.kind !== "function"
        ? null
        : new MapReply([
          ["name", running.identity.name],
          ["command", [...running.identity.argv]],
          ["duration_ms", Math.max(0, server.clock() - running.run.startedAt)],
        ]);
      return new MapReply([
        ["running_script", script],
        ["engines", new MapReply([["LUA", new MapReply([["libraries_count", libraries.libraries.size], ["functions_count", libraries.functions.size]])]])],
      ]);
    };
    const known = server.scripting.functions.known(tenant);
    if (known !== undefined) return answer(known);
    const loading = server.scripting.ready();
    const read = (): Promise<Reply> =>
      Promise.resolve(server.executor.run(session, readLibraries, { server, tenant })).then(answer, replyOfFailure);
    return loading === undefined ? read() : loading.then(read);
  },
});

const functionKill = defineCommand({
  name: "kill",
  arity: 2,
  flags: ["noscript", "allow_busy"],
  group: "scripting",
  summary: "Stops the tenant's running function, if it has not written yet.",
  since: "7.0.0",
  complexity: "O(1)",
  access: "none",
  parse: () => undefined,
  exec({ session, server }): Reply {
    return killScript(server.scripting.running.oldest(session.keyspace.tenant), "function");
  },
});

const functionHelp = helpSubcommand("function", {
  group: "scripting",
  since: "7.0.0",
  lines: [
    "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "LOAD [REPLACE] <FUNCTION CODE>",
    "    Create a new library with the given library name and code.",
    "DELETE <LIBRARY NAME>",
    "    Delete the given library.",
    "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
    "    Return general information on all the libraries:",
    "    * Library name",
    "    * The engine used to run the Library",
    "    * Library description",
    "    * Functions list",
    "    * Library code (if WITHCODE is given)",
    "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
    "STATS",
    "    Return information about the current function running:",
    "    * Function name",
    "    * Command used to run the function",
    "    * Duration in MS that the function is running",
    "    If no function is running, return nil",
    "    In addition, returns a list of available engines.",
    "KILL",
    "    Kill the current running function.",
    "FLUSH [ASYNC|SYNC]",
    "    Delete all the libraries.",
    "    When called without the optional mode argument, the behavior is determined by the",
    "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
    "    * ASYNC: Asynchronously flush the libraries.",
    "    * SYNC: Synchronously flush the libraries.",
    "DUMP",
    "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
    "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
    "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
    "    control how to handle existing libraries (default APPEND):",
    "    * FLUSH: delete all existing libraries.",
    "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
    "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
    "      libraries with the new libraries (notice that even on this option there is a chance of failure",
    "      in case of functions name collision with another library).",
    "HELP",
    "    Prints this help.",
  ],
});

const functionContainer = defineCommand({
  name: "function",
  arity: -2,
  flags: [],
  group: "scripting",
  summary: "A container for the commands of function libraries.",
  since: "7.0.0",
  complexity: "Depends on subcommand.",
  subcommands: [functionLoad, functionDelete, functionList, functionDump, functionRestore, functionFlush, functionStats, functionKill, functionHelp],
  access: "none",
  parse: () => undefined,
  exec: (): Reply => NullArray.instance,
});

function fcallCommand(name: string, readOnly: boolean, summary: string): CommandSpec {
  return defineCommand({
    name,
    ...scriptRunnerTraits(readOnly),
    summary,
    since: "7.0.0",
    complexity: "Depends on the function that is executed.",
    arguments: [string("function"), integer("numkeys"), optional(multiple(key("key"))), optional(multiple(string("arg")))],
    // The function is looked up (ERR Function not found) before the number of keys is checked, as in Redis.
    parse: (argv) => argv,
    exec(ctx: TxContext, argv: readonly Uint8Array[]): MaybePromise<Reply> {
      return then(librariesOf(ctx), (current) => {
        const entry = current.functions.get(lower(argv[1]!));
        if (entry === undefined || current.state === undefined) return FUNCTION_NOT_FOUND;
        const split = splitKeys(argv, BAD_NUMBER_OF_KEYS);
        if (split instanceof ErrorReply) return split;
        const noWrites = entry.flags.includes("no-writes");
        if (readOnly && !noWrites) return RO_WITH_WRITE_FLAG;
        return runScript(ctx, current.state, { fn: entry.registered }, split.keys, split.args, {
          kind: "function",
          name: entry.name,
          argv,
          readOnly: readOnly || noWrites,
        });
      });
    },
  });
}

const fcall = fcallCommand("fcall", false, "Calls a function of the tenant's libraries with its keys and arguments.");
const fcallRo = fcallCommand("fcall_ro", true, "Calls a read-only (no-writes) function of the tenant's libraries.");

export const FUNCTION_COMMANDS: readonly CommandSpec[] = [functionContainer, fcall, fcallRo];
