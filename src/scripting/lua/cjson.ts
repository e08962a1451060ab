// Lua CJSON 2.1.0 as bundled with Redis 7.0.15 (deps/lua/src/lua_cjson.c,
// fpconv.c), rewritten as a Lua 5.4 chunk. Docs: scripting.md section 1.5.
//
// Contract: load(CJSON_LUA, "=cjson", "t"), call it with one argument, the
// value that stands for JSON null (Redis: a NULL light userdata; any value
// that is not a table, e.g. a light userdata the glue pushes, works). It
// returns the cjson table:
//   encode(v), decode(s), null, new(), _NAME "cjson", _VERSION "2.1.0",
//   encode_sparse_array([convert[, ratio[, safe]]]), encode_max_depth([n]),
//   decode_max_depth([n]), encode_number_precision([n]),
//   encode_keep_buffer([on]), encode_invalid_numbers([on|off|"null"]),
//   decode_invalid_numbers([on])
// (the same keys as Redis's cjson). Settings live in the table's closures, so
// they persist until the chunk is run again (SCRIPT FLUSH). new() returns an
// independent table with default settings and the same null.
//
// Behaviour (as Redis's): numbers encode with %.<precision>g (14 by
// default); NaN/Inf refused unless encode_invalid_numbers; an empty table
// encodes as {}; tables whose keys are all positive integers are arrays
// (holes become null) unless excessively sparse (max > safe and max >
// ratio * count: error, or an object with encode_sparse_array(true));
// mixed keys give an object with numeric keys as strings; "/" is escaped as
// "\/", control bytes as \uXXXX (\b \t \n \f \r short), 0x7f as \u007f,
// bytes >= 0x80 raw. Decoding accepts what strtod accepts for numbers when
// decode_invalid_numbers is on (hex, inf, nan, leading zeros, "+"), stops at
// a NUL byte as the C code does, and returns every number as 5.1 would hold
// it (a double): as a Lua 5.4 integer when integral with |v| < 1e14 (so it
// prints and concatenates as in 5.1), else as a float. Error texts and
// "at character N" positions are Redis's, prefixed with the caller's position.
//
// Known differences from Redis 7.0.15:
// - Object key order follows Lua 5.4's next(), not 5.1's.
// - Called in tail position (return cjson.encode(x)), an error carries the
//   position of the tail-calling function's caller (none for a script's main
//   chunk), not the line of the return; bad-argument names are the canonical
//   ones there.
// - encode_max_depth/decode_max_depth above ~2600: Redis fails earlier with
//   its C stack check; this chunk honours the setting.
// - Strings with invalid UTF-8 after \u escapes, surrogates etc. follow the C
//   code; encode_keep_buffer only stores the flag.
export const CJSON_LUA = String.raw`
local NULL = ...
local type, next, error, pcall, select, rawget, rawset, tonumber, setmetatable, getinfo =
  type, next, error, pcall, select, rawget, rawset, tonumber, setmetatable, debug.getinfo
local format, byte, sub, find, gsub, char, lower, match, rep = string.format, string.byte, string.sub, string.find, string.gsub, string.char, string.lower, string.match, string.rep
local concat = table.concat
local floor, huge, mtype, tointeger, MININT = math.floor, math.huge, math.type, math.tointeger, math.mininteger
local spack, sunpack = string.pack, string.unpack
local INT_MAX = 2147483647

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

local PNAN = sunpack("<d", "\0\0\0\0\0\0\248\127")
local NNAN = sunpack("<d", "\0\0\0\0\0\0\248\255")

-- strtod: the longest prefix of s at pos that C's strtod reads; returns value, next pos
local function strtod(s, pos)
  local p = pos
  local neg = false
  local c = sub(s, p, p)
  if c == "+" or c == "-" then neg = c == "-"; p = p + 1 end
  local word = lower(sub(s, p, p + 7))
  if sub(word, 1, 3) == "inf" then
    local e = p + 3
    if word == "infinity" then e = p + 8 end
    return neg and -huge or huge, e
  elseif sub(word, 1, 3) == "nan" then
    local e = p + 3
    local _, q = find(s, "^%([%w_]*%)", e)
    if q then e = q + 1 end
    return neg and NNAN or PNAN, e
  end
  local hx = match(s, "^0[xX]()", p)
  if hx then
    local m, mend = match(s, "^(%x*%.?%x*)()", hx)
    if m ~= "" and m ~= "." then
      local ex = match(s, "^[pP][-+]?%d+()", mend)
      local text = sub(s, p, (ex or mend) - 1)
      if not ex then text = text .. "p0" end
      local v = tonumber("0x" .. sub(text, 3))
      if neg then v = -v end
      return v, ex or mend
    end
    return neg and -0.0 or 0.0, p + 1
  end
  local m, mend = match(s, "^(%d*%.?%d*)()", p)
  if m == "" or m == "." then return nil, pos end
  local ex = match(s, "^[eE][-+]?%d+()", mend)
  local e = ex or mend
  local v = tonumber(sub(s, p, e - 1)) + 0.0
  if neg then v = -v end
  return v, e
end

local ESCAPE = {
  ["\""] = "\\\"", ["\\"] = "\\\\", ["/"] = "\\/", ["\b"] = "\\b", ["\t"] = "\\t",
  ["\n"] = "\\n", ["\f"] = "\\f", ["\r"] = "\\r", ["\127"] = "\\u007f",
}
for i = 0, 31 do
  local c = char(i)
  if ESCAPE[c] == nil then ESCAPE[c] = format("\\u%04x", i) end
end

local TOKEN_NAME = {
  "T_OBJ_BEGIN", "T_OBJ_END", "T_ARR_BEGIN", "T_ARR_END", "T_STRING", "T_NUMBER",
  "T_BOOLEAN", "T_NULL", "T_COLON", "T_COMMA", "T_END", "T_WHITESPACE", "T_ERROR", "T_UNKNOWN",
}
local T_OBJ_BEGIN, T_OBJ_END, T_ARR_BEGIN, T_ARR_END, T_STRING, T_NUMBER, T_BOOLEAN, T_NULL, T_COLON, T_COMMA, T_END, T_ERROR =
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13
local SINGLE = {
  [123] = T_OBJ_BEGIN, [125] = T_OBJ_END, [91] = T_ARR_BEGIN, [93] = T_ARR_END,
  [58] = T_COLON, [44] = T_COMMA,
}
local ESC2CHAR = {
  [34] = "\"", [92] = "\\", [47] = "/", [98] = "\b", [116] = "\t", [110] = "\n", [102] = "\f", [114] = "\r",
}

-- bytes that may continue a number for strtod after a run of digits
local NUMBER_CONT = { [46] = true, [69] = true, [101] = true, [88] = true, [120] = true, [40] = true }

local function utf8char(cp)
  if cp <= 0x7f then return char(cp) end
  if cp <= 0x7ff then return char(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f)) end
  if cp <= 0xffff then return char(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)) end
  return char(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f))
end

local new

new = function()
  local cfg = {
    sparse_convert = false, sparse_ratio = 2, sparse_safe = 10,
    encode_max_depth = 1000, decode_max_depth = 1000,
    encode_invalid_numbers = 0, decode_invalid_numbers = true,
    keep_buffer = true, precision = 14, numfmt = "%.14g",
  }

  -- encoding ---------------------------------------------------------------
  local function fail(v, reason)
    local t = type(v)
    error(format("Cannot serialise %s: %s", t, reason), 0)
  end

  local function append_number(buf, n, x)
    local inv = cfg.encode_invalid_numbers
    if x ~= x or x == huge or x == -huge then
      if inv == 0 then fail(x, "must not be NaN or Inf") end
      if inv == 2 then n = n + 1; buf[n] = "null"; return n end
      if x ~= x then n = n + 1; buf[n] = "nan"; return n end
    end
    n = n + 1
    buf[n] = format(cfg.numfmt, x * 1.0)
    return n
  end

  local append

  local function append_table(buf, n, t, depth)
    depth = depth + 1
    if depth > cfg.encode_max_depth then
      error(format("Cannot serialise, excessive nesting (%d)", depth), 0)
    end
    -- lua_array_length
    local max, items = 0, 0
    local isarray = true
    for k in next, t do
      if type(k) == "number" and k ~= 0 and k >= 1 and k % 1 == 0 then
        -- max is a C int: a key of 2^31 or more stores INT_MIN (x86-64)
        if k > max then max = k < 2147483648 and k or -2147483648 end
        items = items + 1
      else
        isarray = false
        break
      end
    end
    if isarray and max > 0 then
      local ratio = cfg.sparse_ratio
      if ratio > 0 and max > items * ratio and max > cfg.sparse_safe then
        if not cfg.sparse_convert then fail(t, "excessively sparse array") end
        isarray = false
      end
    end
    if isarray and max > 0 then
      n = n + 1; buf[n] = "["
      for i = 1, max do
        if i > 1 then n = n + 1; buf[n] = "," end
        n = append(buf, n, rawget(t, i), depth)
      end
      n = n + 1; buf[n] = "]"
      return n
    end
    n = n + 1; buf[n] = "{"
    local comma = false
    for k, v in next, t do
      if comma then n = n + 1; buf[n] = "," else comma = true end
      local kt = type(k)
      if kt == "number" then
        n = n + 1; buf[n] = "\""
        n = append_number(buf, n, k)
        n = n + 1; buf[n] = "\":"
      elseif kt == "string" then
        n = n + 1; buf[n] = "\"" .. gsub(k, "[%c\"\\/]", ESCAPE) .. "\":"
      else
        fail(k, "table key must be a number or string")
      end
      n = append(buf, n, v, depth)
    end
    n = n + 1; buf[n] = "}"
    return n
  end

  append = function(buf, n, v, depth)
    if v == NULL then n = n + 1; buf[n] = "null"; return n end
    local t = type(v)
    if t == "string" then
      n = n + 1; buf[n] = "\"" .. gsub(v, "[%c\"\\/]", ESCAPE) .. "\""
    elseif t == "number" then
      n = append_number(buf, n, v)
    elseif t == "boolean" then
      n = n + 1; buf[n] = v and "true" or "false"
    elseif t == "table" then
      n = append_table(buf, n, v, depth)
    elseif t == "nil" then
      n = n + 1; buf[n] = "null"
    else
      fail(v, "type not supported")
    end
    return n
  end

  local function encode_impl(v)
    local buf = {}
    local n = append(buf, 0, v, 0)
    return concat(buf, "", 1, n)
  end

  -- decoding ---------------------------------------------------------------
  local s, len, depth  -- the text (cut at its first NUL), its length, the current nesting

  local function parse_error(expected, tok, val, idx)
    local found = tok == T_ERROR and val or TOKEN_NAME[tok]
    error(format("Expected %s but found %s at character %d", expected, found, idx + 1), 0)
  end

  -- next_token(pos) -> type, value, index (0-based, for errors), next pos
  local function next_token(pos)
    local c = byte(s, pos)
    if c == 32 or c == 9 or c == 10 or c == 13 then
      local _, e = find(s, "^[ \t\n\r]*", pos)
      pos = e + 1
      c = byte(s, pos)
    end
    if c == nil then return T_END, nil, pos - 1, pos end
    local single = SINGLE[c]
    if single then return single, nil, pos - 1, pos + 1 end
    if c == 34 then  -- string
      local p = pos + 1
      local q = find(s, "[\"\\]", p)
      if q and byte(s, q) == 34 then return T_STRING, sub(s, p, q - 1), pos - 1, q + 1 end
      local parts, np = {}, 0
      while true do
        local q = find(s, "[\"\\]", p)
        if q == nil then return T_ERROR, "unexpected end of string", len, p end
        if q > p then np = np + 1; parts[np] = sub(s, p, q - 1) end
        if byte(s, q) == 34 then
          return T_STRING, concat(parts, "", 1, np), pos - 1, q + 1
        end
        local e2 = byte(s, q + 1)
        if e2 == 117 then  -- \u
          local h = match(s, "^%x%x%x%x", q + 2)
          if not h then return T_ERROR, "invalid unicode escape code", q - 1, q end
          local cp = tonumber(h, 16)
          local elen = 6
          if cp & 0xF800 == 0xD800 then
            if cp & 0x400 ~= 0 then return T_ERROR, "invalid unicode escape code", q - 1, q end
            local lo = match(s, "^\\u(%x%x%x%x)", q + 6)
            if not lo then return T_ERROR, "invalid unicode escape code", q - 1, q end
            lo = tonumber(lo, 16)
            if lo & 0xFC00 ~= 0xDC00 then return T_ERROR, "invalid unicode escape code", q - 1, q end
            cp = (((cp & 0x3FF) << 10) | (lo & 0x3FF)) + 0x10000
            elen = 12
          end
          np = np + 1; parts[np] = utf8char(cp)
          p = q + elen
        else
          local ch = e2 and ESC2CHAR[e2]
          if not ch then return T_ERROR, "invalid escape code", q - 1, q end
          np = np + 1; parts[np] = ch
          p = q + 2
        end
      end
    end
    local invalid_ok = cfg.decode_invalid_numbers
    if c == 45 or (c >= 48 and c <= 57) then  -- - or digit
      if not invalid_ok then
        -- json_is_invalid_number: leading zeros, hex, inf/nan after '-'
        local p = pos
        if c == 45 then p = p + 1 end
        local d = byte(s, p)
        local bad = false
        if d == 48 then
          local d2 = byte(s, p + 1)
          if d2 and ((d2 | 0x20) == 120 or (d2 >= 48 and d2 <= 57)) then bad = true end
        elseif d == nil or d > 57 then
          local w = lower(sub(s, p, p + 2))
          if w == "inf" or w == "nan" then bad = true end
        end
        if bad then return T_ERROR, "invalid number", pos - 1, pos end
      end
      -- plain integers (the common case) without the strtod emulation
      local e = match(s, "^-?%d+()", pos)
      if e then
        local nx = byte(s, e)
        if not nx or not NUMBER_CONT[nx] then
          local v = tonumber(sub(s, pos, e - 1))
          if v ~= 0 or c ~= 45 then return T_NUMBER, v * 1.0, pos - 1, e end  -- "-0" is -0.0: below
        end
      end
      local v, np = strtod(s, pos)
      if v == nil then return T_ERROR, "invalid number", pos - 1, pos end
      return T_NUMBER, v, pos - 1, np
    end
    if sub(s, pos, pos + 3) == "true" then return T_BOOLEAN, true, pos - 1, pos + 4 end
    if sub(s, pos, pos + 4) == "false" then return T_BOOLEAN, false, pos - 1, pos + 5 end
    if sub(s, pos, pos + 3) == "null" then return T_NULL, nil, pos - 1, pos + 4 end
    if invalid_ok then
      local w = lower(sub(s, pos, pos + 2))
      if c == 43 or w == "inf" or w == "nan" then
        local v, np = strtod(s, pos)
        if v == nil then return T_ERROR, "invalid number", pos - 1, pos end
        return T_NUMBER, v, pos - 1, np
      end
    end
    return T_ERROR, "invalid token", pos - 1, pos
  end

  local process_value

  local function descend(pos)
    depth = depth + 1
    if depth > cfg.decode_max_depth then
      error(format("Found too many nested data structures (%d) at character %d", depth, pos - 1), 0)
    end
  end

  local function parse_object(pos)
    descend(pos)
    local t = {}
    local tok, val, idx
    tok, val, idx, pos = next_token(pos)
    if tok == T_OBJ_END then depth = depth - 1; return t, pos end
    while true do
      if tok ~= T_STRING then parse_error("object key string", tok, val, idx) end
      local key = val
      tok, val, idx, pos = next_token(pos)
      if tok ~= T_COLON then parse_error("colon", tok, val, idx) end
      tok, val, idx, pos = next_token(pos)
      local v
      v, pos = process_value(tok, val, idx, pos)
      rawset(t, key, v)
      tok, val, idx, pos = next_token(pos)
      if tok == T_OBJ_END then depth = depth - 1; return t, pos end
      if tok ~= T_COMMA then parse_error("comma or object end", tok, val, idx) end
      tok, val, idx, pos = next_token(pos)
    end
  end

  local function parse_array(pos)
    descend(pos)
    local t = {}
    local tok, val, idx
    tok, val, idx, pos = next_token(pos)
    if tok == T_ARR_END then depth = depth - 1; return t, pos end
    local i = 1
    while true do
      local v
      v, pos = process_value(tok, val, idx, pos)
      rawset(t, i, v)
      i = i + 1
      tok, val, idx, pos = next_token(pos)
      if tok == T_ARR_END then depth = depth - 1; return t, pos end
      if tok ~= T_COMMA then parse_error("comma or array end", tok, val, idx) end
      tok, val, idx, pos = next_token(pos)
    end
  end

  process_value = function(tok, val, idx, pos)
    if tok == T_STRING or tok == T_BOOLEAN then return val, pos end
    if tok == T_NUMBER then return num(val), pos end
    if tok == T_NULL then return NULL, pos end
    if tok == T_OBJ_BEGIN then return parse_object(pos) end
    if tok == T_ARR_BEGIN then return parse_array(pos) end
    parse_error("value", tok, val, idx)
  end

  local function decode_impl(text)
    local z = find(text, "\0", 1, true)
    if z then
      if z <= 2 and #text >= 2 then error("JSON parser does not support UTF-16 or UTF-32", 0) end
      text = sub(text, 1, z - 1)
    end
    s, len, depth = text, #text, 0
    local tok, val, idx, pos = next_token(1)
    local v
    v, pos = process_value(tok, val, idx, pos)
    tok, val, idx, pos = next_token(pos)
    if tok ~= T_END then parse_error("the end", tok, val, idx) end
    s = nil
    return v
  end

  -- API ------------------------------------------------------------------------
  local cjson = { null = NULL, _NAME = "cjson", _VERSION = "2.1.0" }

  function cjson.encode(...)
    if select("#", ...) ~= 1 then argerror(1, 1, "expected 1 argument", "encode") end
    local ok, r = pcall(encode_impl, (...))
    if not ok then error(r, 2) end
    return r
  end

  function cjson.decode(...)
    if select("#", ...) ~= 1 then argerror(1, 1, "expected 1 argument", "decode") end
    local text = ...
    local tt = type(text)
    if tt == "number" then
      text = (mtype(text) == "integer" and (text <= -1e14 or text >= 1e14)) and format("%.14g", text)
        or (mtype(text) == "float" and format("%.14g", text)) or format("%d", text)
    elseif tt ~= "string" then
      argerror(1, 1, "string expected, got " .. tt, "decode")
    end
    local ok, r = pcall(decode_impl, text)
    if not ok then s = nil; error(r, 2) end
    return r
  end

  -- configuration: json_arg_init, json_integer_option, json_enum_option
  local function arg_init(nmax, n, fname)
    if n > nmax then argerror(2, nmax + 1, "found too many arguments", fname) end
  end
  local function int_option(v, min, max, fname, current, index)
    if v == nil then return current end
    local x = v
    if type(x) == "string" then x = tonumber(x) end
    if type(x) ~= "number" then argerror(2, index or 1, "number expected, got " .. type(v), fname) end
    if x ~= x or x >= 9.2233720368547758e18 or x < -9.2233720368547758e18 then x = MININT
    else x = tointeger(x >= 0 and floor(x) or -floor(-x)) end
    x = ((x + 0x80000000) & 0xffffffff) - 0x80000000  -- int
    if x < min or x > max then
      argerror(2, 1, format("expected integer between %d and %d", min, max), fname)
    end
    return x
  end
  local function enum_option(v, options, bool_true, fname, current)
    if v == nil then return current end
    if type(v) == "boolean" then return v and bool_true or 0 end
    if type(v) ~= "string" and type(v) ~= "number" then
      argerror(2, 1, "string expected, got " .. type(v), fname)
    end
    local sv = type(v) == "number" and format("%.14g", v) or v
    for i, name in next, options do
      if name == sv then return i - 1 end
    end
    argerror(2, 1, format("invalid option '%s'", sv), fname)
  end
  local ONOFF = { "off", "on" }

  function cjson.encode_sparse_array(...)
    local n = select("#", ...)
    arg_init(3, n, "encode_sparse_array")
    local convert, ratio, safe = ...
    local c = enum_option(convert, ONOFF, 1, "encode_sparse_array", cfg.sparse_convert and 1 or 0)
    cfg.sparse_convert = c == 1
    cfg.sparse_ratio = int_option(ratio, 0, INT_MAX, "encode_sparse_array", cfg.sparse_ratio, 2)
    cfg.sparse_safe = int_option(safe, 0, INT_MAX, "encode_sparse_array", cfg.sparse_safe, 3)
    return cfg.sparse_convert, cfg.sparse_ratio, cfg.sparse_safe
  end

  function cjson.encode_max_depth(...)
    arg_init(1, select("#", ...), "encode_max_depth")
    cfg.encode_max_depth = int_option((...), 1, INT_MAX, "encode_max_depth", cfg.encode_max_depth)
    return cfg.encode_max_depth
  end

  function cjson.decode_max_depth(...)
    arg_init(1, select("#", ...), "decode_max_depth")
    cfg.decode_max_depth = int_option((...), 1, INT_MAX, "decode_max_depth", cfg.decode_max_depth)
    return cfg.decode_max_depth
  end

  function cjson.encode_number_precision(...)
    arg_init(1, select("#", ...), "encode_number_precision")
    cfg.precision = int_option((...), 1, 14, "encode_number_precision", cfg.precision)
    cfg.numfmt = "%." .. cfg.precision .. "g"
    return cfg.precision
  end

  function cjson.encode_keep_buffer(...)
    arg_init(1, select("#", ...), "encode_keep_buffer")
    local v = enum_option((...), ONOFF, 1, "encode_keep_buffer", cfg.keep_buffer and 1 or 0)
    cfg.keep_buffer = v == 1
    return cfg.keep_buffer
  end

  local INVALID = { "off", "on", "null" }
  function cjson.encode_invalid_numbers(...)
    arg_init(1, select("#", ...), "encode_invalid_numbers")
    local v = enum_option((...), INVALID, 1, "encode_invalid_numbers", cfg.encode_invalid_numbers)
    cfg.encode_invalid_numbers = v
    if v == 2 then return "null" end
    return v == 1
  end

  function cjson.decode_invalid_numbers(...)
    arg_init(1, select("#", ...), "decode_invalid_numbers")
    local v = enum_option((...), ONOFF, 1, "decode_invalid_numbers", cfg.decode_invalid_numbers and 1 or 0)
    cfg.decode_invalid_numbers = v == 1
    return cfg.decode_invalid_numbers
  end

  cjson.new = new
  return cjson
end

return new()
`;
