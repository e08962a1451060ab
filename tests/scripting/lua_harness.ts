// Test support for the Lua-side libraries (src/scripting/lua/): a wasmoon
// state set up the way the scripting glue is meant to (chunks loaded with
// mode "t" before sandboxing, compat patched, globals behind the sandbox),
// and the wrapping that lets the same snippet run there and on redis-server.
import { LuaFactory, type LuaEngine } from "wasmoon";
import { BIT_LUA } from "../../src/scripting/lua/bit.ts";
import { CJSON_LUA } from "../../src/scripting/lua/cjson.ts";
import { CMSGPACK_LUA } from "../../src/scripting/lua/cmsgpack.ts";
import { COMPAT_LUA } from "../../src/scripting/lua/compat.ts";
import { SANDBOX_LUA } from "../../src/scripting/lua/sandbox.ts";
import { STRUCT_LUA } from "../../src/scripting/lua/struct.ts";

// Builds the script environment in Lua. The chunk sources arrive as globals
// (wasmoon's string conversion is fine for them: they are ASCII).
const SETUP = String.raw`
local rawload = load
-- Each chunk runs under an environment that reads _G while it loads, then
-- refuses every global access: the chunks must capture what they use.
local locked = false
local touched = {}
LIBRARY_GLOBALS_TOUCHED = touched
local function chunk(src, name, ...)
  local genv = setmetatable({}, {
    __index = function(_, k)
      if locked then touched[#touched + 1] = name .. " read " .. tostring(k); error("global read after load: " .. tostring(k)) end
      return _G[k]
    end,
    __newindex = function(_, k)
      touched[#touched + 1] = name .. " wrote " .. tostring(k)
      error("global write: " .. tostring(k))
    end,
  })
  return assert(rawload(src, "=" .. name, "t", genv))(...)
end
-- Redis uses a NULL light userdata; any userdata stands in for it here.
local NULL = io.stdout
local cjson = chunk(CJSON_SRC, "cjson", NULL)
local cmsgpack = chunk(CMSGPACK_SRC, "cmsgpack")
local bit = chunk(BIT_SRC, "bit")
local struct = chunk(STRUCT_SRC, "struct")
local sandbox = chunk(SANDBOX_SRC, "sandbox")
local compat = chunk(COMPAT_SRC, "compat", _G)
local ro = sandbox.readonly
getmetatable("").__index = ro(string)  -- the same proxy as the global string (one per table)
local globals = {
  string = ro(string), table = ro(table), math = ro(math), coroutine = ro(coroutine),
  cjson = ro(cjson), cmsgpack = ro(cmsgpack), bit = ro(bit), struct = ro(struct),
  assert = assert, collectgarbage = collectgarbage, error = error, gcinfo = gcinfo,
  getmetatable = sandbox.getmetatable, ipairs = ipairs, load = load, loadstring = loadstring,
  next = next, pairs = pairs, pcall = pcall, rawequal = rawequal, rawget = rawget,
  rawset = sandbox.rawset, select = select, setmetatable = sandbox.setmetatable,
  tonumber = tonumber, tostring = tostring, type = type, unpack = unpack, xpcall = xpcall,
  _VERSION = _VERSION,
}
local env, set = sandbox.environment(globals)
compat.set_env(env)
locked = true
set("KEYS", {})
set("ARGV", {})
function RUN_SNIPPET(src)
  local f, err = rawload(src, "@user_script", "t", env)
  if not f then return "COMPILE: " .. err end
  local ok, r = pcall(f)
  if ok then return r end
  return "ERROR: " .. tostring(r)
end
`;

/** Loads the chunks into a fresh wasmoon state; `run(snippet)` evaluates a wrapped snippet. */
export async function luaLibrariesState(): Promise<{ engine: LuaEngine; run(script: string): string; globalsTouched(): string }> {
  const engine = await new LuaFactory().createEngine();
  engine.global.set("CJSON_SRC", CJSON_LUA);
  engine.global.set("CMSGPACK_SRC", CMSGPACK_LUA);
  engine.global.set("BIT_SRC", BIT_LUA);
  engine.global.set("STRUCT_SRC", STRUCT_LUA);
  engine.global.set("SANDBOX_SRC", SANDBOX_LUA);
  engine.global.set("COMPAT_SRC", COMPAT_LUA);
  engine.doStringSync(SETUP);
  const runSnippet = engine.global.get("RUN_SNIPPET") as (src: string) => string;
  return {
    engine,
    run: (script) => String(runSnippet(script)),
    globalsTouched: () => engine.doStringSync("return table.concat(LIBRARY_GLOBALS_TOUCHED, ', ')") as string,
  };
}

// One line of Lua put before every snippet: show() turns any values into one
// ASCII string (types for tables and functions, bytes outside 32..126 as \xNN)
// so results survive both wasmoon's string conversion and a RESP bulk reply;
// hex() is there for snippets that build binary strings.
const PRELUDE =
  "local function hex(s) return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end)) end " +
  "local function esc(s) return (string.gsub(s, '[^\\32-\\126]', function(c) return string.format('\\\\x%02x', string.byte(c)) end)) end " +
  "local function show(...) local t = {} for i = 1, select('#', ...) do local v = select(i, ...) local ty = type(v) " +
  "if ty == 'table' or ty == 'function' or ty == 'userdata' or ty == 'thread' then v = ty end t[i] = esc(tostring(v)) end " +
  "return table.concat(t, '|') end ";

/**
 * The script that runs `body` (one line of Lua, a function body that returns
 * the values to compare) and returns them as one string. Everything stays on
 * line 1, so error positions read user_script:1: on both sides.
 */
export function wrapSnippet(body: string): string {
  if (body.includes("\n")) throw new Error(`snippet must be one line: ${body}`);
  return PRELUDE + "return show((function() " + body + " end)())";
}
