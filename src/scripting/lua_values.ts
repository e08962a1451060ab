// Conversions between replies and Lua values, exactly as Redis 7 makes them
// (notes/scripting.md §2): a command's reply becomes the Lua value redis.call
// returns, and a script's return value becomes the reply its caller gets.
import {
  BigNumberReply,
  BooleanReply,
  DoubleReply,
  ErrorReply,
  MapReply,
  NullArray,
  PairsReply,
  type Reply,
  SetReply,
  SimpleString,
  VerbatimReply,
} from "../resp/reply.ts";
import { formatDouble } from "../resp/writer.ts";
import {
  type LuaBytes,
  LUA_TBOOLEAN,
  LUA_TNUMBER,
  LUA_TSTRING,
  LUA_TTABLE,
  luaInteger,
} from "./lua_runtime.ts";
import { formatG17 } from "./number_format.ts";

/** Nesting beyond this answers an error rather than walking on (a table that contains itself). */
const MAX_DEPTH = 1000;
const INT64_MIN = -(2n ** 63n);

/** The protocol a script asked for with redis.setresp: the shape of what redis.call returns, and of booleans it returns. */
export type ScriptProtocol = 2 | 3;

/** Pushes `reply` onto L's stack as redis.call returns it at protocol `resp`. */
export function pushReply(bytes: LuaBytes, L: number, reply: Reply, resp: ScriptProtocol): void {
  const lua = bytes.lua;
  if (reply instanceof Uint8Array) return bytes.push(L, reply);
  switch (typeof reply) {
    case "string":
      return bytes.pushText(L, reply);
    case "number":
      return lua._lua_pushinteger(L, luaInteger(reply));
    case "bigint":
      return lua._lua_pushinteger(L, reply);
  }
  if (reply === null || reply instanceof NullArray) {
    if (resp === 3) lua._lua_pushnil(L);
    else lua._lua_pushboolean(L, 0);
    return;
  }
  lua._lua_checkstack(L, 4);
  if (Array.isArray(reply)) return pushArray(bytes, L, reply as readonly Reply[], resp);
  if (reply instanceof SimpleString) return pushField(bytes, L, "ok", reply.text);
  if (reply instanceof ErrorReply) return pushErrorTable(bytes, L, reply);
  if (reply instanceof MapReply || reply instanceof PairsReply) {
    const pairs = reply instanceof MapReply ? reply.entries : reply.pairs;
    if (resp === 2) return pushArray(bytes, L, pairs.flat(), resp);
    if (reply instanceof PairsReply) return pushArray(bytes, L, pairs.map(([a, b]) => [a, b]), resp);
    lua._lua_createtable(L, 0, 1);
    lua._lua_createtable(L, 0, pairs.length);
    for (const [field, value] of pairs) {
      pushReply(bytes, L, field, resp);
      pushReply(bytes, L, value, resp);
      lua._lua_rawset(L, -3);
    }
    lua._lua_setfield(L, -2, bytes.cString("map"));
    return;
  }
  if (reply instanceof SetReply) {
    if (resp === 2) return pushArray(bytes, L, reply.items, resp);
    lua._lua_createtable(L, 0, 1);
    lua._lua_createtable(L, 0, reply.items.length);
    for (const item of reply.items) {
      pushReply(bytes, L, item, resp);
      lua._lua_pushboolean(L, 1);
      lua._lua_rawset(L, -3);
    }
    lua._lua_setfield(L, -2, bytes.cString("set"));
    return;
  }
  if (reply instanceof DoubleReply) {
    if (resp === 2) return bytes.pushText(L, reply.text ?? formatDouble(reply.value));
    lua._lua_createtable(L, 0, 1);
    lua._lua_pushnumber(L, reply.value);
    lua._lua_setfield(L, -2, bytes.cString("double"));
    return;
  }
  if (reply instanceof BooleanReply) {
    if (resp === 2) return lua._lua_pushinteger(L, reply.value ? 1n : 0n);
    return lua._lua_pushboolean(L, reply.value ? 1 : 0);
  }
  if (reply instanceof VerbatimReply) {
    if (resp === 2) return bytes.pushText(L, reply.text);
    lua._lua_createtable(L, 0, 1);
    lua._lua_createtable(L, 0, 2);
    bytes.pushText(L, reply.format);
    lua._lua_setfield(L, -2, bytes.cString("format"));
    bytes.pushText(L, reply.text);
    lua._lua_setfield(L, -2, bytes.cString("string"));
    lua._lua_setfield(L, -2, bytes.cString("verbatim_string"));
    return;
  }
  // Push frames and multi-frame replies come only from (un)subscribing, which scripts may not run.
  lua._lua_pushboolean(L, 0);
}

function pushArray(bytes: LuaBytes, L: number, items: readonly Reply[], resp: ScriptProtocol): void {
  const lua = bytes.lua;
  lua._lua_createtable(L, items.length, 0);
  for (let i = 0; i < items.length; i++) {
    pushReply(bytes, L, items[i]!, resp);
    lua._lua_rawseti(L, -2, luaInteger(i + 1));
  }
}

function pushField(bytes: LuaBytes, L: number, field: string, text: string): void {
  bytes.lua._lua_createtable(L, 0, 1);
  bytes.pushText(L, text);
  bytes.lua._lua_setfield(L, -2, bytes.cString(field));
}

/** The `{err = "CODE message"}` table an error reply becomes. */
export function pushErrorTable(bytes: LuaBytes, L: number, reply: ErrorReply): void {
  bytes.lua._lua_createtable(L, 0, 1);
  if (reply.raw !== undefined) bytes.push(L, reply.raw);
  else bytes.pushText(L, reply.message);
  bytes.lua._lua_setfield(L, -2, bytes.cString("err"));
}

/** What the script's returned value (at `index` of L) answers its caller; `resp` is the script's redis.setresp. */
export function replyOfLua(bytes: LuaBytes, L: number, index: number, resp: ScriptProtocol): Reply {
  return convert(bytes, L, absolute(bytes, L, index), resp, 0);
}

function absolute(bytes: LuaBytes, L: number, index: number): number {
  return index > 0 ? index : bytes.lua._lua_gettop(L) + 1 + index;
}

function convert(bytes: LuaBytes, L: number, index: number, resp: ScriptProtocol, depth: number): Reply {
  const lua = bytes.lua;
  switch (lua._lua_type(L, index)) {
    case LUA_TSTRING:
      return bytes.read(L, index);
    case LUA_TNUMBER:
      return integerOf(bytes, L, index);
    case LUA_TBOOLEAN: {
      const value = lua._lua_toboolean(L, index) !== 0;
      if (resp === 3) return new BooleanReply(value);
      return value ? 1 : null;
    }
    case LUA_TTABLE:
      if (depth >= MAX_DEPTH) return new ErrorReply("ERR reached lua stack limit");
      lua._lua_checkstack(L, 4);
      return tableReply(bytes, L, index, resp, depth);
    default:
      return null;
  }
}

/** Numbers reach the client as integers, truncated toward zero; what has none (NaN, infinities, too large) is INT64_MIN. */
function integerOf(bytes: LuaBytes, L: number, index: number): number | bigint {
  const lua = bytes.lua;
  if (lua._lua_isinteger(L, index) !== 0) {
    const value = lua._lua_tointegerx(L, index, 0);
    return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
  }
  const value = lua._lua_tonumberx(L, index, 0);
  if (!Number.isFinite(value) || value >= 2 ** 63 || value < -(2 ** 63)) return INT64_MIN;
  const truncated = Math.trunc(value);
  return Number.isSafeInteger(truncated) ? (truncated === 0 ? 0 : truncated) : BigInt(truncated);
}

const decoder = new TextDecoder();

/** An error reply of a script's `{err = ...}`: its bytes as they are (binary-safe), CR and LF as spaces, as Redis sends them. */
function errorOf(raw: Uint8Array): ErrorReply {
  for (let i = 0; i < raw.length; i++) if (raw[i] === 13 || raw[i] === 10) raw[i] = 32;
  return new ErrorReply(decoder.decode(raw), raw);
}

/** Reads t[field] (raw: no metamethod runs outside the script's protected call); leaves it on the stack. */
function rawField(bytes: LuaBytes, L: number, index: number, field: string): number {
  bytes.pushText(L, field);
  return bytes.lua._lua_rawget(L, index);
}

function tableReply(bytes: LuaBytes, L: number, index: number, resp: ScriptProtocol, depth: number): Reply {
  const lua = bytes.lua;
  const top = lua._lua_gettop(L);
  try {
    if (rawField(bytes, L, index, "err") === LUA_TSTRING) return errorOf(bytes.read(L, -1));
    lua._lua_settop(L, top);
    if (rawField(bytes, L, index, "ok") === LUA_TSTRING) return new SimpleString(decoder.decode(bytes.read(L, -1)).replace(/[\r\n]/g, " "));
    lua._lua_settop(L, top);
    if (rawField(bytes, L, index, "double") === LUA_TNUMBER) {
      const value = lua._lua_tonumberx(L, -1, 0);
      return new DoubleReply(value, formatG17(value));
    }
    lua._lua_settop(L, top);
    if (rawField(bytes, L, index, "big_number") === LUA_TSTRING) return new BigNumberReply(bytes.readText(L, -1).replace(/[\r\n]/g, " "));
    lua._lua_settop(L, top);
    if (rawField(bytes, L, index, "verbatim_string") === LUA_TTABLE) {
      const inner = lua._lua_gettop(L);
      const format = rawField(bytes, L, inner, "format") === LUA_TSTRING ? bytes.readText(L, -1) : undefined;
      lua._lua_settop(L, inner);
      const text = rawField(bytes, L, inner, "string") === LUA_TSTRING ? bytes.readText(L, -1) : undefined;
      if (format !== undefined && text !== undefined) return new VerbatimReply(text, format);
    }
    lua._lua_settop(L, top);
    if (rawField(bytes, L, index, "map") === LUA_TTABLE) {
      const map = lua._lua_gettop(L);
      const entries: [Reply, Reply][] = [];
      lua._lua_pushnil(L);
      while (lua._lua_next(L, map) !== 0) {
        const value = convert(bytes, L, lua._lua_gettop(L), resp, depth + 1);
        const key = convert(bytes, L, lua._lua_gettop(L) - 1, resp, depth + 1);
        entries.push([key, value]);
        lua._lua_settop(L, -2);
      }
      return new MapReply(entries);
    }
    lua._lua_settop(L, top);
    if (rawField(bytes, L, index, "set") === LUA_TTABLE) {
      const set = lua._lua_gettop(L);
      const items: Reply[] = [];
      lua._lua_pushnil(L);
      while (lua._lua_next(L, set) !== 0) {
        items.push(convert(bytes, L, lua._lua_gettop(L) - 1, resp, depth + 1));
        lua._lua_settop(L, -2);
      }
      return new SetReply(items);
    }
    lua._lua_settop(L, top);
    // An array: t[1], t[2]... up to the first nil, at every depth.
    const items: Reply[] = [];
    for (let i = 1; ; i++) {
      if (lua._lua_rawgeti(L, index, luaInteger(i)) === 0) break;
      items.push(convert(bytes, L, lua._lua_gettop(L), resp, depth + 1));
      lua._lua_settop(L, top);
    }
    return items;
  } finally {
    lua._lua_settop(L, top);
  }
}
