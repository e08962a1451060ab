// Lua 5.1 behaviour that Redis scripts rely on (docs: scripting.md sections
// 1.1 and 1.6), patched onto a Lua 5.4 state.
//
// Contract: load(COMPAT_LUA, "=compat", "t"), call it with the state's global
// table _G, AFTER the other library chunks were loaded (they capture
// string.pack and math.type, which this removes) and before sandboxing.
// It patches _G in place and returns a table:
//   set_env(env)   the environment that load/loadstring give the chunks they
//                  compile (call it with the script environment of the
//                  sandbox; until then they get the _G passed in).
//   num(v)         the number normaliser used everywhere: an integral float
//                  with |v| < 1e14 becomes an integer (prints and concatenates
//                  like 5.1's doubles), anything else is returned unchanged.
//   tostring51(v)  the string 5.1 gives for a number (%.14g; integers with
//                  |v| >= 1e14 too), other values through tostring.
//   random_state() / set_random_state(x)
//                  read and write the 48-bit drand48 state (x is an integer),
//                  e.g. to reset it on SCRIPT FLUSH.
//
// What it patches:
// - _VERSION = "Lua 5.1"; globals unpack, loadstring, gcinfo; load takes only
//   a reader function (5.1); both compile text only (mode "t"); a binary chunk
//   gets 5.1's "unexpected symbol near 'char(27)'".
// - math: pow, mod, log10, atan2, cosh, sinh, tanh, frexp, ldexp added; log
//   ignores a base; floor, ceil, fmod, modf, sqrt, abs, exp, pow return
//   normalised numbers (see num); random/randomseed are Redis's drand48
//   clone with its argument rules and error texts.
// - table: getn, setn (raises "'setn' is obsolete"), maxn, foreach, foreachi;
//   concat formats numbers as 5.1 and refuses other values with Redis's text;
//   insert/remove follow 5.1 (any position, "wrong number of arguments to
//   'insert'", nothing returned out of range).
// - Integer arguments are truncated as 5.1 does instead of refused (5.4's
//   "number has no integer representation"): unpack, select, string.sub,
//   byte, rep, char ("invalid value" past 255), find, match, gsub's count;
//   find/match clamp an init past the end as 5.1; gsub turns float results of
//   a function or table replacement into 5.1 text and reads "%x" (x not a
//   digit or %) in a replacement string as x, as 5.1 does; tonumber(n, base)
//   reads the number as text.
// - string: gfind; format emulates 5.1 (%d/%i/%c/%o/%u/%x/%X truncate floats
//   and numeric strings, %s of numbers is %.14g, %s refuses non-strings,
//   %s stops at a NUL as C's sprintf, %q quotes as 5.1, %a is refused, 5.1's
//   error texts).
// - tostring prints floats with %.14g (10/2 -> "5", 1e15 -> "1e+15", nan,
//   -nan, inf, -0) and integers with |v| >= 1e14 the same way.
// - tonumber accepts inf/infinity/nan as 5.1's strtod does, and normalises.
// - removed 5.4-only names: utf8, warn, rawlen, rawequal stays, table.move,
//   table.pack, table.unpack, string.pack, string.packsize, string.unpack,
//   math.tointeger, math.type, math.ult, math.maxinteger, math.mininteger,
//   coroutine.isyieldable, coroutine.close.
//
// What stays different from Redis's Lua 5.1 (cannot be patched from Lua):
// - concatenation (..) of a float prints "5.0" (5.4's VM formats it); integer
//   literals and integer arithmetic are 64-bit integers (overflow wraps; 1 % 0
//   raises "attempt to perform 'n%%0'" where 5.1 gives nan; 10^15 as an
//   integer concatenates as "1000000000000000"); // & | ~ << >> goto and
//   integer division are accepted; pairs order differs; runtime error texts
//   differ ("attempt to index a nil value (local 'x')").
// - math.random checks nothing about "inside a script invocation".
// - ipairs/unpack/table.insert/remove honour __index/__newindex (5.1 is raw;
//   this is also what keeps them off the sandbox's readonly proxies).
// - string.rep ignores a third argument (5.4's separator) as 5.1 does; a
//   trailing lone "%" in a gsub replacement raises 5.4's error (5.1 appends NUL).
// - coroutine.running() in the main thread returns the thread (5.1: nil).
// - string.format('%5.1s', 3.5): a number under %s goes through %.14g first
//   (as 5.1 does); flags that 5.4 refuses for a conversion ('#', '+', ' ' on
//   %d/%x, anything but '-' on %c/%s) are dropped (C ignores them too).
export const COMPAT_LUA = String.raw`
local G = ...
local type, tostring, tonumber, error, select, pcall, rawget, load, getinfo, next =
  type, tostring, tonumber, error, select, pcall, rawget, load, debug.getinfo, next
local collectgarbage = collectgarbage
local math, string, table, coroutine = G.math, G.string, G.table, G.coroutine
local mtype, tointeger, floor, ceil, fmod, huge = math.type, math.tointeger, math.floor, math.ceil, math.fmod, math.huge
local sqrt, exp, log, atan, modf, abs, min, MININT = math.sqrt, math.exp, math.log, math.atan, math.modf, math.abs, math.min, math.mininteger
local format, find, sub, byte, gsub, match, rep, lower, schar = string.format, string.find, string.sub, string.byte, string.gsub, string.match, string.rep, string.lower, string.char
local spack, sunpack = string.pack, string.unpack
local tconcat, tunpack = table.concat, table.unpack
local env = G

local function argerror(lvl, narg, extramsg, default)
  local ar = getinfo(lvl + 1, "nt")
  local name = ar.name
  if ar.istailcall then name = default elseif name == nil then name = "?" end
  if ar.namewhat == "method" then
    narg = narg - 1
    if narg == 0 then error(format("calling '%s' on bad self (%s)", name, extramsg), lvl + 2) end
  end
  error(format("bad argument #%d to '%s' (%s)", narg, name, extramsg), lvl + 2)
end

local function num(v)
  if v % 1 == 0 and v > -1e14 and v < 1e14 and mtype(v) == "float" and (v ~= 0 or 1 / v > 0) then
    return tointeger(v)
  end
  return v
end

local function tostring51(v)
  if type(v) == "number" then
    if mtype(v) == "float" or v <= -1e14 or v >= 1e14 then return format("%.14g", v) end
    return format("%d", v)
  end
  return tostring(v)
end

-- 5.1's lua_str2number: strtod, which also reads inf/infinity/nan
local INF = { inf = huge, infinity = huge }
local PNAN = sunpack("<d", "\0\0\0\0\0\0\248\127")
local NNAN = sunpack("<d", "\0\0\0\0\0\0\248\255")
local function str2number(s)
  local n = tonumber(s)
  if n ~= nil then return num(n) end
  local sign, word = match(s, "^%s*([-+]?)(%a+)%s*$")
  if word == nil then
    sign, word = match(s, "^%s*([-+]?)[nN][aA][nN]%([%w_]*%)%s*$"), "nan"
    if sign == nil then return nil end
  end
  word = lower(word)
  local v = INF[word]
  if v then return sign == "-" and -v or v end
  if word == "nan" then return sign == "-" and NNAN or PNAN end
  return nil
end

-- luaL_checknumber of 5.1: numbers and numeric strings
local function checknumber(lvl, i, n, v, default)
  if type(v) == "number" then return v end
  if type(v) == "string" then
    local x = str2number(v)
    if x ~= nil then return x end
  end
  argerror(lvl + 1, i, "number expected, got " .. (i > n and "no value" or type(v)), default)
end

-- (long) cast of a double on x86-64: truncation, INT64_MIN when out of range
local function tolong(x)
  if mtype(x) == "integer" then return x end
  if x ~= x or x >= 9.2233720368547758e18 or x < -9.2233720368547758e18 then return MININT end
  return tointeger(x >= 0 and floor(x) or ceil(x))
end
local function toint32(x)
  x = tolong(x)
  return ((x + 0x80000000) & 0xffffffff) - 0x80000000
end

-- tostring, tonumber ------------------------------------------------------
G.tostring = function(...)
  if select("#", ...) == 0 then argerror(1, 1, "value expected", "tostring") end
  local v = ...
  if type(v) == "number" then return tostring51(v) end
  local s = tostring(v)
  return s
end

G.tonumber = function(...)
  local v, base = ...
  if base == nil then
    if type(v) == "string" then return str2number(v) end
    if type(v) == "number" then return v end
    if v == nil and select("#", ...) == 0 then argerror(1, 1, "value expected", "tonumber") end
    return nil
  end
  if type(v) == "number" then v = tostring51(v) end  -- 5.1 reads the number as a string
  local r = tonumber(v, base)
  return r
end

-- load, loadstring, unpack, gcinfo ---------------------------------------
-- 5.1's luaO_chunkid as its lexer calls it (MAXSRC 80), and 5.4's (LUA_IDSIZE
-- 60): syntax errors are re-labelled with 5.1's, as are 5.4's "<eof>" tokens.
local function chunkid51(source)
  local z = find(source, "\0", 1, true)
  if z then source = sub(source, 1, z - 1) end
  local c = sub(source, 1, 1)
  if c == "=" then return sub(source, 2, 80) end
  if c == "@" then
    source = sub(source, 2)
    if #source > 72 then return "..." .. sub(source, -72) end
    return source
  end
  local len = (find(source, "[\n\r]") or (#source + 1)) - 1
  if len > 63 then len = 63 end
  if len < #source then return '[string "' .. sub(source, 1, len) .. '..."]' end
  return '[string "' .. source .. '"]'
end
local function chunkid54(source)
  local c = sub(source, 1, 1)
  if c == "=" then return sub(source, 2, 60) end
  if c == "@" then
    if #source <= 60 then return sub(source, 2) end
    return "..." .. sub(source, -56)
  end
  local nl = find(source, "\n", 1, true)
  local srclen = #source
  if srclen < 45 and nl == nil then return '[string "' .. source .. '"]' end
  if nl then srclen = nl - 1 end
  if srclen > 45 then srclen = 45 end
  return '[string "' .. sub(source, 1, srclen) .. '..."]'
end
local function relabel(err, chunkname)
  local id = chunkid54(chunkname)
  if sub(err, 1, #id + 1) == id .. ":" then err = chunkid51(chunkname) .. sub(err, #id + 1) end
  return (gsub(err, "'?<eof>'?", "'<eof>'"))
end
local function compile(chunk, chunkname)
  if byte(chunk, 1) == 27 then
    return nil, chunkid51(chunkname) .. ":1: unexpected symbol near 'char(27)'"
  end
  local f, err = load(chunk, chunkname, "t", env)
  if f == nil then err = relabel(err, chunkname) end
  return f, err
end

G.loadstring = function(s, chunkname)
  if type(s) ~= "string" and type(s) ~= "number" then
    argerror(1, 1, "string expected, got " .. (s == nil and "nil" or type(s)), "loadstring")
  end
  s = tostring51(s)
  local f, err = compile(s, chunkname or s)
  if f then return f end
  return nil, err
end

G.load = function(reader, chunkname)
  if type(reader) ~= "function" then
    argerror(1, 1, "function expected, got " .. (reader == nil and "no value" or type(reader)), "load")
  end
  chunkname = chunkname or "=(load)"
  local f, err = load(reader, chunkname, "t", env)
  if f then return f end
  return nil, relabel(err, chunkname)
end

-- Integer arguments: 5.1 truncates a float (luaL_checkint/luaL_checkinteger),
-- 5.4 refuses a non-integral one, so the functions below check and truncate
-- their arguments before calling 5.4's.
local function checkint(lvl, i, n, v, default)
  if mtype(v) == "integer" then return v end
  return tolong(checknumber(lvl + 1, i, n, v, default))
end
local function optint(lvl, i, n, v, d, default)
  if v == nil then return d end
  if mtype(v) == "integer" then return v end
  return tolong(checknumber(lvl + 1, i, n, v, default))
end
local function checkstr(lvl, i, n, v, default)
  local t = type(v)
  if t == "string" then return v end
  if t == "number" then return tostring51(v) end
  argerror(lvl + 1, i, "string expected, got " .. (i > n and "no value" or t), default)
end

G.unpack = function(...)
  local n = select("#", ...)
  local t, i, j = ...
  if type(t) ~= "table" then argerror(1, 1, "table expected, got " .. (n == 0 and "no value" or type(t)), "unpack") end
  i = toint32(optint(1, 2, n, i, 1, "unpack"))
  if j == nil then j = #t else j = toint32(checkint(1, 3, n, j, "unpack")) end
  if i > j then return end
  if j - i >= 7997 then error("too many results to unpack", 2) end
  return tunpack(t, i, j)
end

G.select = function(...)
  local k = ...
  if mtype(k) == "integer" and k > 0 then return select(k + 1, ...) end
  if k == "#" or (type(k) == "string" and byte(k) == 35) then return select("#", ...) - 1 end
  local n = select("#", ...)
  k = checkint(1, 1, n, k, "select")
  if k < 0 then k = n + k elseif k > n then k = n end
  if k < 1 then argerror(1, 1, "index out of range", "select") end
  return select(k + 1, ...)
end
G.gcinfo = function() return floor(collectgarbage("count")) end
G._VERSION = "Lua 5.1"

-- math ---------------------------------------------------------------------
local function wrap1(name, f)
  return function(...)
    local n = select("#", ...)
    local x = checknumber(1, 1, n, (...), name)
    local r = num(f(x * 1.0))
    return r
  end
end
local function wrap2(name, f)
  return function(...)
    local n = select("#", ...)
    local a, b = ...
    a = checknumber(1, 1, n, a, name)
    b = checknumber(1, 2, n, b, name)
    local r = num(f(a + 0.0, b * 1.0))
    return r
  end
end
math.floor = function(...)
  local n = select("#", ...)
  local x = checknumber(1, 1, n, (...), "floor")
  local r = floor(x)
  if r <= -1e14 or r >= 1e14 then r = r + 0.0 end
  return r
end
math.ceil = function(...)
  local n = select("#", ...)
  local x = checknumber(1, 1, n, (...), "ceil")
  local r = ceil(x)
  if r <= -1e14 or r >= 1e14 then r = r + 0.0 end
  return r
end
math.abs = wrap1("abs", abs)
math.sqrt = wrap1("sqrt", sqrt)
math.exp = wrap1("exp", exp)
math.log = wrap1("log", function(x) return log(x) end)
math.log10 = wrap1("log10", function(x) return log(x, 10) end)
math.cosh = wrap1("cosh", function(x) return (exp(x) + exp(-x)) / 2 end)
math.sinh = wrap1("sinh", function(x) return (exp(x) - exp(-x)) / 2 end)
math.tanh = wrap1("tanh", function(x)
  if x > 20 then return 1.0 elseif x < -20 then return -1.0 end
  local a, b = exp(x), exp(-x)
  return (a - b) / (a + b)
end)
math.pow = wrap2("pow", function(a, b) return a ^ b end)
math.fmod = wrap2("fmod", fmod)
math.mod = wrap2("mod", fmod)
math.atan2 = wrap2("atan2", atan)
math.modf = function(...)
  local n = select("#", ...)
  local x = checknumber(1, 1, n, (...), "modf")
  local i, f = modf(x * 1.0)
  return num(i), num(f)
end

local function frexp(x)
  if x == 0 or x ~= x or x == huge or x == -huge then return x, 0 end
  local bits = sunpack("<i8", spack("<d", x))
  local e = (bits >> 52) & 0x7ff
  if e == 0 then  -- subnormal
    local m, e2 = frexp(x * 18014398509481984.0)  -- 2^54
    return m, e2 - 54
  end
  bits = (bits & ~(0x7ff << 52)) | (1022 << 52)
  return sunpack("<d", spack("<i8", bits)), e - 1022
end
math.frexp = function(...)
  local n = select("#", ...)
  local x = checknumber(1, 1, n, (...), "frexp")
  local m, e = frexp(x * 1.0)
  return num(m), e
end
math.ldexp = function(...)
  local n = select("#", ...)
  local m, e = ...
  m = checknumber(1, 1, n, m, "ldexp") + 0.0
  e = toint32(checknumber(1, 2, n, e, "ldexp"))
  while e > 1000 do m = m * 2.0 ^ 1000; e = e - 1000 end
  while e < -1000 do m = m * 2.0 ^ -1000; e = e + 1000 end
  return num(m * 2.0 ^ e)
end

-- drand48 (redis/src/rand.c): X' = (0x5DEECE66D * X + 0xB) mod 2^48
local X = 0x1234ABCD330E
local MASK48 = 0xFFFFFFFFFFFF
local function lrand48()
  X = (0x5DEECE66D * X + 0xB) & MASK48
  return X >> 17
end
math.random = function(...)
  local r = (lrand48() % 2147483647) / 2147483647.0
  local n = select("#", ...)
  if n == 0 then return r end
  if n == 1 then
    local u = toint32(checknumber(1, 1, n, (...), "random"))
    if u < 1 then argerror(1, 1, "interval is empty", "random") end
    return num(floor(r * u) + 1.0)
  end
  if n == 2 then
    local l, u = ...
    l = toint32(checknumber(1, 1, n, l, "random"))
    u = toint32(checknumber(1, 2, n, u, "random"))
    if l > u then argerror(1, 2, "interval is empty", "random") end
    local span = toint32(u - l + 1)
    return num(floor(r * span) + l * 1.0)
  end
  error("wrong number of arguments", 2)
end
math.randomseed = function(...)
  local n = select("#", ...)
  local s = toint32(checknumber(1, 1, n, (...), "randomseed"))
  X = ((s & 0xFFFFFFFF) << 16) | 0x330E
end

math.tointeger, math.type, math.ult, math.maxinteger, math.mininteger = nil, nil, nil, nil, nil

-- table ----------------------------------------------------------------------
local function checktable(lvl, i, n, t, default)
  if type(t) ~= "table" then
    argerror(lvl + 1, i, "table expected, got " .. (i > n and "no value" or type(t)), default)
  end
end
table.getn = function(...)
  local t = ...
  checktable(1, 1, select("#", ...), t, "getn")
  return #t
end
table.setn = function(...)
  local t = ...
  checktable(1, 1, select("#", ...), t, "setn")
  error("'setn' is obsolete", 2)
end
table.maxn = function(...)
  local t = ...
  checktable(1, 1, select("#", ...), t, "maxn")
  local max = 0
  for k in next, t do
    if type(k) == "number" and k > max then max = k end
  end
  return max
end
table.foreach = function(t, f)
  checktable(1, 1, 2, t, "foreach")
  for k, v in next, t do
    local r = f(k, v)
    if r ~= nil then return r end
  end
end
table.foreachi = function(t, f)
  checktable(1, 1, 2, t, "foreachi")
  for i = 1, #t do
    local r = f(i, t[i])
    if r ~= nil then return r end
  end
end
table.concat = function(...)
  local n = select("#", ...)
  local t, sep, i, j = ...
  checktable(1, 1, n, t, "concat")
  if sep == nil then sep = ""
  elseif type(sep) == "number" then sep = tostring51(sep)
  elseif type(sep) ~= "string" then argerror(1, 2, "string expected, got " .. type(sep), "concat") end
  i = i == nil and 1 or toint32(checknumber(1, 3, n, i, "concat"))
  j = j == nil and #t or toint32(checknumber(1, 4, n, j, "concat"))
  local parts, count = {}, 0
  for k = i, j do
    local v = rawget(t, k)
    local tv = type(v)
    if tv == "number" then v = tostring51(v)
    elseif tv ~= "string" then
      error(format("invalid value (%s) at index %d in table for 'concat'", tv, k), 2)
    end
    count = count + 1
    parts[count] = v
  end
  local s = tconcat(parts, sep)
  return s
end
-- 5.1's tinsert/tremove: any position (5.4 refuses those out of 1..n+1),
-- "wrong number of arguments to 'insert'", nothing returned past the end.
table.insert = function(...)
  local n = select("#", ...)
  local t, a, b = ...
  checktable(1, 1, n, t, "insert")
  local e = #t + 1
  if n == 2 then
    t[e] = a
  elseif n == 3 then
    local pos = toint32(checkint(1, 2, n, a, "insert"))
    if pos > e then e = pos end
    for i = e, pos + 1, -1 do t[i] = t[i - 1] end
    t[pos] = b
  else
    error("wrong number of arguments to 'insert'", 2)
  end
end
table.remove = function(...)
  local n = select("#", ...)
  local t, pos = ...
  checktable(1, 1, n, t, "remove")
  local e = #t
  pos = toint32(optint(1, 2, n, pos, e, "remove"))
  if e == 0 then return end
  if pos < 1 or pos > e then return end
  local v = t[pos]
  for i = pos, e - 1 do t[i] = t[i + 1] end
  t[e] = nil
  return v
end

table.move, table.pack, table.unpack = nil, nil, nil

-- string ---------------------------------------------------------------------
string.gfind = string.gmatch

string.sub = function(...)
  local n = select("#", ...)
  local s, i, j = ...
  s = checkstr(1, 1, n, s, "sub")
  i = checkint(1, 2, n, i, "sub")
  j = optint(1, 3, n, j, -1, "sub")
  local r = sub(s, i, j)
  return r
end

string.byte = function(...)
  local n = select("#", ...)
  local s, i, j = ...
  s = checkstr(1, 1, n, s, "byte")
  i = optint(1, 2, n, i, 1, "byte")
  j = optint(1, 3, n, j, i, "byte")
  return byte(s, i, j)
end

string.rep = function(...)
  local n = select("#", ...)
  local s, k = ...
  s = checkstr(1, 1, n, s, "rep")
  k = checkint(1, 2, n, k, "rep")
  local r = rep(s, k)
  return r
end

string.char = function(...)
  local n = select("#", ...)
  local codes = {}
  for i = 1, n do
    local c = toint32(checkint(1, i, n, (select(i, ...)), "char"))
    if c < 0 or c > 255 then argerror(1, i, "invalid value", "char") end
    codes[i] = c
  end
  local r = schar(tunpack(codes, 1, n))
  return r
end

-- 5.1 clamps an init past the end to the end (so an empty pattern still matches there)
local function finder(name, f)
  return function(...)
    local n = select("#", ...)
    local s, p, init, plain = ...
    s = checkstr(1, 1, n, s, name)
    p = checkstr(1, 2, n, p, name)
    init = optint(1, 3, n, init, 1, name)
    if init > #s + 1 then init = #s + 1 end
    return f(s, p, init, plain)
  end
end
string.find = finder("find", find)
string.match = finder("match", match)

local function repl_escapes(r)
  return (gsub(r, "%%(.)", function(c)
    if c == "%" or find(c, "^%d") then return "%" .. c end
    return c
  end))
end
string.gsub = function(...)
  local n = select("#", ...)
  local s, p, repl, maxn = ...
  s = checkstr(1, 1, n, s, "gsub")
  p = checkstr(1, 2, n, p, "gsub")
  local tr = type(repl)
  if tr == "number" then repl = tostring51(repl)
  elseif tr == "string" then
    if find(repl, "%", 1, true) then repl = repl_escapes(repl) end
  elseif tr == "function" then
    local f = repl
    repl = function(...)
      local v = f(...)
      if mtype(v) then return tostring51(v) end
      return v
    end
  elseif tr == "table" then
    local t = repl
    repl = function(k)
      local v = t[k]
      if mtype(v) then return tostring51(v) end
      return v
    end
  else
    argerror(1, 3, "string/function/table expected", "gsub")
  end
  if maxn == nil then return gsub(s, p, repl) end
  maxn = checkint(1, 4, n, maxn, "gsub")
  return gsub(s, p, repl, maxn)
end
string.pack, string.packsize, string.unpack = nil, nil, nil

local QUOTE = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\\n", ["\r"] = "\\r", ["\0"] = "\\000" }
local function quote51(s)
  return '"' .. gsub(s, '["\\\n\r\0]', QUOTE) .. '"'
end

local FLAGS = "-+ #0"
local DROP = { d = "[#]", i = "[#]", c = "[^-]", s = "[^-]", x = "[+ ]", X = "[+ ]", o = "[+ ]" }
local INTCONV = { d = true, i = true, c = true, o = true, u = true, x = true, X = true }
local FLOATCONV = { e = true, E = true, f = true, g = true, G = true }

-- A format string parsed once: a list of literal strings and specs
-- { flags, widthprec, conv, cfmt } (cfmt: the format given to 5.4's
-- string.format), ending with { err = message } when 5.1 would refuse a spec.
local parsed, nparsed = {}, 0
local function parse_format(fmt)
  local ops, n = {}, 0
  local pos, len = 1, #fmt
  while true do
    local pct = find(fmt, "%", pos, true)
    if pct == nil then
      if pos <= len then n = n + 1; ops[n] = sub(fmt, pos) end
      break
    end
    if pct > pos then n = n + 1; ops[n] = sub(fmt, pos, pct - 1) end
    if byte(fmt, pct + 1) == 37 then
      n = n + 1; ops[n] = "%"
      pos = pct + 2
    else
      local p = pct + 1
      while p <= len and find(FLAGS, sub(fmt, p, p), 1, true) do p = p + 1 end
      local flags = sub(fmt, pct + 1, p - 1)
      if #flags >= 6 then n = n + 1; ops[n] = { err = "invalid format (repeated flags)" }; break end
      local ws = p
      if find(fmt, "^%d", p) then p = p + 1 end
      if find(fmt, "^%d", p) then p = p + 1 end
      if sub(fmt, p, p) == "." then
        p = p + 1
        if find(fmt, "^%d", p) then p = p + 1 end
        if find(fmt, "^%d", p) then p = p + 1 end
      end
      if find(fmt, "^%d", p) then n = n + 1; ops[n] = { err = "invalid format (width or precision too long)" }; break end
      local widthprec = sub(fmt, ws, p - 1)
      local conv = sub(fmt, p, p)
      local cfmt
      if conv == "c" then
        cfmt = "%" .. gsub(flags, DROP.c, "") .. gsub(widthprec, "%..*", "") .. "c"
      elseif conv == "u" then
        cfmt = "%" .. gsub(flags, "[#+ ]", "") .. widthprec .. "d"
      elseif INTCONV[conv] or conv == "s" then
        cfmt = "%" .. gsub(flags, DROP[conv], "") .. widthprec .. conv
      elseif FLOATCONV[conv] then
        cfmt = "%" .. flags .. widthprec .. conv
      elseif conv ~= "q" then
        n = n + 1; ops[n] = { err = "invalid option '%" .. conv .. "' to 'format'" }
        break
      end
      n = n + 1; ops[n] = { flags = flags, widthprec = widthprec, conv = conv, cfmt = cfmt, dot = find(widthprec, ".", 1, true) ~= nil }
      pos = p + 1
    end
  end
  ops.n = n
  return ops
end

string.format = function(...)
  local top = select("#", ...)
  local fmt = ...
  if type(fmt) == "number" then fmt = tostring51(fmt)
  elseif type(fmt) ~= "string" then
    argerror(1, 1, "string expected, got " .. (top == 0 and "no value" or type(fmt)), "format")
  end
  local ops = parsed[fmt]
  if ops == nil then
    ops = parse_format(fmt)
    if nparsed >= 512 then parsed, nparsed = {}, 0 end
    parsed[fmt] = ops
    nparsed = nparsed + 1
  end
  local out, arg = {}, 1
  for k = 1, ops.n do
    local op = ops[k]
    if type(op) == "string" then
      out[k] = op
    else
      arg = arg + 1
      if arg > top then argerror(1, arg, "no value", "format") end
      if op.err then error(op.err, 2) end
      local conv = op.conv
      local v = select(arg, ...)
      if conv == "s" then
        local tv = type(v)
        if tv == "number" then v = tostring51(v)
        elseif tv ~= "string" then argerror(1, arg, "string expected, got " .. tv, "format") end
        if not op.dot and #v >= 100 then
          out[k] = v
        else
          local z = find(v, "\0", 1, true)
          if z then v = sub(v, 1, z - 1) end
          out[k] = format(op.cfmt, v)
        end
      elseif INTCONV[conv] then
        local x = tolong(checknumber(1, arg, top, v, "format"))
        if conv == "c" then
          out[k] = format(op.cfmt, x & 0xff)
        elseif conv == "u" and x < 0 then
          local q = (x >> 1) // 5
          local digits = format("%d%d", q, x - q * 10)
          out[k] = format("%" .. gsub(op.flags, "[^-]", "") .. gsub(op.widthprec, "%..*", "") .. "s", digits)
        else
          out[k] = format(op.cfmt, x)
        end
      elseif conv == "q" then
        if type(v) == "number" then v = tostring51(v)
        elseif type(v) ~= "string" then argerror(1, arg, "string expected, got " .. type(v), "format") end
        out[k] = quote51(v)
      else
        out[k] = format(op.cfmt, checknumber(1, arg, top, v, "format") * 1.0)
      end
    end
  end
  local r = tconcat(out, "", 1, ops.n)
  return r
end

-- removals -------------------------------------------------------------------
G.utf8, G.warn, G.rawlen = nil, nil, nil
if coroutine then coroutine.isyieldable, coroutine.close = nil, nil end

return {
  set_env = function(e) env = e end,
  num = num,
  tostring51 = tostring51,
  random_state = function() return X end,
  set_random_state = function(x) X = x & MASK48 end,
}
`;
