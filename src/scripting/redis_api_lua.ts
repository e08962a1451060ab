// The Lua side of the `redis` library and of a script's run, loaded once into
// every Lua state (script_state.ts) before the sandbox closes it.
//
// Called with:
//   host     the JavaScript (C) functions of script_state.ts: call and pcall
//            (redis.call, redis.pcall), sha1hex, log, setresp, set_repl,
//            acl_check_cmd, and wrap(f, positioned, name), which puts a Lua
//            function behind a C function
//   libs     the libraries Redis loads: cjson, cmsgpack, bit, struct
//   sandbox  lua/sandbox.ts: readonly(t), environment(globals), and the guards
//            of rawset/setmetatable/getmetatable
//   version  REDIS_VERSION, and REDIS_VERSION_NUM
//   source   the chunk name of user code ("@user_script" / "@user_function")
//   compat   lua/compat.ts's handle (set_env: what load and loadstring compile into)
// Returns the harness: run(fn, keys, argv) for EVAL, call(fn, keys, args) for
// a function's callback, library() for FUNCTION LOAD, args()/setArgs() to put
// a waiting run's KEYS and ARGV back, and env, the scripts' environment.
//
// Errors are turned into `{err=..., line=...}` by xpcall's handler, where the
// stack still shows the line of user code that failed; redis.call and the
// libraries' functions are C functions, so that a tail call to them keeps
// that line, as Redis's C functions do.
export const REDIS_API_LUA = String.raw`
local host, libs, sandbox, version, versionNum, source, compat = ...
local type, error, tostring, select, xpcall, rawpcall = type, error, tostring, select, xpcall, pcall
local getinfo, debugGetmetatable = debug.getinfo, debug.getmetatable
local setmetatable, getmetatable, rawget, pairs, next, ipairs, string = setmetatable, getmetatable, rawget, pairs, next, ipairs, string

-- redis.call raises an error reply as its table (with no position), redis.pcall returns it: both are
-- C functions of the host, so the line of the script that called them is known when they fail.
local call, pcallCommand = host.call, host.pcall

local function errorReply(message)
  if type(message) ~= "string" then return { err = "ERR wrong number or type of arguments" } end
  if message:sub(1, 1) == "-" then message = message:sub(2) end
  if not message:find(" ", 1, true) then message = "ERR " .. message end
  return { err = message }
end

local function statusReply(message)
  if type(message) ~= "string" then return { err = "ERR wrong number or type of arguments" } end
  return { ok = message }
end

local REPL = { REPL_NONE = 0, REPL_AOF = 1, REPL_SLAVE = 2, REPL_REPLICA = 2, REPL_ALL = 3 }

local LOG = { LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3 }

-- The redis table of scripts (EVAL) and of functions' callbacks.
local redis = {
  call = call,
  pcall = pcallCommand,
  error_reply = errorReply,
  status_reply = statusReply,
  sha1hex = host.sha1hex,
  log = host.log,
  setresp = host.setresp,
  set_repl = host.set_repl,
  acl_check_cmd = host.acl_check_cmd,
  REDIS_VERSION = version,
  REDIS_VERSION_NUM = versionNum,
}
for name, value in pairs(REPL) do redis[name] = value end
for name, value in pairs(LOG) do redis[name] = value end
if source == "@user_script" then
  -- Redis 7 replicates effects only: this is accepted and does nothing.
  redis.replicate_commands = function() return true end
  -- The debugger's hooks (LDB): outside a debugging session they do nothing.
  redis.breakpoint = function() return false end
  redis.debug = function() end
end

-- Redis's pcall: an error raised as a table with an 'err' string answers that string.
local function scriptPcall(f, ...)
  local function unwrap(ok, ...)
    if not ok then
      local problem = ...
      if type(problem) == "table" and type(rawget(problem, "err")) == "string" then return false, problem.err end
    end
    return ok, ...
  end
  return unwrap(rawpcall(f, ...))
end

-- What scripts see as globals (Redis's allow list); everything else is absent.
local GLOBAL_NAMES = {
  "assert", "collectgarbage", "error", "gcinfo", "getmetatable", "ipairs", "load", "loadstring", "next",
  "pairs", "rawequal", "rawget", "rawset", "select", "setmetatable", "tonumber", "tostring", "type",
  "unpack", "xpcall", "_VERSION",
}
local LIBRARY_NAMES = { "string", "table", "math", "coroutine" }

local readonly = sandbox.readonly
local wrap = host.wrap
-- The libraries' functions behind C functions, as Redis's are (see wrap in script_state.ts).
for _, lib in pairs(libs) do
  for name, value in pairs(lib) do
    if type(value) == "function" then lib[name] = wrap(value, true, name) end
  end
end
local globals = {}
for _, name in ipairs(GLOBAL_NAMES) do globals[name] = _G[name] end
globals.pcall = scriptPcall
-- What each read-only proxy stands for: rawget and next see through it, as they see Redis's read-only tables.
local backingOf = setmetatable({}, { __mode = "k" })
local function shown(t)
  local proxy = readonly(t)
  backingOf[proxy] = t
  return proxy
end
for _, name in ipairs(LIBRARY_NAMES) do globals[name] = shown(_G[name]) end
for name, lib in pairs(libs) do globals[name] = shown(lib) end
globals.redis = shown(redis)
globals.rawset = wrap(sandbox.rawset, false)
globals.setmetatable = wrap(sandbox.setmetatable, false)
globals.getmetatable = sandbox.getmetatable
-- String methods reach the string library through the strings' metatable: a readonly view of it.
getmetatable("").__index = readonly(string)

-- A script's _ENV: reads go to 'backing' (a table, for speed); every assignment is refused; a missing
-- name is an error, as in Redis.
local function missingGlobal(_, name)
  error("Script attempted to access nonexistent global variable '" .. tostring(name) .. "'", 2)
end
local function refuseAssignment()
  error("Attempt to modify a readonly table", 2)
end
local function environment(backing)
  local guard = { __index = missingGlobal, __metatable = false }
  setmetatable(backing, guard)
  local env = {}
  local meta = { __index = backing, __newindex = refuseAssignment, __metatable = false }
  setmetatable(env, meta)
  backing._G = env
  sandbox.protect(env)
  return env, meta
end

-- The error of a failed run: {err=..., line=...}, line being that of the user code that was running.
local function handler(problem)
  local line
  for level = 2, 64 do
    local info = getinfo(level, "Sl")
    if info == nil then break end
    if info.source == source then
      line = info.currentline
      break
    end
  end
  local message
  if type(problem) == "table" then
    message = rawget(problem, "err")
    if type(message) ~= "string" then message = "ERR Error raised by the script as a table without an 'err' field" end
  elseif type(problem) == "number" and line ~= nil then
    -- Lua 5.1 gave a number raised by error() its position, as it does a string.
    message = "ERR " .. source:sub(2) .. ":" .. line .. ": " .. tostring(problem)
  else
    message = "ERR " .. tostring(problem)
  end
  return { err = message, line = line, table = type(problem) == "table" }
end

local harness = { globals = globals, redis = redis }
local scriptEnv, setGlobal = sandbox.environment(globals)
backingOf[scriptEnv] = debugGetmetatable(scriptEnv).__index
do
  local realRawget, realNext = rawget, next
  local function rawget(t, k) return realRawget(backingOf[t] or t, k) end
  local function next(t, k) return realNext(backingOf[t] or t, k) end
  globals.rawget = wrap(rawget, true, "rawget")
  globals.next = wrap(next, true, "next")
  setGlobal("rawget", globals.rawget)
  setGlobal("next", globals.next)
end
harness.env = scriptEnv

-- Code a script loads (load, loadstring) runs in the script's environment, from text only.
compat.set_env(scriptEnv)

-- EVAL: KEYS and ARGV are set for the run, then the body runs under the error handler.
function harness.run(fn, keys, argv)
  setGlobal("KEYS", keys)
  setGlobal("ARGV", argv)
  return xpcall(fn, handler)
end

-- KEYS and ARGV are globals of the state, shared by every run: a run that waits (a yield) and resumes
-- after another run started gets its own back (script_state.ts keeps them while it waits).
local scriptGlobals = backingOf[scriptEnv]
function harness.args()
  return rawget(scriptGlobals, "KEYS"), rawget(scriptGlobals, "ARGV")
end
function harness.setArgs(keys, argv)
  setGlobal("KEYS", keys)
  setGlobal("ARGV", argv)
end

-- A function's callback, called with (keys, args).
function harness.call(fn, keys, args)
  return xpcall(fn, handler, keys, args)
end

-- Loading a library (FUNCTION LOAD): its code sees only the loading API (register_function, log, the
-- versions; any other name is a missing global), and the callbacks it registers see the full environment
-- once they run (they share the chunk's _ENV, so the environment's backing table is switched when the
-- load ends). Returns the environment, the list the registrations go to, and finish().
local FUNCTION_FLAGS = { ["no-writes"] = true, ["allow-oom"] = true, ["allow-stale"] = true, ["no-cluster"] = true, ["allow-cross-slot-keys"] = true }
local function refuseRegistration(text)
  error({ err = "ERR " .. text }, 0)
end
local function isText(value)
  local kind = type(value)
  return kind == "string" or kind == "number"
end

function harness.library()
  local registered, seen = {}, {}
  local function register(...)
    local count = select("#", ...)
    local name, callback, flags, description
    if count == 1 then
      local spec = ...
      if type(spec) ~= "table" then
        refuseRegistration("calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).")
      end
      for key, value in pairs(spec) do
        if type(key) ~= "string" then refuseRegistration("named argument key given to redis.register_function is not a string") end
        local field = key:lower()
        if field == "function_name" then
          if not isText(value) then refuseRegistration("function_name argument given to redis.register_function must be a string") end
          name = tostring(value)
        elseif field == "description" then
          if not isText(value) then refuseRegistration("description argument given to redis.register_function must be a string") end
          description = tostring(value)
        elseif field == "callback" then
          if type(value) ~= "function" then refuseRegistration("callback argument given to redis.register_function must be a function") end
          callback = value
        elseif field == "flags" then
          if type(value) ~= "table" then refuseRegistration("flags argument to redis.register_function must be a table representing function flags") end
          flags = {}
          for _, flag in ipairs(value) do
            if type(flag) ~= "string" or not FUNCTION_FLAGS[flag] then refuseRegistration("unknown flag given") end
            flags[#flags + 1] = flag
          end
        else
          refuseRegistration("unknown argument given to redis.register_function")
        end
      end
      if name == nil then refuseRegistration("redis.register_function must get a function name argument") end
      if callback == nil then refuseRegistration("redis.register_function must get a callback argument") end
    elseif count == 2 then
      name, callback = ...
      if not isText(name) then refuseRegistration("first argument to redis.register_function must be a string") end
      name = tostring(name)
      if type(callback) ~= "function" then refuseRegistration("second argument to redis.register_function must be a function") end
    else
      refuseRegistration("wrong number of arguments to redis.register_function")
    end
    if not name:find("^[%w_]+$") then
      refuseRegistration("Library names can only contain letters, numbers, or underscores(_) and must be at least one character long")
    end
    if seen[name] then refuseRegistration("Function already exists in the library") end
    seen[name] = true
    registered[#registered + 1] = { name = name, callback = callback, flags = flags or {}, description = description }
  end
  local loadingRedis = {
    log = host.log,
    REDIS_VERSION = version,
    REDIS_VERSION_NUM = versionNum,
    register_function = register,
  }
  for name, value in pairs(LOG) do loadingRedis[name] = value end
  setmetatable(loadingRedis, { __index = missingGlobal })
  local env, meta = environment({ redis = readonly(loadingRedis) })
  local function finish()
    local full = {}
    for name, value in next, globals do full[name] = value end
    setmetatable(full, { __index = missingGlobal, __metatable = false })
    full._G = env
    meta.__index = full
  end
  return env, registered, finish
end

return harness
`;
