// Roberto Ierusalimschy's struct library as bundled with Redis 7.0.15
// (deps/lua/src/lua_struct.c), rewritten as a Lua 5.4 chunk for an x86-64
// Redis (native little-endian, long and size_t of 8 bytes, maximum alignment 8).
//
// Contract: load(STRUCT_LUA, "=struct", "t"), call with no argument; returns
// the table pack, unpack, size.
//
// Format letters: ' ' (ignored) '>' '<' '!n' (alignment, default 8, must be a
// power of 2) 'x' (a zero byte) 'b' 'B' (1) 'h' 'H' (2) 'l' 'L' 'T' (8) 'i' 'I'
// (iN, 1..32 bytes, default 4) 'f' 'd' 'cN' (N bytes; c0: the whole string
// when packing, the previous unpacked number as the size when unpacking) 's'
// (zero-terminated). Lower case integers are signed. unpack(fmt, s[, pos])
// returns the values then the next 1-based position. The format stops at a
// NUL byte, as the C code reads a C string.
//
// Values follow the C code on x86-64: pack converts each number to a double,
// then to long (negative) or unsigned long (>= 0); bytes past the eighth are
// zero; unpack of sizes above 8 keeps the low 64 bits and sign-extends with
// the shift count taken mod 64. Unpacked numbers are 5.1 doubles, handed over
// as Lua 5.4 integers when integral with |v| < 1e14, floats otherwise.
// Error texts are Redis's: "bad argument #1 to 'pack' (invalid format option
// 'q')", "integral size 40 is larger than limit of 32", "integral size
// overflow", "alignment 3 is not a power of 2", "bad argument #N to 'pack'
// (string too short)" (N one past the string's index, as in C), "bad argument
// #2 to 'unpack' (data string too short)", "bad argument #3 to 'unpack'
// (offset must be 1 or greater)", "format 'c0' needs a previous size",
// "unfinished string in data", "bad argument #1 to 'size' (option 's' has no
// fixed size)".
//
// Known differences from Redis 7.0.15:
// - Tail calls (return struct.unpack(...)) lose the caller's position in error
//   texts (see cjson.ts).
// - No "too many results" limit (Redis: about 8000 values).
// - A negative offset to unpack gives "data string too short" as in Redis,
//   except with a format that reads nothing, where Redis returns the offset.
export const STRUCT_LUA = String.raw`
local type, error, pcall, select, tonumber, getinfo = type, error, pcall, select, tonumber, debug.getinfo
local format, byte, sub, find, char, rep, spack, sunpack =
  string.format, string.byte, string.sub, string.find, string.char, string.rep, string.pack, string.unpack
local concat, tunpack, tpack = table.concat, table.unpack, table.pack
local floor, mtype, tointeger, MININT = math.floor, math.type, math.tointeger, math.mininteger

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

-- internal failures, turned into Redis's errors by the API functions
local function argfail(n, msg) error({ arg = n, msg = msg }, 0) end
local function fail(msg) error({ msg = msg }, 0) end

local MAXINTSIZE, MAXALIGN = 32, 8
local BIG, LITTLE = 0, 1

local function tostr(v)
  if type(v) == "string" then return v end
  if type(v) == "number" then
    if mtype(v) == "integer" and v > -1e14 and v < 1e14 then return format("%d", v) end
    return format("%.14g", v)
  end
  return nil
end

local function tonum(v)
  if type(v) == "number" then return v * 1.0 end
  if type(v) == "string" then
    local x = tonumber(v)
    if x then return x * 1.0 end
  end
  return nil
end

-- b_pack pushes a nil mark above its arguments: the first missing one is "nil"
local function missing(args, i)
  if i <= args.n or (args.mark and i == args.n + 1) then return type(args[i]) end
  return "no value"
end

local function checknumber(args, i)
  local x = tonum(args[i])
  if x == nil then
    argfail(i, "number expected, got " .. missing(args, i))
  end
  return x
end

local function checkstring(args, i)
  local x = tostr(args[i])
  if x == nil then
    argfail(i, "string expected, got " .. missing(args, i))
  end
  return x
end

-- getnum: digits at fmt[i..]; returns value, next i
local function getnum(fmt, i, df)
  local d = byte(fmt, i)
  if d == nil or d < 48 or d > 57 then return df, i end
  local a = 0
  repeat
    local digit = d - 48
    if a > 214748364 or a * 10 > 2147483647 - digit then fail("integral size overflow") end
    a = a * 10 + digit
    i = i + 1
    d = byte(fmt, i)
  until d == nil or d < 48 or d > 57
  return a, i
end

local SIZES = { B = 1, b = 1, H = 2, h = 2, L = 8, l = 8, T = 8, f = 4, d = 8, x = 1 }
local function optsize(opt, fmt, i)
  local s = SIZES[opt]
  if s then return s, i end
  if opt == "c" then return getnum(fmt, i, 1) end
  if opt == "i" or opt == "I" then
    local sz
    sz, i = getnum(fmt, i, 4)
    if sz > MAXINTSIZE then fail(format("integral size %d is larger than limit of %d", sz, MAXINTSIZE)) end
    return sz, i
  end
  return 0, i
end

local function gettoalign(len, h, opt, size)
  if size == 0 or opt == "c" then return 0 end
  if size > h.align then size = h.align end
  return (size - (len & (size - 1))) & (size - 1)
end

local function controloptions(opt, fmt, i, h)
  if opt == " " then return i end
  if opt == ">" then h.endian = BIG; return i end
  if opt == "<" then h.endian = LITTLE; return i end
  if opt == "!" then
    local a
    a, i = getnum(fmt, i, MAXALIGN)
    if not (a > 0 and (a & (a - 1)) == 0) then fail(format("alignment %d is not a power of 2", a)) end
    h.align = a
    return i
  end
  argfail(1, format("invalid format option '%s'", opt))
end

local INTEGER = { b = true, B = true, h = true, H = true, l = true, L = true, T = true, i = true, I = true }

local function cstring(fmt)
  local z = find(fmt, "\0", 1, true)
  if z then return sub(fmt, 1, z - 1) end
  return fmt
end

-- double -> unsigned 64-bit bits as x86-64's casts give them
local function tobits(n)
  if n < 0 then
    if n < -9.2233720368547758e18 then return MININT end
    return tointeger(-floor(-n))
  end
  if n >= 9.2233720368547758e18 then
    if n >= 1.8446744073709552e19 then return 0 end
    return tointeger(floor(n - 9.2233720368547758e18)) | MININT
  end
  if n ~= n then return MININT end
  return tointeger(floor(n))
end

local function putinteger(buf, nb, n, endian, size)
  local v = tobits(n)
  local bytes = {}
  for k = 1, size do
    bytes[k] = k <= 8 and ((v >> (8 * (k - 1))) & 0xff) or 0
  end
  if endian == BIG then
    for k = size, 1, -1 do nb = nb + 1; buf[nb] = char(bytes[k]) end
  else
    for k = 1, size do nb = nb + 1; buf[nb] = char(bytes[k]) end
  end
  return nb
end

local function pack_impl(args)
  local fmt = cstring(checkstring(args, 1))
  args.mark = true
  local h = { endian = LITTLE, align = 1 }
  local arg = 2
  local total = 0
  local buf, nb = {}, 0
  local i = 1
  while i <= #fmt do
    local opt = sub(fmt, i, i)
    i = i + 1
    local size
    size, i = optsize(opt, fmt, i)
    local toalign = gettoalign(total, h, opt, size)
    total = total + toalign
    if toalign > 0 then nb = nb + 1; buf[nb] = rep("\0", toalign) end
    if INTEGER[opt] then
      local n = checknumber(args, arg); arg = arg + 1
      nb = putinteger(buf, nb, n, h.endian, size)
    elseif opt == "x" then
      nb = nb + 1; buf[nb] = "\0"
    elseif opt == "f" then
      local n = checknumber(args, arg); arg = arg + 1
      nb = nb + 1; buf[nb] = spack(h.endian == BIG and ">f" or "<f", n)
    elseif opt == "d" then
      local n = checknumber(args, arg); arg = arg + 1
      nb = nb + 1; buf[nb] = spack(h.endian == BIG and ">d" or "<d", n)
    elseif opt == "c" or opt == "s" then
      local s = checkstring(args, arg); arg = arg + 1
      local l = #s
      if size == 0 then size = l end
      if l < size then argfail(arg, "string too short") end
      nb = nb + 1; buf[nb] = sub(s, 1, size)
      if opt == "s" then nb = nb + 1; buf[nb] = "\0"; size = size + 1 end
    else
      i = controloptions(opt, fmt, i, h)
    end
    total = total + size
  end
  return concat(buf, "", 1, nb)
end

local function getinteger(data, pos, endian, issigned, size)
  local l = 0
  if endian == BIG then
    for k = 0, size - 1 do l = (l << 8) | byte(data, pos + k) end
  else
    for k = size - 1, 0, -1 do l = (l << 8) | byte(data, pos + k) end
  end
  if not issigned then
    return (l >> 32) * 4294967296.0 + (l & 0xffffffff)
  end
  local mask = -1 << ((size * 8 - 1) & 63)
  if l & mask ~= 0 then l = l | mask end
  return l + 0.0
end

local function unpack_impl(args)
  local fmt = cstring(checkstring(args, 1))
  local data = checkstring(args, 2)
  local ld = #data
  local pos = 1
  if args[3] ~= nil then
    pos = checknumber(args, 3)
    pos = tobits(pos)
  end
  if pos == 0 then argfail(3, "offset must be 1 or greater") end
  local upos = pos - 1  -- 0-based; a negative value stands for a huge size_t
  local h = { endian = LITTLE, align = 1 }
  local out, n = {}, 0
  local i = 1
  while i <= #fmt do
    local opt = sub(fmt, i, i)
    i = i + 1
    local size
    size, i = optsize(opt, fmt, i)
    upos = upos + gettoalign(upos, h, opt, size)
    if not (size <= ld and upos >= 0 and upos <= ld - size) then argfail(2, "data string too short") end
    if INTEGER[opt] then
      local issigned = opt == "b" or opt == "h" or opt == "l" or opt == "i"
      n = n + 1; out[n] = num(getinteger(data, upos + 1, h.endian, issigned, size))
    elseif opt == "x" then
      -- nothing
    elseif opt == "f" then
      n = n + 1; out[n] = num((sunpack(h.endian == BIG and ">f" or "<f", data, upos + 1)))
    elseif opt == "d" then
      n = n + 1; out[n] = num((sunpack(h.endian == BIG and ">d" or "<d", data, upos + 1)))
    elseif opt == "c" then
      if size == 0 then
        local prev = n > 0 and tonum(out[n]) or nil
        if prev == nil then fail("format 'c0' needs a previous size") end
        size = tobits(prev)
        out[n] = nil; n = n - 1
        if not (size >= 0 and size <= ld and upos <= ld - size) then argfail(2, "data string too short") end
      end
      n = n + 1; out[n] = sub(data, upos + 1, upos + size)
    elseif opt == "s" then
      local e = find(data, "\0", upos + 1, true)
      if e == nil then fail("unfinished string in data") end
      size = e - (upos + 1) + 1
      n = n + 1; out[n] = sub(data, upos + 1, e - 1)
    else
      i = controloptions(opt, fmt, i, h)
    end
    upos = upos + size
  end
  n = n + 1; out[n] = upos + 1
  return out, n
end

local function size_impl(args)
  local fmt = cstring(checkstring(args, 1))
  local h = { endian = LITTLE, align = 1 }
  local pos = 0
  local i = 1
  while i <= #fmt do
    local opt = sub(fmt, i, i)
    i = i + 1
    local size
    size, i = optsize(opt, fmt, i)
    pos = pos + gettoalign(pos, h, opt, size)
    if opt == "s" then argfail(1, "option 's' has no fixed size")
    elseif opt == "c" and size == 0 then argfail(1, "option 'c0' has no fixed size") end
    if not find(opt, "^%w") then i = controloptions(opt, fmt, i, h) end
    pos = pos + size
  end
  return pos
end

local function raise(e, fname)
  -- called from the API function: argerror's level 2 is the API function
  if type(e) == "table" then
    if e.arg then argerror(2, e.arg, e.msg, fname) end
    error(e.msg, 3)
  end
  error(e, 3)
end

local struct = {}

function struct.pack(...)
  local ok, r = pcall(pack_impl, tpack(...))
  if not ok then raise(r, "pack") end
  return r
end

function struct.unpack(...)
  local ok, out, n = pcall(unpack_impl, tpack(...))
  if not ok then raise(out, "unpack") end
  return tunpack(out, 1, n)
end

function struct.size(...)
  local ok, r = pcall(size_impl, tpack(...))
  if not ok then raise(r, "size") end
  return r
end

return struct
`;
