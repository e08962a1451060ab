// The protection of a script's globals (docs: scripting.md section 1.2), as a
// Lua 5.4 chunk. Redis 7.0 patches its Lua with a readonly flag on tables;
// PUC Lua 5.4 has none, so library tables are put behind proxies, the script's
// _ENV is an empty proxy, and rawset/setmetatable/getmetatable are wrapped so
// they cannot reach the proxied tables.
//
// Contract: load(SANDBOX_LUA, "=sandbox", "t") in a full Lua 5.4 state, call
// it with no argument; it returns a table:
//   readonly(t) -> proxy      reads go to t (the proxy's __index IS t, a table);
//                             assignment raises "Attempt to modify a readonly
//                             table" at level 2 (the assigning code's position);
//                             pairs(proxy) and #proxy see t. One proxy per
//                             table (a second call returns the same proxy);
//                             readonly(proxy) returns the proxy.
//   environment(globals) -> env, set
//                             env: the table to use as a script's _ENV; it is
//                             empty, its __index is a table G holding a copy of
//                             globals' entries plus G._G = env, and G's own
//                             __index raises "Script attempted to access
//                             nonexistent global variable 'NAME'" (level 2);
//                             any assignment to env raises the readonly error.
//                             set(name, value): writes G[name] past the
//                             protection (use it for KEYS and ARGV before each
//                             run; set(name, nil) removes).
//   rawset, setmetatable, getmetatable
//                             replacements for the globals of those names:
//                             rawset/setmetatable on a protected table (a proxy,
//                             an env, or the string metatable) raise "Attempt to
//                             modify a readonly table" without position (Redis
//                             raises it from C). getmetatable returns nil for a
//                             readonly proxy (Redis's library tables have no
//                             metatable), a readonly stand-in for an env's
//                             metatable, and a readonly view of the string
//                             metatable for strings.
//   protect(t)                marks an existing table protected for the three
//                             wrappers only (no proxy), e.g. a table whose
//                             writes are guarded some other way.
// Chunk names: load the library chunks as "=compat", "=cjson", "=cmsgpack",
// "=bit", "=struct": a write to a readonly table from their code (e.g. 5.1's
// table.insert, written in Lua by compat) raises without a position, as
// Redis's C functions do; from anything else it carries the caller's position.
// String methods: before the first script, set getmetatable("").__index to
// readonly(string) (the real metatable must stay a plain table: the VM reads
// metamethods raw); the getmetatable wrapper then hands out a readonly view.
//
// Known differences from Redis 7.0.15:
// - rawget(proxy, k) and next(proxy) see an empty table (Redis: the contents);
//   pairs, ipairs, # and indexing work.
// - A library proxy is a different table from the one it wraps (rawequal is
//   false between them); scripts only ever see the proxy.
// - getmetatable(_G) is a readonly table whose __index is a function, as in
//   Redis, but not Redis's function (calling it raises the nonexistent-global
//   error for any name).
// - Reading a missing global with rawget(_G, name) gives nil as in Redis;
//   rawget(_G, name) of a present one gives nil too (Redis: the value).
export const SANDBOX_LUA = String.raw`
local setmetatable, getmetatable, rawset, error, type, next, pairs, tostring = setmetatable, getmetatable, rawset, error, type, next, pairs, tostring

local READONLY = "Attempt to modify a readonly table"
local protected = setmetatable({}, { __mode = "k" })  -- table -> value getmetatable shows
local NONE = {}                                       -- getmetatable shows nil

-- The library chunks (loaded as "=compat", "=cjson", ...) write on behalf of a
-- C function in Redis (table.insert is C there), whose errors carry no position.
local getinfo, sub = debug.getinfo, string.sub
local LIBRARY = { ["=compat"] = true, ["=cjson"] = true, ["=cmsgpack"] = true, ["=bit"] = true, ["=struct"] = true }
local function refuse()
  local caller = getinfo(2, "S")
  if caller and LIBRARY[caller.source] then error(READONLY, 0) end
  error(READONLY, 2)
end

local proxies = setmetatable({}, { __mode = "k" })  -- table -> its proxy

local function readonly(t)
  if protected[t] ~= nil and proxies[t] == nil then
    for _, p in next, proxies do if p == t then return t end end
  end
  local existing = proxies[t]
  if existing then return existing end
  local proxy = setmetatable({}, {
    __index = t,
    __newindex = refuse,
    __pairs = function() return next, t, nil end,
    __len = function() return #t end,
    __metatable = false,
  })
  protected[proxy] = NONE
  proxies[t] = proxy
  return proxy
end

local function environment(globals)
  local G = {}
  for k, v in pairs(globals) do G[k] = v end
  local function missing(_, name)
    error("Script attempted to access nonexistent global variable '" .. tostring(name) .. "'", 2)
  end
  setmetatable(G, { __index = missing, __newindex = refuse, __metatable = false })
  local env = setmetatable({}, {
    __index = G,
    __newindex = refuse,
    __pairs = function() return next, G, nil end,
    __metatable = false,
  })
  rawset(G, "_G", env)
  protected[env] = readonly({ __index = missing, __newindex = refuse })
  protected[G] = NONE
  local function set(name, value) rawset(G, name, value) end
  return env, set
end

local function check(t)
  if protected[t] ~= nil then error(READONLY, 0) end
end

local string_mt_view
local function safe_getmetatable(v)
  if type(v) == "string" then
    if string_mt_view == nil then
      local mt = getmetatable(v)
      string_mt_view = readonly(mt)
      protected[mt] = NONE
    end
    return string_mt_view
  end
  local shown = protected[v]
  if shown ~= nil then
    if shown == NONE then return nil end
    return shown
  end
  return getmetatable(v)
end

local function safe_rawset(t, k, v)
  check(t)
  return rawset(t, k, v)
end

local function safe_setmetatable(t, mt)
  check(t)
  return setmetatable(t, mt)
end

local function protect(t)
  if protected[t] == nil then protected[t] = NONE end
  return t
end

return {
  readonly = readonly,
  environment = environment,
  rawset = safe_rawset,
  setmetatable = safe_setmetatable,
  getmetatable = safe_getmetatable,
  protect = protect,
}
`;
