// LuaBitOp 1.0 (Redis's deps/lua/src/lua_bit.c) as a Lua 5.4 chunk.
//
// Contract: load(BIT_LUA, "=bit", "t"), call with no argument; returns the
// table tobit, bnot, band, bor, bxor, lshift, rshift, arshift, rol, ror,
// bswap, tohex (the same names as Redis's `bit`).
//
// Semantics: every argument is normalised as LuaBitOp does on a double: add
// 2^52+2^51 and keep the low 32 bits of the IEEE representation (so 2^31 and
// -2^31 both give -2147483648, 1.5 rounds to 2, 2.5 to 2, and huge values give
// the same bits as on Redis). Numeric strings are converted; anything else
// raises "bad argument #N to 'NAME' (number expected, got TYPE)". Results are
// signed 32-bit, returned as Lua 5.4 integers (they print like 5.1's doubles).
//
// Known differences from Redis 7.0.15:
// - The name in "bad argument" messages is the one the caller used, as in
//   5.1, except after a tail call (return bit.band(x)), where it is the
//   canonical name and the position prefix is the tail-calling function's
//   caller's (Redis keeps the caller's line).
// - String arguments go through 5.4's tonumber, which refuses "inf"/"nan"
//   (5.1's strtod-based conversion accepts them).
// - tohex with a count of -2^31 returns "" (Redis: undefined behaviour).
export const BIT_LUA = String.raw`
local type, tonumber, error, select, getinfo = type, tonumber, error, select, debug.getinfo
local mtype, tointeger, floor = math.type, math.tointeger, math.floor
local spack, sunpack, format, sub = string.pack, string.unpack, string.format, string.sub

local function argerror(narg, extramsg, default)
  local ar = getinfo(3, "nt")
  local name = ar.name
  if ar.istailcall then name = default elseif name == nil then name = "?" end
  if ar.namewhat == "method" then
    narg = narg - 1
    if narg == 0 then error(format("calling '%s' on bad self (%s)", name, extramsg), 4) end
  end
  error(format("bad argument #%d to '%s' (%s)", narg, name, extramsg), 4)
end

local MAGIC = 6755399441055744.0  -- 2^52 + 2^51

-- LuaBitOp's barg: the low 32 bits of (n + 2^52 + 2^51) as a double, unsigned.
local function bits(n)
  if mtype(n) == "integer" then
    if n > -2251799813685248 and n < 2251799813685248 then return n & 0xffffffff end
    n = n + 0.0
  end
  if n > -2251799813685248.0 and n < 2251799813685248.0 then
    return tointeger((n + MAGIC) - MAGIC) & 0xffffffff
  end
  return (sunpack("<I4", spack("<d", n + MAGIC)))
end

local function signed(b)
  b = b & 0xffffffff
  if b >= 0x80000000 then return b - 0x100000000 end
  return b
end

-- barg for argument i of ..., distinguishing "no value" from nil
local function argn(fname, i, n, ...)
  if i > n then argerror(i, "number expected, got no value", fname) end
  local v = (select(i, ...))
  local t = type(v)
  if t == "number" then return bits(v) end
  if t == "string" then
    local x = tonumber(v)
    if x then return bits(x) end
  end
  argerror(i, "number expected, got " .. t, fname)
end

local bit = {}

function bit.tobit(...)
  local r = signed(argn("tobit", 1, select("#", ...), ...))
  return r
end

function bit.bnot(...)
  local r = signed(~argn("bnot", 1, select("#", ...), ...))
  return r
end

local function reducer(fname, op)
  return function(...)
    local n = select("#", ...)
    local b = argn(fname, 1, n, ...)
    for i = n, 2, -1 do b = op(b, argn(fname, i, n, ...)) end
    local r = signed(b)
    return r
  end
end
bit.band = reducer("band", function(a, b) return a & b end)
bit.bor = reducer("bor", function(a, b) return a | b end)
bit.bxor = reducer("bxor", function(a, b) return a ~ b end)

local function shifter(fname, op)
  return function(...)
    local n = select("#", ...)
    local b = argn(fname, 1, n, ...)
    local s = argn(fname, 2, n, ...) & 31
    local r = signed(op(b, s))
    return r
  end
end
bit.lshift = shifter("lshift", function(b, n) return b << n end)
bit.rshift = shifter("rshift", function(b, n) return b >> n end)
bit.arshift = shifter("arshift", function(b, n)
  local r = b >> n
  if b >= 0x80000000 and n > 0 then r = r | ((0xffffffff << (32 - n)) & 0xffffffff) end
  return r
end)
bit.rol = shifter("rol", function(b, n) return (b << n) | (b >> (32 - n)) end)
bit.ror = shifter("ror", function(b, n) return (b << (32 - n)) | (b >> n) end)

function bit.bswap(...)
  local b = argn("bswap", 1, select("#", ...), ...)
  b = (b >> 24) | ((b >> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24)
  local r = signed(b)
  return r
end

function bit.tohex(...)
  local argc = select("#", ...)
  local b = argn("tohex", 1, argc, ...)
  local n = 8
  if argc >= 2 then n = signed(argn("tohex", 2, argc, ...)) end
  local fmt = "%08x"
  if n < 0 then n = -n; fmt = "%08X" end
  if n > 8 then n = 8 end
  if n <= 0 then return "" end
  local r = sub(format(fmt, b), 9 - n)
  return r
end

return bit
`;
