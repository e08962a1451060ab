// The Lua virtual machine: PUC Lua 5.4 compiled to WebAssembly (the `wasmoon`
// package), used through its C API as Redis uses Lua's. One WebAssembly
// instance serves every Lua state of the process; it is loaded once, on the
// first script (25-60 ms), the same way on Bun and Deno.
//
// Strings cross the boundary as bytes (HEAPU8), never through the package's
// UTF-8 helpers, which stop at NUL and mangle binary data: scripts are
// binary-safe as Redis's are.
import { LuaWasm } from "wasmoon";

/** The raw C functions of the Lua API that Materia uses (pointers and states are numbers). */
export interface LuaModule {
  readonly HEAPU8: Uint8Array;
  readonly HEAPU32: Uint32Array;
  readonly HEAP32: Int32Array;
  _malloc(size: number): number;
  _free(pointer: number): void;
  _realloc(pointer: number, size: number): number;
  addFunction(fn: (...args: number[]) => number | void, signature: string): number;
  removeFunction(pointer: number): void;
  _lua_newstate(alloc: number, ud: number): number;
  _lua_close(L: number): void;
  _luaL_openlibs(L: number): void;
  _luaL_loadbufferx(L: number, buffer: number, size: number, name: number, mode: number): number;
  _lua_newthread(L: number): number;
  _lua_resume(L: number, from: number, nargs: number, nresults: number): number;
  _lua_yieldk(L: number, nresults: number, ctx: number, k: number): number;
  _lua_isyieldable(L: number): number;
  _lua_error(L: number): number;
  _lua_pcallk(L: number, nargs: number, nresults: number, errfunc: number, ctx: number, k: number): number;
  _lua_gettop(L: number): number;
  _lua_settop(L: number, index: number): void;
  _lua_pushvalue(L: number, index: number): void;
  _lua_rotate(L: number, index: number, n: number): void;
  _lua_xmove(from: number, to: number, n: number): void;
  _lua_checkstack(L: number, n: number): number;
  _lua_type(L: number, index: number): number;
  _lua_isinteger(L: number, index: number): number;
  _lua_tonumberx(L: number, index: number, isnum: number): number;
  _lua_tointegerx(L: number, index: number, isnum: number): bigint;
  _lua_toboolean(L: number, index: number): number;
  _lua_tolstring(L: number, index: number, len: number): number;
  _lua_rawlen(L: number, index: number): number;
  _lua_pushnil(L: number): void;
  _lua_pushnumber(L: number, n: number): void;
  _lua_pushinteger(L: number, n: bigint): void;
  _lua_pushlstring(L: number, s: number, len: number): number;
  _lua_pushboolean(L: number, b: number): void;
  _lua_pushlightuserdata(L: number, p: number): void;
  _lua_pushcclosure(L: number, fn: number, n: number): void;
  _lua_createtable(L: number, narr: number, nrec: number): void;
  _lua_rawgeti(L: number, index: number, n: bigint): number;
  _lua_rawseti(L: number, index: number, n: bigint): void;
  _lua_rawget(L: number, index: number): number;
  _lua_rawset(L: number, index: number): void;
  _lua_getfield(L: number, index: number, k: number): number;
  _lua_setfield(L: number, index: number, k: number): void;
  _lua_next(L: number, index: number): number;
  _lua_sethook(L: number, fn: number, mask: number, count: number): void;
  _lua_setupvalue(L: number, funcindex: number, n: number): number;
  _luaL_where(L: number, level: number): void;
  _luaL_ref(L: number, t: number): number;
  _luaL_unref(L: number, t: number, ref: number): void;
}

export const LUA_OK = 0;
export const LUA_YIELD = 1;

export const LUA_TNIL = 0;
export const LUA_TBOOLEAN = 1;
export const LUA_TNUMBER = 3;
export const LUA_TSTRING = 4;
export const LUA_TTABLE = 5;

export const LUA_REGISTRYINDEX = -1001000;
export const LUA_MULTRET = -1;
/** The stack index of a C closure's upvalue `i` (Lua's lua_upvalueindex). */
export function upvalueIndex(i: number): number {
  return LUA_REGISTRYINDEX - i;
}
export const LUA_MASKCOUNT = 1 << 3;

/** Lua integers for small counts, made once: a BigInt per table index or integer reply costs more than the call it feeds. */
const SMALL_INTEGERS: readonly bigint[] = Array.from({ length: 1024 }, (_, i) => BigInt(i));

/** `n` as the bigint Lua's integer parameters take. */
export function luaInteger(n: number): bigint {
  return n >= 0 && n < 1024 && Number.isInteger(n) ? SMALL_INTEGERS[n]! : BigInt(n);
}

/** Where the .wasm comes from: the package by default; a compiled binary embeds it (adapter/bun/main.ts). */
let wasmLocation: string | undefined;
let loading: Promise<LuaModule> | undefined;
let loaded: LuaModule | undefined;

/** Lets the runtime adapter supply the path of the .wasm (a single binary has no node_modules). */
export function provideLuaWasm(location: string): void {
  wasmLocation = location;
}

/** The process's Lua module, once loaded (undefined before the first script). */
export function loadedLua(): LuaModule | undefined {
  return loaded;
}

/** Loads the Lua module once. */
export function loadLua(): Promise<LuaModule> {
  loading ??= initializeCapturingExports().then(({ module, exports }) => {
    loaded = withRawExports(module as unknown as LuaModule, exports);
    return loaded;
  }, (error: unknown) => {
    loading = undefined;
    throw new Error(`could not load the Lua virtual machine (wasmoon's glue.wasm${wasmLocation === undefined ? "" : ` at ${wasmLocation}`}): ${error instanceof Error ? error.message : String(error)}`);
  });
  return loading;
}

/**
 * wasmoon's glue is an Emscripten build with assertions: each C function it
 * exports is wrapped in a checking closure that costs about a tenth of a
 * small script's time. The instance's own exports are the same functions
 * without the wrapper; they are caught as the glue instantiates the module
 * (the glue does not hand them out).
 */
async function initializeCapturingExports(): Promise<{ module: unknown; exports: WebAssembly.Exports | undefined }> {
  const seen: WebAssembly.Exports[] = [];
  const keep = (result: WebAssembly.WebAssemblyInstantiatedSource | WebAssembly.Instance): void => {
    const instance = result instanceof WebAssembly.Instance ? result : result.instance;
    if (instance !== undefined && typeof instance.exports.lua_newstate === "function") seen.push(instance.exports);
  };
  const instantiate = WebAssembly.instantiate;
  const instantiateStreaming = WebAssembly.instantiateStreaming;
  const api = WebAssembly as unknown as Record<string, unknown>;
  api.instantiate = (...args: unknown[]) =>
    (instantiate as (...a: unknown[]) => Promise<WebAssembly.WebAssemblyInstantiatedSource | WebAssembly.Instance>).apply(WebAssembly, args).then((result) => {
      keep(result);
      return result;
    });
  if (instantiateStreaming !== undefined) {
    api.instantiateStreaming = (...args: unknown[]) =>
      (instantiateStreaming as (...a: unknown[]) => Promise<WebAssembly.WebAssemblyInstantiatedSource>).apply(WebAssembly, args).then((result) => {
        keep(result);
        return result;
      });
  }
  try {
    const wasm = await LuaWasm.initialize(wasmLocation);
    return { module: wasm.module, exports: seen[0] };
  } finally {
    api.instantiate = instantiate;
    if (instantiateStreaming !== undefined) api.instantiateStreaming = instantiateStreaming;
  }
}

/** The module, its `_lua*` functions replaced by the instance's exports of the same name where they were caught. */
function withRawExports(module: LuaModule, exports: WebAssembly.Exports | undefined): LuaModule {
  if (exports === undefined) return module;
  const raw = Object.create(module) as Record<string, unknown>;
  for (const name of Object.keys(exports)) {
    const fn = exports[name];
    if (typeof fn === "function" && (name.startsWith("lua") || name === "malloc" || name === "free" || name === "realloc")) raw[`_${name}`] = fn;
  }
  return raw as unknown as LuaModule;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Byte helpers over one module: a scratch buffer in the Lua heap for strings
 * pushed from JavaScript, and a 4-byte cell for lengths read back.
 */
export class LuaBytes {
  private scratch = 0;
  private scratchSize = 0;
  private readonly lengthCell: number;
  /** C strings (NUL-terminated) made once: field names, chunk names. */
  private readonly names = new Map<string, number>();

  constructor(readonly lua: LuaModule) {
    this.lengthCell = lua._malloc(8);
  }

  /** A NUL-terminated copy of `text` in the Lua heap, kept for the process's life (for constant names only). */
  cString(text: string): number {
    let pointer = this.names.get(text);
    if (pointer === undefined) {
      const bytes = encoder.encode(text);
      pointer = this.lua._malloc(bytes.length + 1);
      this.lua.HEAPU8.set(bytes, pointer);
      this.lua.HEAPU8[pointer + bytes.length] = 0;
      this.names.set(text, pointer);
    }
    return pointer;
  }

  /** Pushes `bytes` as a Lua string (Lua copies it). */
  push(L: number, bytes: Uint8Array): void {
    const pointer = this.space(bytes.length);
    this.lua.HEAPU8.set(bytes, pointer);
    this.lua._lua_pushlstring(L, pointer, bytes.length);
  }

  /** Pushes `text`, UTF-8 encoded. */
  pushText(L: number, text: string): void {
    // One byte per char covers ASCII, the common case; longer text is encoded first.
    if (text.length < 256 && isAscii(text)) {
      const pointer = this.space(text.length);
      const heap = this.lua.HEAPU8;
      for (let i = 0; i < text.length; i++) heap[pointer + i] = text.charCodeAt(i);
      this.lua._lua_pushlstring(L, pointer, text.length);
      return;
    }
    this.push(L, encoder.encode(text));
  }

  /** A copy of the string at `index` (or of the number, converted in place as Lua does). */
  read(L: number, index: number): Uint8Array {
    const pointer = this.lua._lua_tolstring(L, index, this.lengthCell);
    const length = this.lua.HEAPU32[this.lengthCell >> 2]!;
    return this.lua.HEAPU8.slice(pointer, pointer + length);
  }

  /** The string at `index` as text (UTF-8 decoded; for messages and names). */
  readText(L: number, index: number): string {
    return decoder.decode(this.read(L, index));
  }

  /** Loads `code` as a chunk named `name` ("@user_script"), text only; pushes the function or the error message. */
  load(L: number, code: Uint8Array, name: string): number {
    const pointer = this.space(code.length);
    this.lua.HEAPU8.set(code, pointer);
    return this.lua._luaL_loadbufferx(L, pointer, code.length, this.cString(name), this.cString("t"));
  }

  private space(size: number): number {
    if (size > this.scratchSize) {
      if (this.scratch !== 0) this.lua._free(this.scratch);
      this.scratchSize = Math.max(size, 2 * this.scratchSize, 256);
      this.scratch = this.lua._malloc(this.scratchSize);
      if (this.scratch === 0) {
        this.scratchSize = 0;
        throw new Error(`the Lua heap has no room for ${size} bytes`);
      }
    }
    return this.scratch;
  }
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}
