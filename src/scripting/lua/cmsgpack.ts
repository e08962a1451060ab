// lua-cmsgpack 0.4.0 as bundled with Redis 7.0.15 (deps/lua/src/lua_cmsgpack.c),
// rewritten as a Lua 5.4 chunk. Docs: scripting.md section 1.5.
//
// Contract: load(CMSGPACK_LUA, "=cmsgpack", "t"), call with no argument;
// returns the table pack, unpack, unpack_one, unpack_limit, _NAME
// "cmsgpack", _VERSION "lua-cmsgpack 0.4.0", _COPYRIGHT, _DESCRIPTION (the
// same keys as Redis's).
//
// Behaviour (as Redis's on x86-64):
// - pack(...) encodes each argument and concatenates; none: "bad argument #0
//   to 'pack' (MessagePack pack needs input.)".
// - Numbers: integral values in [-2^63, 2^63) use the smallest integer
//   encoding (fixnum, uint8/16/32/64 for >= 0, int8/16/32/64 below); other
//   numbers are float32 (0xca) when the float32 round trip is exact (inf
//   included), else float64 (NaN is float64).
// - A table whose keys are exactly 1..n (n >= 0, so {} too) is an array,
//   anything else a map (keys in next() order). Tables nested 16 deep pack as
//   nil; functions, userdata, threads and nil pack as nil (0xc0).
// - Strings use fixstr/str8/str16/str32. Decoding refuses bin/ext types
//   (0xc1, 0xc4-0xc9, 0xd4-0xd8) with "Bad data format in input.", truncated
//   input with "Missing bytes in input.", a nil map key with "table index is
//   nil" (no position, as Redis). uint64 wraps to signed as Redis does.
// - unpack(s) returns every value; unpack_one(s[, offset]) and
//   unpack_limit(s, limit[, offset]) return the next offset (0-based; -1 when
//   the input is consumed) first. unpack_limit(s, 0, 0) behaves as unpack.
// - Redis's 8000-slot C stack limit is reproduced: more than 7999 values at
//   once, or about 4000 nested arrays, raise its "stack overflow (...)" texts.
// - Decoded numbers are 5.1 doubles: Lua 5.4 integers when integral with
//   |v| < 1e14, floats otherwise (so 2^60 comes back as 1.1529215046068e+18).
//
// Known differences from Redis 7.0.15:
// - Map key order follows Lua 5.4's next().
// - Tail calls (return cmsgpack.unpack(s)) lose the caller's position in error
//   texts (see cjson.ts).
// - Integers beyond 2^53 packed from Lua 5.4 integers keep their exact value
//   (5.1 would have rounded them to a double first).
export const CMSGPACK_LUA = String.raw`
local type, next, error, pcall, select, rawget, rawset, tonumber, getinfo =
  type, next, error, pcall, select, rawget, rawset, tonumber, debug.getinfo
local format, byte, sub, char, spack, sunpack = string.format, string.byte, string.sub, string.char, string.pack, string.unpack
local concat, tunpack = table.concat, table.unpack
local floor, huge, mtype, tointeger, MININT = math.floor, math.huge, math.type, math.tointeger, math.mininteger

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
  if v % 1 == 0 and v > -1e14 and v < 1e14 and (v ~= 0 or 1 / v > 0) then return tointeger(v) end
  return v
end

local MAX_NESTING = 16
local STACK = 8000  -- LUAI_MAXCSTACK of Lua 5.1

-- encoding ---------------------------------------------------------------------
local function encode_int(buf, n, x)
  local s
  if x >= 0 then
    if x <= 127 then s = char(x)
    elseif x <= 0xff then s = char(0xcc, x)
    elseif x <= 0xffff then s = spack(">BI2", 0xcd, x)
    elseif x <= 0xffffffff then s = spack(">BI4", 0xce, x)
    else s = spack(">Bi8", 0xcf, x) end
  else
    if x >= -32 then s = char(x & 0xff)
    elseif x >= -128 then s = spack(">Bi1", 0xd0, x)
    elseif x >= -32768 then s = spack(">Bi2", 0xd1, x)
    elseif x >= -2147483648 then s = spack(">Bi4", 0xd2, x)
    else s = spack(">Bi8", 0xd3, x) end
  end
  n = n + 1; buf[n] = s
  return n
end

local function encode_number(buf, n, x)
  if mtype(x) == "integer" then return encode_int(buf, n, x) end
  if x % 1 == 0 and x >= -9.2233720368547758e18 and x < 9.2233720368547758e18 then
    return encode_int(buf, n, tointeger(x))
  end
  local f = spack(">f", x)
  n = n + 1
  if sunpack(">f", f) == x then buf[n] = "\202" .. f
  else buf[n] = spack(">Bd", 0xcb, x) end
  return n
end

local function encode_string(buf, n, s)
  local l = #s
  local h
  if l < 32 then h = char(0xa0 | l)
  elseif l <= 0xff then h = char(0xd9, l)
  elseif l <= 0xffff then h = spack(">BI2", 0xda, l)
  else h = spack(">BI4", 0xdb, l) end
  n = n + 1; buf[n] = h
  n = n + 1; buf[n] = s
  return n
end

local encode

local function is_array(t)
  local count, max = 0, 0
  for k in next, t do
    if type(k) ~= "number" or k <= 0 or k % 1 ~= 0 or k > 2147483647 then return false end
    if k > max then max = k end
    count = count + 1
  end
  return max == count, count
end

local function encode_table(buf, n, t, level)
  local arr, len = is_array(t)
  if arr then
    if len <= 15 then n = n + 1; buf[n] = char(0x90 | len)
    elseif len <= 0xffff then n = n + 1; buf[n] = spack(">BI2", 0xdc, len)
    else n = n + 1; buf[n] = spack(">BI4", 0xdd, len) end
    for i = 1, len do n = encode(buf, n, t[i], level + 1) end
    return n
  end
  local count = 0
  for _ in next, t do count = count + 1 end
  if count <= 15 then n = n + 1; buf[n] = char(0x80 | count)
  elseif count <= 0xffff then n = n + 1; buf[n] = spack(">BI2", 0xde, count)
  else n = n + 1; buf[n] = spack(">BI4", 0xdf, count) end
  for k, v in next, t do
    n = encode(buf, n, k, level + 1)
    n = encode(buf, n, v, level + 1)
  end
  return n
end

encode = function(buf, n, v, level)
  local t = type(v)
  if t == "table" and level == MAX_NESTING then t = "nil" end
  if t == "string" then return encode_string(buf, n, v)
  elseif t == "boolean" then n = n + 1; buf[n] = v and "\195" or "\194"; return n
  elseif t == "number" then return encode_number(buf, n, v)
  elseif t == "table" then return encode_table(buf, n, v, level)
  end
  n = n + 1; buf[n] = "\192"
  return n
end

-- decoding ---------------------------------------------------------------------
-- Errors while decoding are raised as these markers and turned into Redis's
-- texts by the API functions.
local EOF, BADFMT = {}, {}
local s, slen  -- input and its length

local decode

local function need(p, k)
  if slen - p + 1 < k then error(EOF, 0) end
end

local function stack_check(used, msg)
  if used + 1 > STACK then error("stack overflow (" .. msg .. ")", 0) end
end

local function decode_array(p, len, used)
  local t = {}
  stack_check(used + 1, "in function mp_decode_to_lua_array")
  for i = 1, len do
    local v
    v, p = decode(p, used + 2)
    t[i] = v
  end
  return t, p
end

local function decode_map(p, len, used)
  local t = {}
  for _ = 1, len do
    local k, v
    k, p = decode(p, used + 1)
    v, p = decode(p, used + 2)
    if k == nil then error({ "table index is nil" }, 0) end
    if k ~= k then error({ "table index is NaN" }, 0) end
    t[k] = v
  end
  return t, p
end

-- decode(p, used): the value at byte p (1-based) and the next position;
-- 'used' counts the C stack slots Redis would hold at this point.
decode = function(p, used)
  need(p, 1)
  stack_check(used, "too many return values at once; use unpack_one or unpack_limit instead.")
  local c = byte(s, p)
  if c <= 0x7f then return c, p + 1 end
  if c >= 0xe0 then return c - 256, p + 1 end
  if c >= 0xa0 and c <= 0xbf then
    local l = c & 0x1f
    need(p, 1 + l)
    return sub(s, p + 1, p + l), p + 1 + l
  end
  if c >= 0x90 and c <= 0x9f then return decode_array(p + 1, c & 0xf, used) end
  if c >= 0x80 and c <= 0x8f then return decode_map(p + 1, c & 0xf, used) end
  if c == 0xc0 then return nil, p + 1 end
  if c == 0xc2 then return false, p + 1 end
  if c == 0xc3 then return true, p + 1 end
  if c == 0xcc then need(p, 2); return byte(s, p + 1), p + 2 end
  if c == 0xcd then need(p, 3); return (sunpack(">I2", s, p + 1)), p + 3 end
  if c == 0xce then need(p, 5); return (sunpack(">I4", s, p + 1)), p + 5 end
  if c == 0xcf or c == 0xd3 then need(p, 9); return num((sunpack(">i8", s, p + 1)) * 1.0), p + 9 end
  if c == 0xd0 then need(p, 2); return (sunpack(">i1", s, p + 1)), p + 2 end
  if c == 0xd1 then need(p, 3); return (sunpack(">i2", s, p + 1)), p + 3 end
  if c == 0xd2 then need(p, 5); return (sunpack(">i4", s, p + 1)), p + 5 end
  if c == 0xca then need(p, 5); return num((sunpack(">f", s, p + 1))), p + 5 end
  if c == 0xcb then need(p, 9); return num((sunpack(">d", s, p + 1))), p + 9 end
  if c == 0xd9 then
    need(p, 2)
    local l = byte(s, p + 1)
    need(p, 2 + l)
    return sub(s, p + 2, p + 1 + l), p + 2 + l
  end
  if c == 0xda then
    need(p, 3)
    local l = sunpack(">I2", s, p + 1)
    need(p, 3 + l)
    return sub(s, p + 3, p + 2 + l), p + 3 + l
  end
  if c == 0xdb then
    need(p, 5)
    local l = sunpack(">I4", s, p + 1)
    need(p + 5, l)
    return sub(s, p + 5, p + 4 + l), p + 5 + l
  end
  if c == 0xdc then need(p, 3); return decode_array(p + 3, (sunpack(">I2", s, p + 1)), used) end
  if c == 0xdd then need(p, 5); return decode_array(p + 5, (sunpack(">I4", s, p + 1)), used) end
  if c == 0xde then need(p, 3); return decode_map(p + 3, (sunpack(">I2", s, p + 1)), used) end
  if c == 0xdf then need(p, 5); return decode_map(p + 5, (sunpack(">I4", s, p + 1)), used) end
  error(BADFMT, 0)
end

-- mp_unpack_full; returns count, values table
local function unpack_full(text, limit, offset)
  local len = #text
  local decode_all = limit == 0 and offset == 0
  if offset < 0 or limit < 0 then
    error(format("Invalid request to unpack with offset of %d and limit of %d.", offset, len), 0)
  elseif offset > len then
    error(format("Start offset %d greater than input length %d.", offset, len), 0)
  end
  if decode_all then limit = 2147483647 end
  s, slen = text, len
  local out, cnt = {}, 0
  local p = offset + 1
  local base = decode_all and 1 or 1  -- the argument string
  if not decode_all then out[1] = false; cnt = 1 end
  local values = 0
  while p <= len and values < limit do
    local v
    v, p = decode(p, base + values)
    values = values + 1
    cnt = cnt + 1
    out[cnt] = v
  end
  s = nil
  if not decode_all then out[1] = p > len and -1 or p - 1 end
  return cnt, out
end

local function run(text, limit, offset)
  local ok, cnt, out = pcall(unpack_full, text, limit, offset)
  if ok then return cnt, out end
  s = nil
  if cnt == EOF then return nil, "Missing bytes in input.", 2 end
  if cnt == BADFMT then return nil, "Bad data format in input.", 2 end
  if type(cnt) == "table" then return nil, cnt[1], 0 end  -- raised by the VM in Redis: no position
  return nil, cnt, 2
end

local function checkstring(lvl, i, n, v, fname)
  local t = type(v)
  if t == "string" then return v end
  if t == "number" then
    if mtype(v) == "integer" and v > -1e14 and v < 1e14 then return format("%d", v) end
    return format("%.14g", v)
  end
  argerror(lvl + 1, i, "string expected, got " .. (i > n and "no value" or t), fname)
end

local function toint(lvl, i, n, v, fname, optional)
  if v == nil and optional then return 0 end
  local x = v
  if type(x) == "string" then x = tonumber(x) end
  if type(x) ~= "number" then
    argerror(lvl + 1, i, "number expected, got " .. (i > n and "no value" or type(v)), fname)
  end
  if mtype(x) == "integer" then return x end
  if x ~= x or x >= 9.2233720368547758e18 or x < -9.2233720368547758e18 then return MININT end
  return tointeger(x >= 0 and floor(x) or -floor(-x))
end

local cmsgpack = {
  _NAME = "cmsgpack",
  _VERSION = "lua-cmsgpack 0.4.0",
  _COPYRIGHT = "Copyright (C) 2012, Salvatore Sanfilippo",
  _DESCRIPTION = "MessagePack C implementation for Lua",
}

function cmsgpack.pack(...)
  local nargs = select("#", ...)
  if nargs == 0 then argerror(1, 0, "MessagePack pack needs input.", "pack") end
  local buf, n = {}, 0
  for i = 1, nargs do
    n = encode(buf, n, (select(i, ...)), 0)
  end
  local r = concat(buf, "", 1, n)
  return r
end

function cmsgpack.unpack(...)
  local n = select("#", ...)
  local text = checkstring(1, 1, n, (...), "unpack")
  local cnt, out, level = run(text, 0, 0)
  if cnt == nil then error(out, level) end
  return tunpack(out, 1, cnt)
end

function cmsgpack.unpack_one(...)
  local n = select("#", ...)
  local text, offset = ...
  offset = toint(1, 2, n, offset, "unpack_one", true)
  text = checkstring(1, 1, n, text, "unpack_one")
  local cnt, out, level = run(text, 1, offset)
  if cnt == nil then error(out, level) end
  return tunpack(out, 1, cnt)
end

function cmsgpack.unpack_limit(...)
  local n = select("#", ...)
  local text, limit, offset = ...
  limit = toint(1, 2, n, limit, "unpack_limit", false)
  offset = toint(1, 3, n, offset, "unpack_limit", true)
  text = checkstring(1, 1, n, text, "unpack_limit")
  local cnt, out, level = run(text, limit, offset)
  if cnt == nil then error(out, level) end
  return tunpack(out, 1, cnt)
end

return cmsgpack
`;
