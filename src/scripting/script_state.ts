// One Lua state, as Redis keeps one for EVAL and one for functions: opened
// with the standard libraries, Redis's libraries and the `redis` API, then
// sandboxed (lua/sandbox.ts, redis_api_lua.ts). Materia keeps one per tenant
// and kind, so that no tenant sees another's scripts or cjson settings.
//
// A run is a Lua coroutine. redis.call runs the command at once when the
// engine answers at once (memory, SQLite: the whole script runs without a
// promise); when the engine must wait (FoundationDB), the coroutine yields
// and resumes with the reply, so the same Lua runs on every engine. The count
// hook also yields every few milliseconds of Lua work, so that a long script
// lets the server answer others (BUSY) and hear SCRIPT KILL.
import { createHash } from "node:crypto";
import type { MaybePromise } from "../engine/contract.ts";
import { ErrorReply, type Reply } from "../resp/reply.ts";
import {
  LUA_MASKCOUNT,
  LUA_MULTRET,
  LUA_OK,
  LUA_REGISTRYINDEX,
  LUA_TNUMBER,
  LUA_TSTRING,
  LUA_TTABLE,
  LUA_YIELD,
  LuaBytes,
  type LuaModule,
  upvalueIndex,
  luaInteger,
} from "./lua_runtime.ts";
import { pushErrorTable, pushReply, replyOfLua, type ScriptProtocol } from "./lua_values.ts";
import { luaFiveOneMessage } from "./compile_message.ts";
import { formatG17 } from "./number_format.ts";
import { REDIS_API_LUA } from "./redis_api_lua.ts";
import { LIBRARY_CHUNKS } from "./lua/libraries.ts";

/** Instructions between two looks at the clock from the count hook. */
const HOOK_INSTRUCTIONS = 100_000;
/** Lua work between two yields to the event loop, in milliseconds. */
const SLICE_MS = 20;

/** What a script's run asks of its caller: the commands it runs and where its logs go. */
export interface RunHost {
  /** Runs one command for the script; an ErrorReply when it fails. A promise when the engine must wait. */
  call(argv: readonly Uint8Array[]): MaybePromise<Reply>;
  /** redis.acl_check_cmd: whether the caller may run this command; a string is the error to raise. */
  mayRun(argv: readonly Uint8Array[]): boolean | string;
  /** redis.log, at the level's number (0 debug ... 3 warning). */
  log(level: number, message: string): void;
  /** The clock, for the deadline and the slices. */
  now(): number;
}

/** A run in progress: what the hook and the host functions need, and what SCRIPT KILL changes. */
export class ScriptRun {
  /** The protocol of the replies redis.call returns (redis.setresp). */
  resp: ScriptProtocol = 2;
  /** Set by SCRIPT KILL / FUNCTION KILL: the hook stops the script at its next look. */
  killed = false;
  /** Set when the run passed its deadline: the hook stopped it. */
  timedOut = false;
  readonly startedAt: number;
  /** @internal The reply redis.call waits for (FoundationDB), while the coroutine is suspended. */
  pending: Promise<Reply> | undefined;
  /** @internal When the current slice of Lua work started. */
  sliceStart: number;
  /** @internal The coroutine of the run. */
  thread = 0;
  /** @internal Registry references of its KEYS and ARGV while it waits (EVAL). */
  argsRefs: [number, number] | undefined;

  constructor(
    readonly host: RunHost,
    /** The time past which the script is stopped (the engine's transaction limit). */
    readonly deadline: number,
  ) {
    this.startedAt = host.now();
    this.sliceStart = this.startedAt;
  }
}

/** The outcome of a run: the script's reply, or why it stopped. */
export type RunOutcome =
  | { readonly kind: "reply"; readonly reply: Reply }
  /** An uncaught error: `message` ("CODE text"), and the user line it came from, if known. */
  | { readonly kind: "error"; readonly message: Uint8Array; readonly line: number | undefined }
  /** A failure outside the script's error handling (out of Lua memory): Redis words it "Error running script". */
  | { readonly kind: "failed"; readonly message: string }
  | { readonly kind: "killed" }
  | { readonly kind: "timed_out" };

/** A compiled chunk kept in the state's registry. */
export interface CompiledChunk {
  readonly ref: number;
}

/** A function registered by a library's code (redis.register_function). */
export interface RegisteredFunction {
  readonly name: string;
  readonly ref: number;
  readonly flags: readonly string[];
  readonly description: Uint8Array | undefined;
}

/** The process-wide glue: host functions are made once and find the run in progress through `active`. */
class Glue {
  active: ScriptRun | undefined;
  /** The state whose code runs now (host functions push into it). */
  readonly bytes: LuaBytes;
  readonly hostFunctions: Record<string, number>;
  readonly hook: number;
  /** The continuation of redis.call after a yield (lua_KFunction). */
  readonly resumed: number;
  readonly allocator: number;
  /** Bytes allocated by each state (by its id), and in all. */
  /** Bytes each state holds, by its id (a small integer, reused once its state is closed: see stateIds). */
  readonly used: number[] = [];
  usedTotal = 0;
  /** A C closure calling its upvalue 1 (a Lua function): see wrap(). */
  readonly trampoline: number;

  constructor(readonly lua: LuaModule) {
    this.bytes = new LuaBytes(lua);
    const make = (fn: (L: number) => number): number => lua.addFunction(fn, "ii");
    this.hostFunctions = {
      call: make((L) => this.call(L, true)),
      pcall: make((L) => this.call(L, false)),
      sha1hex: make((L) => this.sha1hex(L)),
      log: make((L) => this.log(L)),
      setresp: make((L) => this.setresp(L)),
      set_repl: make((L) => this.setRepl(L)),
      acl_check_cmd: make((L) => this.aclCheck(L)),
      wrap: make((L) => this.wrap(L)),
    };
    this.trampoline = make((L) => this.callThrough(L));
    this.resumed = lua.addFunction((L: number, _status: number, raising: number) => this.afterYield(L, raising !== 0), "iiii");
    this.hook = lua.addFunction((L: number) => this.onHook(L), "vii");
    this.allocator = lua.addFunction((ud: number, pointer: number, oldSize: number, newSize: number) => this.allocate(ud, pointer, oldSize, newSize), "iiiii");
  }

  /** Raises a Lua error with `message` (a string) from inside a host function. */
  raise(L: number, message: string): number {
    this.bytes.pushText(L, message);
    return this.lua._lua_error(L);
  }

  /**
   * redis.call (raising: true) and redis.pcall: runs the command; pushes its
   * reply, or raises (call) or returns (pcall) the error table. When the
   * engine must wait, the coroutine yields and `resumed` finishes the call
   * with the reply the host pushed: a C function, so that the script's own
   * frame stays on the stack for the error's line number, as in Redis.
   */
  private call(L: number, raising: boolean): number {
    const run = this.active;
    const lua = this.lua;
    const count = lua._lua_gettop(L);
    if (run === undefined) return this.raise(L, "redis.call is only available while a script runs");
    if (count === 0) return this.fail(L, "ERR Please specify at least one argument for this redis lib call", raising);
    const argv: Uint8Array[] = new Array(count);
    for (let i = 1; i <= count; i++) {
      const type = lua._lua_type(L, i);
      if (type === LUA_TSTRING) argv[i - 1] = this.bytes.read(L, i);
      else if (type === LUA_TNUMBER) argv[i - 1] = encoder.encode(numberArgument(lua, L, i));
      else return this.fail(L, "ERR Lua redis lib command arguments must be strings or integers", raising);
    }
    let reply: MaybePromise<Reply>;
    try {
      reply = run.host.call(argv);
    } catch (error) {
      reply = new ErrorReply(`ERR ${error instanceof Error ? error.message : String(error)}`);
    }
    if (reply instanceof Promise) {
      if (lua._lua_isyieldable(L) === 0) {
        reply.catch(() => {});
        return this.fail(L, "ERR This command must wait for the storage engine, which a script cannot do here (inside a table.sort comparator, a string.gsub callback or a metamethod): call it outside them", raising);
      }
      run.pending = reply;
      return lua._lua_yieldk(L, 0, raising ? 1 : 0, this.resumed);
    }
    return this.finishCall(L, this.answer(L, reply, run.resp), raising);
  }

  /** After answer(): an error reply is raised by redis.call. */
  private finishCall(L: number, results: number, raising: boolean): number {
    if (results === 2) {
      this.lua._lua_settop(L, -2);
      if (raising) return this.lua._lua_error(L);
    }
    return 1;
  }

  /** Continues redis.call after a yield: the resume pushed what answer() pushes. */
  private afterYield(L: number, raising: boolean): number {
    return this.finishCall(L, this.lua._lua_gettop(L), raising);
  }

  /** Pushes what redis.call returns: the reply, and true when it is an error; the count pushed. */
  answer(L: number, reply: Reply, resp: ScriptProtocol): number {
    this.lua._lua_settop(L, 0);
    if (reply instanceof ErrorReply) {
      pushErrorTable(this.bytes, L, reply);
      this.lua._lua_pushboolean(L, 1);
      return 2;
    }
    pushReply(this.bytes, L, reply, resp);
    return 1;
  }

  private fail(L: number, message: string, raising: boolean): number {
    return this.finishCall(L, this.answer(L, new ErrorReply(message), 2), raising);
  }

  private sha1hex(L: number): number {
    if (this.lua._lua_gettop(L) !== 1) return this.raise(L, "wrong number of arguments");
    const type = this.lua._lua_type(L, 1);
    const input = type === LUA_TSTRING || type === LUA_TNUMBER ? this.bytes.read(L, 1) : new Uint8Array(0);
    this.bytes.pushText(L, createHash("sha1").update(input).digest("hex"));
    return 1;
  }

  private log(L: number): number {
    const lua = this.lua;
    const count = lua._lua_gettop(L);
    if (count < 2) return this.raise(L, "redis.log() requires two arguments or more.");
    if (lua._lua_type(L, 1) !== LUA_TNUMBER) return this.raise(L, "First argument must be a number (log level).");
    const level = lua._lua_tonumberx(L, 1, 0);
    if (!(level >= 0 && level <= 3) || !Number.isInteger(level)) return this.raise(L, "Invalid debug level.");
    const parts: string[] = [];
    for (let i = 2; i <= count; i++) {
      const type = lua._lua_type(L, i);
      if (type === LUA_TSTRING || type === LUA_TNUMBER) parts.push(this.bytes.readText(L, i));
    }
    this.active?.host.log(level, parts.join(" "));
    return 0;
  }

  private setresp(L: number): number {
    const run = this.active;
    if (this.lua._lua_gettop(L) !== 1) return this.raise(L, "redis.setresp() requires one argument.");
    const version = this.lua._lua_tonumberx(L, 1, 0);
    if (version !== 2 && version !== 3) return this.raise(L, "RESP version must be 2 or 3.");
    if (run !== undefined) run.resp = version;
    return 0;
  }

  /**
   * wrap(f, positioned): `f` behind a C function, as Redis's libraries are
   * C functions. Lua 5.4 drops the caller's frame on a tail call to a Lua
   * function (`return cjson.encode(t)`), losing the script's line for
   * errors; a C function keeps it. `positioned`: an error message gets the
   * caller's position (`user_script:1: `), as Redis's library errors do.
   */
  private wrap(L: number): number {
    const lua = this.lua;
    lua._lua_settop(L, 3);
    lua._lua_pushcclosure(L, this.trampoline, 3);
    return 1;
  }

  private callThrough(L: number): number {
    const lua = this.lua;
    const count = lua._lua_gettop(L);
    lua._lua_pushvalue(L, upvalueIndex(1));
    lua._lua_rotate(L, 1, 1);
    if (lua._lua_pcallk(L, count, LUA_MULTRET, 0, 0, 0) === LUA_OK) return lua._lua_gettop(L);
    if (lua._lua_toboolean(L, upvalueIndex(2)) !== 0 && lua._lua_type(L, -1) === LUA_TSTRING) {
      let message = this.bytes.read(L, -1);
      // A Lua function called from C has no name of its own: "bad argument #1 to '?'" names the library's (upvalue 3).
      if (lua._lua_type(L, upvalueIndex(3)) === LUA_TSTRING) message = replaceOnce(message, UNNAMED, this.bytes.read(L, upvalueIndex(3)));
      lua._luaL_where(L, 1);
      const where = this.bytes.read(L, -1);
      lua._lua_settop(L, -3);
      const prefixed = startsWith(message, where) ? message : concatBytes(where, message);
      this.bytes.push(L, prefixed);
    }
    return lua._lua_error(L);
  }

  /** redis.set_repl: accepted and ignored (Materia has no replicas), after Redis's checks. */
  private setRepl(L: number): number {
    if (this.lua._lua_gettop(L) !== 1) return this.raise(L, "redis.set_repl() requires two arguments.");
    const flags = this.lua._lua_type(L, 1) === LUA_TNUMBER ? this.lua._lua_tonumberx(L, 1, 0) : -1;
    if (!(flags >= 0 && flags <= 3)) return this.raise(L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
    return 0;
  }

  private aclCheck(L: number): number {
    const run = this.active;
    const count = this.lua._lua_gettop(L);
    if (count === 0) return this.raise(L, "Please specify at least one argument for this redis lib call");
    const argv: Uint8Array[] = [];
    for (let i = 1; i <= count; i++) {
      const type = this.lua._lua_type(L, i);
      if (type !== LUA_TSTRING && type !== LUA_TNUMBER) return this.raise(L, "Lua redis lib command arguments must be strings or integers");
      argv.push(this.bytes.read(L, i));
    }
    const allowed = run?.host.mayRun(argv) ?? false;
    if (typeof allowed === "string") return this.raise(L, allowed);
    this.lua._lua_pushboolean(L, allowed ? 1 : 0);
    return 1;
  }

  private onHook(L: number): void {
    const run = this.active;
    if (run === undefined) return;
    const lua = this.lua;
    const now = run.host.now();
    if (!run.killed && !run.timedOut && now > run.deadline) run.timedOut = true;
    if (run.killed || run.timedOut) {
      // Fires at every instruction from now on, so that a pcall in the script cannot swallow the stop.
      lua._lua_sethook(L, this.hook, LUA_MASKCOUNT, 1);
      this.raise(L, run.killed ? "Script killed by user with SCRIPT KILL..." : "Script timed out");
      return;
    }
    if (now - run.sliceStart >= SLICE_MS && L === run.thread && lua._lua_isyieldable(L) !== 0) {
      lua._lua_yieldk(L, 0, 0, 0);
    }
  }

  /** Lua's allocator: realloc within each state's share of the heap. */
  private allocate(ud: number, pointer: number, oldSize: number, newSize: number): number {
    const lua = this.lua;
    const before = pointer === 0 ? 0 : oldSize;
    if (newSize === 0) {
      if (pointer !== 0) {
        lua._free(pointer);
        this.account(ud, -before);
      }
      return 0;
    }
    const growth = newSize - before;
    if (growth > 0 && (this.used[ud]! + growth > STATE_MEMORY_LIMIT || this.usedTotal + growth > TOTAL_MEMORY_LIMIT)) return 0;
    const moved = lua._realloc(pointer, newSize);
    if (moved !== 0) this.account(ud, growth);
    return moved;
  }

  private account(ud: number, change: number): void {
    this.used[ud] = this.used[ud]! + change;
    this.usedTotal += change;
  }
}

/** Each Lua state's share of the heap: past it, an allocation fails with Lua's "not enough memory". */
export const STATE_MEMORY_LIMIT = 64 * 1024 * 1024;
/** All Lua states together. */
const TOTAL_MEMORY_LIMIT = 1024 * 1024 * 1024;

const encoder = new TextEncoder();

/** The name Lua gives an unnamed function in "bad argument #1 to '?'". */
const UNNAMED = encoder.encode("'?'");

/** `bytes` with its first `target` replaced by `name` in quotes. */
function replaceOnce(bytes: Uint8Array, target: Uint8Array, name: Uint8Array): Uint8Array {
  outer: for (let i = 0; i + target.length <= bytes.length; i++) {
    for (let j = 0; j < target.length; j++) if (bytes[i + j] !== target[j]) continue outer;
    return concatBytes(concatBytes(bytes.subarray(0, i + 1), name), bytes.subarray(i + target.length - 1));
  }
  return bytes;
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** A number argument of redis.call as Redis sends it: integers as they are, others in `%.17g`. */
function numberArgument(lua: LuaModule, L: number, index: number): string {
  if (lua._lua_isinteger(L, index) !== 0) return String(lua._lua_tointegerx(L, index, 0));
  return formatG17(lua._lua_tonumberx(L, index, 0));
}

let glue: Glue | undefined;
/** Ids of states, as the allocator's user data: those of closed states are given again, so the usage table stays small. */
const stateIds = { next: 1, free: [] as number[] };

/** The kind of a state: EVAL's scripts, or function libraries. */
export type StateKind = "eval" | "function";

export class ScriptState {
  private readonly glue: Glue;
  private readonly lua: LuaModule;
  private readonly bytes: LuaBytes;
  readonly L: number;
  private readonly id: number;
  /** The registry references of the harness's functions. */
  private readonly harness: { run: number; call: number; library: number; env: number; args: number; setArgs: number };
  /** The run whose KEYS and ARGV the state's globals hold now. */
  private argsOwner: ScriptRun | undefined;
  private closed = false;
  /** Runs under way (suspended or not): a retired state closes when the last one ends. */
  private runs = 0;
  private retired = false;
  private spareThread = 0;

  constructor(lua: LuaModule, readonly kind: StateKind, readonly version: { readonly text: string; readonly number: number }) {
    glue ??= new Glue(lua);
    this.glue = glue;
    this.lua = lua;
    this.bytes = glue.bytes;
    this.id = stateIds.free.pop() ?? stateIds.next++;
    glue.used[this.id] = 0;
    const L = lua._lua_newstate(glue.allocator, this.id);
    if (L === 0) throw new Error("could not create a Lua state: the Lua heap is full");
    this.L = L;
    lua._luaL_openlibs(L);
    lua._lua_sethook(L, glue.hook, LUA_MASKCOUNT, HOOK_INSTRUCTIONS);
    this.harness = this.boot();
  }

  private boot(): { run: number; call: number; library: number; env: number; args: number; setArgs: number } {
    const { lua, L, bytes } = this;
    // The libraries, each a chunk returning its table.
    lua._lua_createtable(L, 0, 4);
    const libsIndex = lua._lua_gettop(L);
    let sandboxIndex = 0;
    let compatIndex = 0;
    for (const chunk of LIBRARY_CHUNKS) {
      this.loadOrThrow(chunk.source, `=${chunk.name}`);
      let args = 0;
      if (chunk.argument === "null") {
        lua._lua_pushlightuserdata(L, 0);
        args = 1;
      } else if (chunk.argument === "globals") {
        pushGlobalTable(lua, L);
        args = 1;
      }
      this.callOrThrow(args, 1, chunk.name);
      if (chunk.role === "library") lua._lua_setfield(L, libsIndex, bytes.cString(chunk.name));
      else if (chunk.role === "compat") compatIndex = lua._lua_gettop(L);
      else sandboxIndex = lua._lua_gettop(L);
    }
    if (sandboxIndex === 0 || compatIndex === 0) throw new Error("the sandbox or the compatibility chunk is missing");
    // The harness: host functions, libraries, sandbox, version, source name, compatibility patches.
    this.loadOrThrow(REDIS_API_LUA, "=redis_api");
    lua._lua_createtable(L, 0, 8);
    for (const [name, pointer] of Object.entries(this.glue.hostFunctions)) {
      lua._lua_pushcclosure(L, pointer, 0);
      lua._lua_setfield(L, -2, bytes.cString(name));
    }
    lua._lua_pushvalue(L, libsIndex);
    lua._lua_pushvalue(L, sandboxIndex);
    bytes.pushText(L, this.version.text);
    lua._lua_pushinteger(L, BigInt(this.version.number));
    bytes.pushText(L, this.kind === "eval" ? "@user_script" : "@user_function");
    lua._lua_pushvalue(L, compatIndex);
    this.callOrThrow(7, 1, "redis_api");
    const harnessIndex = lua._lua_gettop(L);
    const ref = (field: string): number => {
      lua._lua_getfield(L, harnessIndex, bytes.cString(field));
      return lua._luaL_ref(L, LUA_REGISTRYINDEX);
    };
    const refs = { run: ref("run"), call: ref("call"), library: ref("library"), env: ref("env"), args: ref("args"), setArgs: ref("setArgs") };
    // The real global table keeps no door out either (a chunk given no environment would see it).
    const globalsIndex = pushGlobalTable(lua, L);
    for (const name of ["os", "io", "debug", "package", "require", "dofile", "loadfile", "print", "utf8"]) {
      lua._lua_pushnil(L);
      lua._lua_setfield(L, globalsIndex, bytes.cString(name));
    }
    lua._lua_settop(L, 0);
    return refs;
  }

  private loadOrThrow(source: string, name: string): void {
    const status = this.bytes.load(this.L, encoder.encode(source), name);
    if (status !== LUA_OK) throw new Error(`Lua chunk ${name} does not compile: ${this.bytes.readText(this.L, -1)}`);
  }

  private callOrThrow(args: number, results: number, name: string): void {
    const status = this.lua._lua_pcallk(this.L, args, results, 0, 0, 0);
    if (status !== LUA_OK) throw new Error(`Lua chunk ${name} failed: ${this.bytes.readText(this.L, -1)}`);
  }

  /** Compiles `code` as user code, with the sandbox's environment; the chunk, or the compiler's message. */
  compile(code: Uint8Array, env?: number): CompiledChunk | { readonly error: string } {
    this.assertOpen();
    const { lua, L, bytes } = this;
    const status = bytes.load(L, code, this.kind === "eval" ? "@user_script" : "@user_function");
    if (status !== LUA_OK) {
      const message = bytes.readText(L, -1);
      lua._lua_settop(L, 0);
      return { error: message };
    }
    // Its _ENV: the script environment (EVAL) or the library's own.
    lua._lua_rawgeti(L, LUA_REGISTRYINDEX, luaInteger(env ?? this.harness.env));
    setUpvalue(lua, L);
    return { ref: lua._luaL_ref(L, LUA_REGISTRYINDEX) };
  }

  /** Forgets a compiled chunk or function. */
  release(ref: number): void {
    if (!this.closed) this.lua._luaL_unref(this.L, LUA_REGISTRYINDEX, ref);
  }

  /** Runs an EVAL script with its KEYS and ARGV. */
  runScript(chunk: CompiledChunk, keys: readonly Uint8Array[], argv: readonly Uint8Array[], run: ScriptRun): MaybePromise<RunOutcome> {
    return this.start(this.harness.run, chunk.ref, keys, argv, run);
  }

  /** Runs a function's callback with (keys, args). */
  runFunction(fn: RegisteredFunction, keys: readonly Uint8Array[], args: readonly Uint8Array[], run: ScriptRun): MaybePromise<RunOutcome> {
    return this.start(this.harness.call, fn.ref, keys, args, run);
  }

  private start(entry: number, fn: number, keys: readonly Uint8Array[], argv: readonly Uint8Array[], run: ScriptRun): MaybePromise<RunOutcome> {
    this.assertOpen();
    const { lua, L, bytes } = this;
    this.runs++;
    let thread = this.spareThread;
    this.spareThread = 0;
    let threadRef = 0;
    if (thread === 0) {
      thread = lua._lua_newthread(L);
      threadRef = lua._luaL_ref(L, LUA_REGISTRYINDEX);
    } else threadRef = this.spareRef;
    run.thread = thread;
    lua._lua_checkstack(thread, 4);
    lua._lua_rawgeti(thread, LUA_REGISTRYINDEX, luaInteger(entry));
    lua._lua_rawgeti(thread, LUA_REGISTRYINDEX, luaInteger(fn));
    pushStrings(lua, bytes, thread, keys);
    pushStrings(lua, bytes, thread, argv);
    if (entry === this.harness.run) this.argsOwner = run;
    return this.resume(thread, threadRef, run, 3);
  }

  /** A run of EVAL that waits keeps its KEYS and ARGV (the globals of the state), to put back when it resumes after another run. */
  private keepArgs(run: ScriptRun): void {
    if (run.argsRefs !== undefined || this.argsOwner !== run) return;
    const { lua, L } = this;
    lua._lua_rawgeti(L, LUA_REGISTRYINDEX, luaInteger(this.harness.args));
    if (lua._lua_pcallk(L, 0, 2, 0, 0, 0) !== LUA_OK) {
      lua._lua_settop(L, -2);
      return;
    }
    const argv = lua._luaL_ref(L, LUA_REGISTRYINDEX);
    const keys = lua._luaL_ref(L, LUA_REGISTRYINDEX);
    run.argsRefs = [keys, argv];
  }

  private restoreArgs(run: ScriptRun): void {
    if (run.argsRefs === undefined || this.argsOwner === run) return;
    const { lua, L } = this;
    lua._lua_rawgeti(L, LUA_REGISTRYINDEX, luaInteger(this.harness.setArgs));
    lua._lua_rawgeti(L, LUA_REGISTRYINDEX, luaInteger(run.argsRefs[0]));
    lua._lua_rawgeti(L, LUA_REGISTRYINDEX, luaInteger(run.argsRefs[1]));
    if (lua._lua_pcallk(L, 2, 0, 0, 0, 0) !== LUA_OK) lua._lua_settop(L, -2);
    this.argsOwner = run;
  }

  private releaseArgs(run: ScriptRun): void {
    if (run.argsRefs === undefined) return;
    this.lua._luaL_unref(this.L, LUA_REGISTRYINDEX, run.argsRefs[0]);
    this.lua._luaL_unref(this.L, LUA_REGISTRYINDEX, run.argsRefs[1]);
    run.argsRefs = undefined;
  }

  private spareRef = 0;

  private resume(thread: number, threadRef: number, run: ScriptRun, args: number): MaybePromise<RunOutcome> {
    const { lua, L } = this;
    const glue = this.glue;
    this.restoreArgs(run);
    const previous = glue.active;
    glue.active = run;
    run.sliceStart = run.host.now();
    let status: number;
    try {
      status = lua._lua_resume(thread, L, args, resultsCell(lua));
    } finally {
      glue.active = previous;
    }
    if (status === LUA_YIELD) {
      this.keepArgs(run);
      const pending = run.pending;
      run.pending = undefined;
      lua._lua_settop(thread, 0);
      if (pending !== undefined) {
        return pending.then(
          (reply) => reply,
          (error: unknown) => new ErrorReply(`ERR ${error instanceof Error ? error.message : String(error)}`),
        ).then((reply) => this.resume(thread, threadRef, run, glue.answer(thread, reply, run.resp)));
      }
      // A slice of Lua work ended: let the event loop run, then go on.
      return new Promise<void>((resolve) => setTimeout(() => resolve(), 0)).then(() => this.resume(thread, threadRef, run, 0));
    }
    const outcome = this.outcome(thread, status, run);
    this.releaseArgs(run);
    this.runs--;
    if (status === LUA_OK && this.spareThread === 0 && !run.killed && !run.timedOut) {
      // A thread whose function returned can run the next script.
      lua._lua_settop(thread, 0);
      this.spareThread = thread;
      this.spareRef = threadRef;
    } else {
      lua._luaL_unref(L, LUA_REGISTRYINDEX, threadRef);
    }
    if (this.retired && this.runs === 0) this.close();
    return outcome;
  }

  private outcome(thread: number, status: number, run: ScriptRun): RunOutcome {
    const { lua, bytes } = this;
    if (run.killed) return { kind: "killed" };
    if (run.timedOut) return { kind: "timed_out" };
    if (status !== LUA_OK) {
      // An error outside the harness's xpcall (in its handler: out of memory...).
      return { kind: "failed", message: lua._lua_type(thread, -1) === LUA_TSTRING ? bytes.readText(thread, -1) : "execution failure" };
    }
    // The harness answered (ok, value).
    const ok = lua._lua_toboolean(thread, 1) !== 0;
    if (ok) return { kind: "reply", reply: replyOfLua(bytes, thread, 2, run.resp) };
    // Errors the handler never saw (Lua skips it for "not enough memory") come as a string.
    if (lua._lua_type(thread, 2) === LUA_TSTRING) return { kind: "failed", message: bytes.readText(thread, 2) };
    if (lua._lua_type(thread, 2) !== LUA_TTABLE) return { kind: "failed", message: "execution failure" };
    lua._lua_getfield(thread, 2, bytes.cString("err"));
    const message = bytes.read(thread, -1);
    lua._lua_getfield(thread, 2, bytes.cString("line"));
    const line = lua._lua_type(thread, -1) === LUA_TNUMBER ? lua._lua_tonumberx(thread, -1, 0) : undefined;
    return { kind: "error", message, line };
  }


  /** Using a closed state would touch freed memory of the Lua heap: a bug, stopped here. */
  private assertOpen(): void {
    if (this.closed) throw new Error(`the ${this.kind} Lua state ${this.id} was used after it was closed`);
  }

  /** No longer current (SCRIPT FLUSH, libraries compiled anew): closed now, or when the last run under way ends. */
  retire(): void {
    this.retired = true;
    if (this.runs === 0) this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.lua._lua_close(this.L);
    const used = this.glue.used[this.id]!;
    this.glue.used[this.id] = 0;
    this.glue.usedTotal -= used;
    stateIds.free.push(this.id);
  }

  /**
   * Runs a library's code (FUNCTION LOAD; its `#!lua` line made a comment by
   * the caller) in the loading environment, within `timeoutMs`; the
   * functions it registered, or Redis's error text. The functions stay in
   * the state until released.
   */
  loadLibrary(code: Uint8Array, host: RunHost, timeoutMs: number): { readonly functions: RegisteredFunction[] } | { readonly error: string } {
    this.assertOpen();
    const { lua, L, bytes } = this;
    const top = lua._lua_gettop(L);
    try {
      lua._lua_rawgeti(L, LUA_REGISTRYINDEX, luaInteger(this.harness.library));
      if (lua._lua_pcallk(L, 0, 3, 0, 0, 0) !== LUA_OK) return { error: `ERR ${bytes.readText(L, -1)}` };
      const finish = lua._lua_gettop(L);
      const registered = finish - 1;
      const env = finish - 2;
      lua._lua_pushvalue(L, env);
      const envRef = lua._luaL_ref(L, LUA_REGISTRYINDEX);
      const compiled = this.compile(code, envRef);
      lua._luaL_unref(L, LUA_REGISTRYINDEX, envRef);
      if ("error" in compiled) return { error: `ERR Error compiling function: ${luaFiveOneMessage(compiled.error)}` };
      // Run the code under the harness's handler (harness.call), with the load's time limit.
      lua._lua_rawgeti(L, LUA_REGISTRYINDEX, luaInteger(this.harness.call));
      lua._lua_rawgeti(L, LUA_REGISTRYINDEX, luaInteger(compiled.ref));
      lua._luaL_unref(L, LUA_REGISTRYINDEX, compiled.ref);
      const run = new ScriptRun(host, host.now() + timeoutMs);
      const previous = this.glue.active;
      this.glue.active = run;
      let status: number;
      try {
        status = lua._lua_pcallk(L, 1, 2, 0, 0, 0);
      } finally {
        this.glue.active = previous;
      }
      if (run.timedOut) return { error: "ERR Error registering functions: ERR FUNCTION LOAD timeout" };
      if (status !== LUA_OK) return { error: `ERR Error registering functions: ERR ${bytes.readText(L, -1)}` };
      if (lua._lua_toboolean(L, -2) === 0) {
        lua._lua_getfield(L, -1, bytes.cString("err"));
        return { error: `ERR Error registering functions: ${bytes.readText(L, -1)}` };
      }
      lua._lua_settop(L, finish);
      if (lua._lua_pcallk(L, 0, 0, 0, 0, 0) !== LUA_OK) return { error: `ERR ${bytes.readText(L, -1)}` };
      return { functions: this.readRegistered(registered) };
    } finally {
      lua._lua_settop(L, top);
      // A load stopped by the hook left it firing at every instruction on the main state, which new threads inherit.
      lua._lua_sethook(L, this.glue.hook, LUA_MASKCOUNT, HOOK_INSTRUCTIONS);
    }
  }

  /** The registrations in the list at `index`: each callback kept in the registry. */
  private readRegistered(index: number): RegisteredFunction[] {
    const { lua, L, bytes } = this;
    const functions: RegisteredFunction[] = [];
    for (let i = 1; lua._lua_rawgeti(L, index, luaInteger(i)) !== 0; i++) {
      const entry = lua._lua_gettop(L);
      lua._lua_getfield(L, entry, bytes.cString("name"));
      const name = bytes.readText(L, -1);
      lua._lua_getfield(L, entry, bytes.cString("description"));
      const description = lua._lua_type(L, -1) === LUA_TSTRING ? bytes.read(L, -1) : undefined;
      lua._lua_getfield(L, entry, bytes.cString("flags"));
      const flagsIndex = lua._lua_gettop(L);
      const flags: string[] = [];
      for (let f = 1; lua._lua_rawgeti(L, flagsIndex, luaInteger(f)) === LUA_TSTRING; f++) {
        flags.push(bytes.readText(L, -1));
        lua._lua_settop(L, -2);
      }
      lua._lua_settop(L, entry);
      lua._lua_getfield(L, entry, bytes.cString("callback"));
      const ref = lua._luaL_ref(L, LUA_REGISTRYINDEX);
      functions.push({ name, ref, flags, description });
      lua._lua_settop(L, entry - 1);
    }
    return functions;
  }
}

let resultsPointer = 0;
function resultsCell(lua: LuaModule): number {
  if (resultsPointer === 0) resultsPointer = lua._malloc(4);
  return resultsPointer;
}

/** Pushes an array of strings (KEYS, ARGV). */
function pushStrings(lua: LuaModule, bytes: LuaBytes, L: number, items: readonly Uint8Array[]): void {
  lua._lua_createtable(L, items.length, 0);
  for (let i = 0; i < items.length; i++) {
    bytes.push(L, items[i]!);
    lua._lua_rawseti(L, -2, luaInteger(i + 1));
  }
}

/** Sets the value on top as the first upvalue (_ENV) of the function below it, leaving the function. */
function setUpvalue(lua: LuaModule, L: number): void {
  lua._lua_setupvalue(L, -2, 1);
}

/** Pushes the state's real global table (LUA_RIDX_GLOBALS) and answers its index. */
function pushGlobalTable(lua: LuaModule, L: number): number {
  lua._lua_rawgeti(L, LUA_REGISTRYINDEX, 2n);
  return lua._lua_gettop(L);
}
