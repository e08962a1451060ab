// The Lua-side libraries of scripting (src/scripting/lua/: cjson, cmsgpack,
// bit, struct, the 5.1 compatibility patches and the sandbox), loaded into a
// fresh wasmoon state and compared snippet by snippet with redis-server's
// EVAL. Each snippet is one line of Lua, the body of a function whose results
// are turned into one string on both sides (see lua_harness.ts). Without a
// redis-server binary, only the recorded facts at the bottom run.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import Redis from "ioredis";
import { redisServerAvailable, startRedis, type RedisProcess } from "../support/redis_server.ts";
import { luaLibrariesState, wrapSnippet } from "./lua_harness.ts";

// Binary results go through hex(); errors through pcall, some called directly
// (no position), some from a Lua function (a position: "user_script:1: ").
const CJSON = [
  "return cjson.encode({1, 2, 3})",
  "return cjson.encode({})",
  "return cjson.encode(cjson.decode('[]'))",
  "return cjson.encode({a = 1})",
  "return cjson.encode({[1] = 'a', x = 1}) == '{\"1\":\"a\",\"x\":1}' or cjson.encode({[1] = 'a', x = 1}) == '{\"x\":1,\"1\":\"a\"}'",
  "return cjson.encode({1, 2, nil, 4})",
  "return cjson.encode({[1.5] = 1}), cjson.encode({[-1] = 'x'}), cjson.encode({[0] = 'z'}), cjson.encode({[2^53] = 1}), cjson.encode({[2^31] = 1})",
  "return cjson.encode({[2^31 - 1] = 1}) == nil",
  "return cjson.encode({['a\\0b/c'] = 1}), cjson.encode({[1/0] = 1}) ",
  "return pcall(cjson.encode, {[0/0 == 0/0 and 1 or 2] = 0, x = function() end})",
  "return cjson.encode({{}, {{}}, {a = {}}}), cjson.encode({[1] = {}, [2] = 'x'})",
  "return cjson.encode(12345678901234567890), cjson.encode(0.1), cjson.encode(-1e-7), cjson.encode(5e-324), cjson.encode(1.7976931348623157e308)",
  "return cjson.encode(string.rep('\\\\', 3))",
  "local t = {} for i = 1, 10 do t[i] = i end t[15] = 15 return pcall(cjson.encode, t)",
  "local t = {} for i = 1, 10 do t[i] = i end t[21] = 21 return pcall(cjson.encode, t)",
  "local t = {} t[3] = 1 return cjson.encode(t)",
  "return cjson.encode({[1] = 1, [3] = 3})",
  "return pcall(cjson.encode, {[1] = 1, [20] = 2})",
  "local ok, e = pcall(function() local r = cjson.encode({[1] = 1, [20] = 2}) return r end) return e",
  "return cjson.encode({[11] = 1})",
  "return pcall(cjson.encode, {[12] = 1})",
  "return cjson.encode(1/3), cjson.encode(10/2), cjson.encode(1e15), cjson.encode(-0.0), cjson.encode(2^53), cjson.encode(123456789012345)",
  "return pcall(cjson.encode, 0/0)",
  "return pcall(cjson.encode, 1/0)",
  "return pcall(cjson.encode, {1, 2, function() end})",
  "return pcall(cjson.encode, {[true] = 1})",
  "return cjson.encode('a/b\"c\\\\d\\n\\r\\t\\b\\f\\1\\31\\127 é \\255')",
  "return cjson.encode({'x', true, false, cjson.null})",
  "return cjson.encode(nil), cjson.encode(true), cjson.encode('')",
  "return pcall(cjson.encode)",
  "local ok, e = pcall(function() local r = cjson.encode() return r end) return e",
  "return pcall(cjson.encode, 1, 2)",
  "local t = {} local c = t for i = 1, 1000 do c[1] = {} c = c[1] end return pcall(cjson.encode, t)",
  "local t = {} local c = t for i = 1, 998 do c[1] = {} c = c[1] end return #cjson.encode(t)",
  "return cjson.decode('[1,2,3]')[3], #cjson.decode('[1,2,3]')",
  "local v = cjson.decode('{\"a\":{\"b\":[1,\"x\",null,true]}}') return v.a.b[1], v.a.b[2], v.a.b[3] == cjson.null, v.a.b[4]",
  "return cjson.decode('12345678901234567890'), cjson.decode('1.5'), cjson.decode('-0'), cjson.decode('1e2'), cjson.decode('1E-2')",
  "return cjson.decode('NaN'), cjson.decode('-nan'), cjson.decode('Infinity'), cjson.decode('-inf'), cjson.decode('0x1F'), cjson.decode('0x1p3')",
  "return cjson.decode('+5'), cjson.decode('007'), cjson.decode('1.'), cjson.decode('-.5'), cjson.decode('1e400')",
  "return cjson.decode('\"\\\\u00e9\\\\ud83d\\\\ude00\\\\/\\\\b\\\\u0041\"') == 'é😀/\\bA'",
  "return hex(cjson.decode('\"\\\\u0000x\"'))",
  "return pcall(cjson.decode, '[1,2')",
  "return pcall(cjson.decode, '{\"a\" 1}')",
  "return pcall(cjson.decode, '{1:2}')",
  "return pcall(cjson.decode, '[1,]')",
  "return pcall(cjson.decode, '[,1]')",
  "return pcall(cjson.decode, '')",
  "return pcall(cjson.decode, '   ')",
  "return pcall(cjson.decode, 'nul')",
  "return pcall(cjson.decode, 'tru')",
  "return pcall(cjson.decode, '[1] x')",
  "return pcall(cjson.decode, '1e')",
  "return pcall(cjson.decode, '-')",
  "return pcall(cjson.decode, '+x')",
  "return pcall(cjson.decode, '0x')",
  "return pcall(cjson.decode, 'nanx')",
  "return pcall(cjson.decode, '\"abc')",
  "return pcall(cjson.decode, '\"a\\\\qb\"')",
  "return pcall(cjson.decode, '\"a\\\\')",
  "return pcall(cjson.decode, '\"\\\\ud800\"')",
  "return pcall(cjson.decode, '\"\\\\udc00\"')",
  "return pcall(cjson.decode, '\"\\\\ud800\\\\u0041\"')",
  "return pcall(cjson.decode, '\"\\\\u12g4\"')",
  "return pcall(cjson.decode, '\\0[1]')",
  "return pcall(cjson.decode, '[1]\\0garbage')",
  "return pcall(cjson.decode, '@')",
  "return pcall(cjson.decode, {})",
  "local ok, e = pcall(function() local r = cjson.decode('[') return r end) return e",
  "return cjson.decode(123)",
  "return cjson.decode(1.5), cjson.decode(1e15), cjson.decode('  \\t\\r\\n 7 \\n')",
  "local t = cjson.decode('{\"a\":1,\"a\":2,\"1\":3}') return t.a, t['1'], t[1]",
  "local t = cjson.decode('[1,null,3]') return #t, t[2] == cjson.null",
  "return cjson.decode('\"' .. string.char(92) .. 'u00\"')",
  "return pcall(cjson.decode, '\"' .. string.char(92) .. 'u00\"')",
  "return pcall(cjson.decode, '[1 2]')",
  "return pcall(cjson.decode, '{\"a\":1,}')",
  "return pcall(cjson.decode, '{\"a\":1 \"b\":2}')",
  "return pcall(cjson.decode, 'True')",
  "return pcall(cjson.decode, '[-]')",
  "return pcall(cjson.decode, '1.5.5')",
  "return pcall(cjson.decode, '--1')",
  "return cjson.decode('-0x10'), cjson.decode('0X1A'), cjson.decode('-Inf'), cjson.decode('INFINITY'), cjson.decode('nan(123)'), cjson.decode('1e-400'), cjson.decode('0x1.8p1')",
  "return cjson.decode('123456789012345678901234567890'), cjson.decode('0.1e1'), cjson.decode('-12.5E+2'), cjson.decode('1E400')",
  "return pcall(cjson.decode, string.rep('[', 1001) .. string.rep(']', 1001))",
  "return #cjson.decode(string.rep('[', 1000) .. string.rep(']', 1000))",
  "return pcall(cjson.decode, string.rep('{\"a\":', 1001))",
  "return cjson.encode_max_depth(), cjson.decode_max_depth(), cjson.encode_number_precision()",
  "return cjson.encode_sparse_array()",
  "return cjson.encode_invalid_numbers(), cjson.decode_invalid_numbers(), cjson.encode_keep_buffer()",
  "local a = cjson.encode_number_precision(3) local r = cjson.encode(1/3) cjson.encode_number_precision(14) return a, r",
  "local p = {cjson.encode_sparse_array(true)} local r = cjson.encode({[1] = 1, [20] = 2}) cjson.encode_sparse_array(false) return p[1], p[2], p[3], r",
  "cjson.encode_sparse_array(nil, 0) local r = cjson.encode({[1] = 1, [200] = 2}) cjson.encode_sparse_array(false, 2, 10) return #r",
  "local a = cjson.encode_invalid_numbers('null') local r = cjson.encode({0/0, 1/0}) local b = cjson.encode_invalid_numbers(true) local r2 = cjson.encode({-1/0}) local r3 = cjson.encode(0/0) cjson.encode_invalid_numbers(false) return a, r, b, r2, r3",
  "cjson.decode_invalid_numbers(false) local r = {pcall(cjson.decode, 'NaN')} local r2 = {pcall(cjson.decode, '0x10')} local r3 = {pcall(cjson.decode, '-Infinity')} local r4 = {pcall(cjson.decode, '01')} cjson.decode_invalid_numbers(true) return r[2], r2[2], r3[2], r4[2]",
  "cjson.encode_max_depth(2) local r = {pcall(cjson.encode, {{{}}})} cjson.encode_max_depth(1000) return r[2]",
  "cjson.decode_max_depth(2) local r = {pcall(cjson.decode, '[[[1]]]')} cjson.decode_max_depth(1000) return r[2]",
  "return pcall(cjson.encode_max_depth, 0)",
  "return pcall(cjson.encode_number_precision, 15)",
  "return pcall(cjson.encode_sparse_array, true, -1)",
  "return pcall(cjson.encode_sparse_array, 'x')",
  "return pcall(cjson.encode_sparse_array, true, {})",
  "return pcall(cjson.encode_max_depth, 1, 2)",
  "return pcall(cjson.encode_max_depth, {})",
  "local a = cjson.encode_max_depth('5') local b = cjson.encode_max_depth(7.9) cjson.encode_max_depth(1000) return a, b",
  "return cjson.encode_keep_buffer('off'), cjson.encode_keep_buffer('on')",
  "local ok, e = pcall(function() local r = cjson.encode_max_depth(0) return r end) return e",
  "local c = cjson.new() c.encode_number_precision(2) return c.encode(1/3), cjson.encode(1/3), c.null == cjson.null",
  "return cjson._NAME, cjson._VERSION",
  "local t = {} for k in pairs(cjson) do t[#t + 1] = k end table.sort(t) return table.concat(t, ',')",
  "return cjson.decode('\"' .. string.rep('x', 300) .. '\"') == string.rep('x', 300)",
  "local s = cjson.encode({name = 'a\\0b', list = {1, 2.5, 'z'}, nested = {ok = true}}) local d = cjson.decode(s) return d.name == 'a\\0b', d.list[2], d.nested.ok",
];

const CMSGPACK = [
  "return hex(cmsgpack.pack(0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296))",
  "return hex(cmsgpack.pack(-1, -32, -33, -128, -129, -32768, -32769, -2147483648, -2147483649))",
  "return hex(cmsgpack.pack(1.5, 0.1, 1/0, -1/0, 2^63, -2^63, 1e300, -0.0))",
  "return hex(cmsgpack.pack(0/0)):sub(1, 2)",
  "return hex(cmsgpack.pack('', 'abc', string.rep('x', 31), string.rep('y', 32)))",
  "return hex(cmsgpack.pack(string.rep('z', 256))):sub(1, 10), hex(cmsgpack.pack(string.rep('z', 65536))):sub(1, 12)",
  "return hex(cmsgpack.pack({}, {1, 2, 3}, {a = 1}, {[2] = 1}, {1, nil, 3}, true, false))",
  "local t = {} for i = 1, 16 do t[i] = i end return hex(cmsgpack.pack(t)):sub(1, 8)",
  "local t = {} for i = 1, 70000 do t[i] = 0 end return hex(cmsgpack.pack(t)):sub(1, 12)",
  "local t = {} for i = 1, 16 do t['k' .. i] = i end return hex(cmsgpack.pack(t)):sub(1, 6)",
  "local t = {} local c = t for i = 1, 20 do c[1] = {} c = c[1] end return hex(cmsgpack.pack(t))",
  "local t = {} t[1] = t return hex(cmsgpack.pack(t))",
  "return hex(cmsgpack.pack(function() end, nil, 5))",
  "return hex(cmsgpack.pack({[1.5] = 1}))",
  "return pcall(cmsgpack.pack)",
  "local ok, e = pcall(function() local r = cmsgpack.pack() return r end) return e",
  "return cmsgpack.unpack(cmsgpack.pack(1, 'two', 3.25, true, false))",
  "local a, b = cmsgpack.unpack(cmsgpack.pack({1, 2, {3, 'x'}}, {k = 'v'})) return #a, a[3][2], b.k",
  "return cmsgpack.unpack(cmsgpack.pack(2^53, -2^53, 1e15, 123456789012345, 0.1))",
  "return cmsgpack.unpack(string.char(0xcf, 255, 255, 255, 255, 255, 255, 255, 255))",
  "return cmsgpack.unpack(string.char(0xd3, 128, 0, 0, 0, 0, 0, 0, 0))",
  "return cmsgpack.unpack(string.char(0xcf, 0, 0, 0, 0, 0, 0, 0, 1, 0xd0, 0x80, 0xd1, 0x80, 0, 0xd2, 0x80, 0, 0, 0))",
  "return cmsgpack.unpack(string.char(0xca, 0x3f, 0xc0, 0, 0, 0xcb, 0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a))",
  "return cmsgpack.unpack(string.char(0xc0, 0xc2, 0xc3, 0x91, 0xc0))",
  "local t = cmsgpack.unpack(string.char(0x93, 1, 0xc0, 3)) return #t, t[1], t[2], t[3]",
  "return pcall(cmsgpack.unpack, string.char(0x81, 0xc0, 1))",
  "local ok, e = pcall(function() local r = cmsgpack.unpack(string.char(0x81, 0xc0, 1)) return r end) return e",
  "return pcall(cmsgpack.unpack, string.char(0xc4, 1, 1))",
  "return pcall(cmsgpack.unpack, string.char(0xc1))",
  "return pcall(cmsgpack.unpack, string.char(0xd4, 1, 1))",
  "return pcall(cmsgpack.unpack, string.char(0xcd, 1))",
  "return pcall(cmsgpack.unpack, string.char(0x92, 1))",
  "return pcall(cmsgpack.unpack, string.char(0xdb, 0, 0, 0, 5, 65))",
  "local ok, e = pcall(function() local r = cmsgpack.unpack(string.char(0xc1)) return r end) return e",
  "return cmsgpack.unpack('')",
  "return select('#', cmsgpack.unpack(''))",
  "return cmsgpack.unpack(123)",
  "return pcall(cmsgpack.unpack)",
  "return cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3))",
  "return cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3), 2)",
  "return cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3), 3)",
  "return pcall(cmsgpack.unpack_one, cmsgpack.pack(1, 2, 3), 4)",
  "return pcall(cmsgpack.unpack_one, cmsgpack.pack(1, 2, 3), -1)",
  "return cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 2)",
  "return cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 2, 1)",
  "return cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 0, 0)",
  "return cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 0, 1)",
  "return pcall(cmsgpack.unpack_limit, cmsgpack.pack(1, 2, 3))",
  "return pcall(cmsgpack.unpack_limit, cmsgpack.pack(1), -1)",
  "return select('#', cmsgpack.unpack(string.rep(string.char(1), 7999)))",
  "return pcall(cmsgpack.unpack, string.rep(string.char(1), 8000))",
  "return #cmsgpack.unpack(string.rep(string.char(0x91), 3999) .. string.char(1))",
  "return pcall(cmsgpack.unpack, string.rep(string.char(0x91), 4000) .. string.char(1))",
  "return pcall(cmsgpack.unpack, string.rep(string.char(0x81, 1), 2700) .. string.char(1, 1))",
  "return cmsgpack._NAME, cmsgpack._VERSION, cmsgpack._COPYRIGHT, cmsgpack._DESCRIPTION",
  "local s = cmsgpack.pack({list = {1, 2, 3}, name = 'n', f = 0.25, neg = -7}) local t = cmsgpack.unpack(s) return #s, t.list[3], t.name, t.f, t.neg",
];

const BIT = [
  "return bit.tobit(0xffffffff), bit.tobit(2^31), bit.tobit(-2^31), bit.tobit(2^32 + 5), bit.tobit(1.5), bit.tobit(2.5), bit.tobit(-1.5)",
  "return bit.tobit(2^52), bit.tobit(2^53 + 2), bit.tobit(2^60), bit.tobit(1e300), bit.tobit(1/0), bit.tobit(0/0), bit.tobit(-2^51 - 3)",
  "return bit.bnot(0), bit.bnot(-1), bit.bnot(0x12345678)",
  "return bit.band(0xff, 0x0f, 0x3), bit.bor(1, 2, 4, 8), bit.bxor(0xff, 0x0f), bit.band(-1, 0xffffffff)",
  "return bit.lshift(1, 31), bit.lshift(1, 32), bit.lshift(1, 33), bit.lshift(0xff, -1)",
  "return bit.rshift(-1, 28), bit.rshift(-1, 0), bit.arshift(-256, 4), bit.arshift(256, 4), bit.arshift(-1, 31)",
  "return bit.rol(0x12345678, 4), bit.ror(0x12345678, 4), bit.rol(1, 0), bit.ror(1, 32), bit.rol(0x80000000, 1)",
  "return bit.bswap(0x12345678), bit.bswap(-1), bit.bswap(0xff)",
  "return bit.tohex(255), bit.tohex(-1), bit.tohex(-1, -4), bit.tohex(0x1234abcd, 4), bit.tohex(0x1234abcd, -8), bit.tohex(1, 12), bit.tohex(1, 0)",
  "return bit.tobit('10'), bit.band('0xff', 15), bit.tohex('255')",
  "return pcall(bit.band, 1, 'x')",
  "return pcall(bit.band, 1, {}, 'x')",
  "return pcall(bit.tobit)",
  "return pcall(bit.tobit, nil)",
  "return pcall(bit.tohex, 1, nil)",
  "local ok, e = pcall(function() local r = bit.bor(1, true) return r end) return e",
  "local ok, e = pcall(function() local b = bit local r = b.bxor() return r end) return e",
  "local t = {} for k in pairs(bit) do t[#t + 1] = k end table.sort(t) return table.concat(t, ',')",
];

const STRUCT = [
  "return hex(struct.pack('>i', 1)), hex(struct.pack('<i', -2)), hex(struct.pack('bBhHlLT', -1, 255, -2, 65535, -3, 7, 9))",
  "return hex(struct.pack('>i3I5', -1, 2^33 + 1)), hex(struct.pack('i16', -1)), hex(struct.pack('>I12', 258))",
  "return hex(struct.pack('>fd', 1.5, 0.1)), hex(struct.pack('<f', 1/3))",
  "return hex(struct.pack('c3s', 'abcdef', 'xy')), hex(struct.pack('c0', 'hello')), hex(struct.pack('x>h', 1))",
  "return hex(struct.pack('!4bi', 1, 2)), hex(struct.pack('!bd', 1, 2)), hex(struct.pack('!2bhbi', 1, 2, 3, 4))",
  "return hex(struct.pack('B', 3.9)), hex(struct.pack('b', -3.9)), hex(struct.pack('B', 256)), hex(struct.pack('L', 2^63)), hex(struct.pack('l', -2^63))",
  "return hex(struct.pack('i', '12')), hex(struct.pack('c2', 42))",
  "return struct.unpack('>i', struct.pack('>i', -5))",
  "return struct.unpack('bBhHlLT', struct.pack('bBhHlLT', -1, 255, -2, 65535, -3, 7, 9))",
  "return struct.unpack('<I8', string.rep(string.char(255), 8))",
  "return struct.unpack('<i8', string.rep(string.char(255), 8)), struct.unpack('>I3', 'abc'), struct.unpack('>i3', string.char(255, 0, 1))",
  "return struct.unpack('<i12', string.rep(string.char(255), 12)), struct.unpack('<I12', string.rep(string.char(1), 12))",
  "return struct.unpack('fd', struct.pack('fd', 1.5, 0.1))",
  "return struct.unpack('c3s', 'abcxy\\0z')",
  "return struct.unpack('bc0', string.char(3) .. 'abcdef')",
  "return struct.unpack('i', struct.pack('ii', 1, 2), 5)",
  "return struct.unpack('!4bi', struct.pack('!4bi', 1, 2))",
  "return struct.unpack('x>h', string.char(0, 1, 2))",
  "return struct.size('bhi'), struct.size('!4bhi'), struct.size('c10d'), struct.size('>I3x'), struct.size('q'), struct.size('')",
  "return pcall(struct.pack, 'q', 1)",
  "return pcall(struct.pack, 'i40', 1)",
  "return pcall(struct.pack, 'i99999999999', 1)",
  "return pcall(struct.pack, '!3i', 1)",
  "return pcall(struct.pack, 'c5', 'abc')",
  "return pcall(struct.pack, 'i')",
  "return pcall(struct.pack, 'i', 'x')",
  "return pcall(struct.pack, 's', {})",
  "return pcall(struct.pack)",
  "return pcall(struct.unpack, 'i', 'abc')",
  "return pcall(struct.unpack, 'i', 'abcd', 0)",
  "return pcall(struct.unpack, 'i', 'abcd', -1)",
  "return pcall(struct.unpack, 'c0', 'abc')",
  "return pcall(struct.unpack, 's', 'abc')",
  "return pcall(struct.unpack, 'b5', 'abc')",
  "return pcall(struct.size, 's')",
  "return pcall(struct.size, 'c0')",
  "return pcall(struct.size, '#')",
  "local ok, e = pcall(function() local r = struct.pack('q', 1) return r end) return e",
  "local ok, e = pcall(function() local r = struct.unpack('s', 'abc') return r end) return e",
  "local ok, e = pcall(function() local r = struct.unpack('i', 'ab') return r end) return e",
  "return struct.unpack('>I2', 'abcd', 3)",
];

const COMPAT = [
  // (-0.0 in its own snippet: 5.1 shares one constant slot for 0 and -0, so 1/0 would read -0)
  "return tostring(10/2), tostring(1e15), tostring(2^53), tostring(0/0), tostring(-(0/0)), tostring(1/0), tostring(-1/0)",
  "return tostring(-0.0), -0.0",
  "return tostring(math.floor(2^62)), tostring(1700000000000), tostring(7/2), tostring(0.1), tostring(1/3), tostring(100000000000000)",
  "return string.format('%s %s %s', 10/2, 1e15, 2^53)",
  "return string.format('%d %d %d %i', 3.7, -3.7, '42', 2^31)",
  "return string.format('%5.1s|%q|%d|%x', 3.5, 'a\\r\\0b\\1\"\\\\\\n', -3.7, 255.9)",
  "return string.format('%5s|%-5d|%+.3f|%#x|%05.1f|%e|%G', 'ab', 42, 1/3, 255, 2.25, 12345.678, 1e-10)",
  "return string.format('%i %o %X %c%c %u %u', 7.9, 8, 255, 104.9, 105, 3, -1)",
  "return string.format('%5.3d|% d|%-----d|%3c|', 7, 5, 6, 65)",
  "return string.format('%%|%.3s|%s', 'a\\0bcdef', 'x')",
  "return #string.format('%s', string.rep('a', 99) .. '\\0b'), #string.format('%s', string.rep('a', 100) .. '\\0b')",
  "return pcall(string.format, '%s', nil)",
  "return pcall(string.format, '%s', {})",
  "return pcall(string.format, '%y', 1)",
  "return pcall(string.format, '%a', 1)",
  "return pcall(string.format, '%d')",
  "return pcall(string.format, '%d', 'x')",
  "return pcall(string.format, '%123d', 1)",
  "return pcall(string.format, '%------d', 1)",
  "local ok, e = pcall(function() local r = string.format('%d', {}) return r end) return e",
  "return ('%d'):format(3.5)",
  "return unpack({1, 2, 3})",
  "return select('#', unpack({1, nil, 3}))",
  "return math.pow(2, 10), math.mod(7, 3), math.mod(-7, 3), tostring(math.fmod(1, 0)), math.log10(1000), math.atan2(1, 1)",
  "return math.floor(3.7), math.ceil(3.2), math.floor(-0.5), math.floor(2^62), math.sqrt(16), math.abs(-5), math.exp(0), math.log(1)",
  "return math.frexp(8), math.frexp(0.3), math.ldexp(0.5, 3), math.modf(3.7)",
  "return math.cosh(0), math.sinh(0), math.tanh(0), math.log(100, 10)",
  "return math.huge, -math.huge, math.pi",
  "return pcall(math.floor, 'x')",
  "return pcall(math.floor)",
  "return table.getn({1, 2, 3}), table.maxn({1, 2, [10] = 3})",
  "return pcall(table.setn, {}, 1)",
  "local s = '' table.foreach({10}, function(k, v) s = s .. k .. '=' .. v end) table.foreachi({7, 8}, function(i, v) s = s .. ';' .. i .. v end) return s",
  "return table.concat({1, 2.5, 10/2, 'x'}, ','), table.concat({1, 2, 3}, 0.5), table.concat({1, 2, 3}, '-', 2), table.concat({}, ',')",
  "return pcall(table.concat, {1, {}}, ',')",
  "local s = '' for w in string.gfind('a b c', '%a') do s = s .. w end return s",
  "return type(gcinfo())",
  "return loadstring('return 1 + 1')()",
  "return loadstring('x=')",
  "return loadstring('x=', '=name')",
  "return loadstring('x=', '@name')",
  "return loadstring(string.char(27) .. 'LuaQ')",
  "return loadstring('x = ', 'a name that is longer than forty-five characters, to be cut')",
  "return loadstring('x = 1 +\\n')",
  "return loadstring('return 1\\nreturn 2')",
  "return loadstring('x = ', '@' .. string.rep('f', 100))",
  "return loadstring('x = ', '=' .. string.rep('g', 100))",
  "return loadstring('x = \"abc')",
  "return loadstring('local t = {} t.x.y = 1')",
  "return pcall(load, 'return 1')",
  "local n = 0 local f = load(function() n = n + 1 if n == 1 then return 'return 5' end end) return f()",
  "return load(function() return nil end) ~= nil",
  "return _VERSION",
  "return tonumber('0x10'), tonumber(' 12 '), tonumber('12a'), tonumber('1e2'), tonumber('inf'), tonumber('-Infinity'), tonumber('nan'), tonumber('10', 2)",
  "return '10' + 1, 7 / 2, 2^53, 10 / 2",
  "return tostring(123456789012345), tostring(99999999999999), tostring(-123456789012345), string.format('%s|%d', 2^63, 2^63), string.format('%d', -2^63)",
  "return string.format('%.20f|%10.3e|%-8g|%+d|% i', 0.1, 123.456, 0.5, 0, 3)",
  "return string.format('%x|%X|%o|%c', -1, 2^32, -8, 321)",
  "return string.format('%05d|%-5s|%5.2s|%.0f', -42, 'ab', 'xyz', 2.5)",
  "return string.format('%s %s', true and 'x' or 'y', 12)",
  "return pcall(string.format, '%d', '3.7x')",
  "return string.format('%d', '  0x10  '), string.format('%5.1f', '2.25')",
  "return string.format(12), string.format('%s', 1e100), string.format('%s', 1e-5), string.format('%s', 123e-7)",
  "return pcall(string.format)",
  "return pcall(string.format, {})",
  "return pcall(string.format, '%', 1)",
  "return math.max(1, 2.5, 2), math.min(3, 1.5), math.abs(-2^63), math.floor(1e300), math.ceil(-2.5)",
  "return math.fmod(7, -3), math.fmod(-7, 3), math.fmod(5.5, 2), math.modf(-3.7), math.modf(5)",
  "return math.sqrt(2), math.exp(1), math.log(0), math.log10(0.001), math.pow(2, 0.5), math.pow(-8, 1/3)",
  "return math.frexp(0), math.frexp(-1), math.frexp(1e-310), math.ldexp(1, 1024), math.ldexp(1, -1074), math.ldexp(3, -1)",
  "return math.deg(math.pi), math.rad(180), math.sin(0), math.cos(0), math.tan(0), math.asin(1), math.acos(1), math.atan(1)",
  "return pcall(tostring)",
  "return string.sub('abcdef', 2.7, 4.2), string.byte('abc', 1.5), string.rep('ab', 2.9), string.char(65.7, 66), select(1.5, 'a', 'b')",
  "return unpack({1, 2, 3}, 1.5, 2.5)",
  "local t = {1, 2} table.insert(t, 1.5, 9) return t[1], t[2], t[3]",
  "local t = {1, 2} table.insert(t, 5, 9) return #t, t[5]",
  "local t = {1, 2} table.insert(t, -1, 9) return t[-1], #t",
  "local t = {1, 2, 3} return table.remove(t, 1.5), #t",
  "local t = {1, 2, 3} return table.remove(t, 7), table.remove({}), table.remove(t), #t",
  "return pcall(table.insert, {}, 1, 2, 3)",
  "return pcall(table.insert, {})",
  "return pcall(string.sub)",
  "return pcall(string.sub, 'abc', 'x')",
  "return pcall(string.rep)",
  "return pcall(string.char, 'x')",
  "return pcall(string.char, 256)",
  "return pcall(select, 0, 'a')",
  "return select(-1, 'a', 'b'), select('#'), select('#', nil, nil), select(5, 'a')",
  "return pcall(select, -3, 'a')",
  "return pcall(unpack)",
  "return unpack({1, 2}, 3), unpack({}, 1, 0)",
  "return tonumber(10, 16), tonumber('ff', 16), tonumber('z', 36), tonumber('8', 8)",
  "return string.find('abcabc', 'b', 2.5), string.find('abc', '', 10), string.match('abc', '(b)', 1.9)",
  "return string.gsub('hello world', 'o', {o = 2.5}), string.gsub('abc', '%w', function(c) return 10 / 2 end), string.gsub('abc', 'b', 3.0)",
  "return string.gsub('abc', 'b', '%a%%%1'), string.gsub('abcabc', 'b', 'x', 1.9)",
  "return pcall(string.gsub, 'abc', 'b', true)",
  "return ('abc'):sub(2.5), ('%d'):rep(2)",
  "return math.random(100), math.random(100), math.random(100)",
  "math.randomseed(42) return math.random(100), math.random(100)",
  "math.randomseed(7) return math.random(), math.random(5, 10), math.random(-3, 3), math.random(1)",
  "math.randomseed(-123456789) return math.random(1000), math.random(2^31 - 1)",
  "math.randomseed(2^40 + 17) return math.random(1000)",
  "math.randomseed('9') return math.random(1000)",
  "return pcall(math.random, 0)",
  "return pcall(math.random, 5, 1)",
  "return pcall(math.random, 1, 2, 3)",
  "return pcall(math.random, 'x')",
  "return pcall(math.randomseed)",
  "return type(utf8), type(table.unpack), type(string.pack), type(math.tointeger), type(math.type), type(table.move)",
  "local t = {} for k in pairs(math) do t[#t + 1] = k end table.sort(t) return table.concat(t, ',')",
  "local t = {} for k in pairs(table) do t[#t + 1] = k end table.sort(t) return table.concat(t, ',')",
  "local t = {} for k in pairs(string) do t[#t + 1] = k end table.sort(t) return table.concat(t, ',')",
];

const SANDBOX = [
  "local ok, e = pcall(function() x = 1 end) return e",
  "local ok, e = pcall(function() local v = undefined_name return v end) return e",
  "local ok, e = pcall(function() string.x = 1 end) return e",
  "local ok, e = pcall(function() cjson.encode = nil end) return e",
  "local ok, e = pcall(function() _G.x = 1 end) return e",
  "local ok, e = pcall(function() KEYS = 1 end) return e",
  "local ok, e = pcall(function() function f() end end) return e",
  "return pcall(rawset, _G, 'a', 1)",
  "return pcall(rawset, cjson, 'a', 1)",
  "return pcall(setmetatable, _G, nil)",
  "return pcall(setmetatable, string, {})",
  "return pcall(table.insert, string, 1)",
  "local ok, e = pcall(function() getmetatable('').__index = 1 end) return e",
  "return getmetatable('').__index == string, type(getmetatable(_G)), getmetatable(cjson)",
  "local mt = getmetatable('') return pcall(setmetatable, mt, {})",
  "return pcall(rawset, getmetatable(''), '__index', 1)",
  "local ok, e = pcall(function() getmetatable(_G).__index = nil end) return e",
  "return _G._G == _G, rawequal(_G, _G._G), _G.string == string",
  "KEYS[1] = 'k' return KEYS[1]",
  "local t = setmetatable({}, {__index = function() return 5 end}) return t.x, rawset(t, 'y', 1).y",
  "local n = 0 for k, v in pairs(string) do n = n + 1 end return n > 10",
  "return ('abc'):upper(), #'abc', ('x'):rep(3)",
  "return type(os), type(io), type(print), type(require), type(debug), type(getfenv)",
];

const GROUPS: Record<string, readonly string[]> = { CJSON, CMSGPACK, BIT, STRUCT, COMPAT, SANDBOX };

const live = await redisServerAvailable();

describe("Lua libraries against redis-server", { skip: live ? false : "redis-server not available" }, () => {
  let redis: RedisProcess;
  let client: Redis;
  let state: Awaited<ReturnType<typeof luaLibrariesState>>;
  before(async () => {
    redis = await startRedis();
    client = new Redis({ port: redis.port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0 });
    await client.connect();
    state = await luaLibrariesState();
  });
  after(async () => {
    client?.disconnect();
    state?.engine.global.close();
    await redis?.stop();
  });

  async function onRedis(script: string): Promise<string> {
    try {
      return String(await client.eval(script, 0));
    } catch (error) {
      // The reply's "ERR " and " script: <sha>, on @user_script:1." are the glue's business.
      return "ERROR: " + (error as Error).message.replace(/^ERR /, "").replace(/ script: [0-9a-f]{40}, on @user_script:\d+\.$/, "");
    }
  }

  // Groups run in this order on both sides (math.random's sequence and cjson's
  // settings carry over from one snippet to the next).
  for (const [name, snippets] of Object.entries(GROUPS)) {
    test(name, async () => {
      const differences: string[] = [];
      for (const body of snippets) {
        const script = wrapSnippet(body);
        const expected = await onRedis(script);
        const actual = state.run(script);
        if (actual !== expected) differences.push(`${body}\n  redis: ${expected}\n  ours:  ${actual}`);
      }
      assert.deepEqual(differences, []);
    });
  }
});

// Facts from docs/scripting.md (checked on redis-server 7.0.15) that hold
// without a live server.
describe("Lua libraries: recorded facts", () => {
  let state: Awaited<ReturnType<typeof luaLibrariesState>>;
  before(async () => {
    state = await luaLibrariesState();
  });
  after(() => state?.engine.global.close());
  const run = (body: string) => state.run(wrapSnippet(body));

  test("math.random follows Redis's drand48 from a fresh state", () => {
    assert.equal(run("return math.random(100), math.random(100)"), "40|85");
    assert.equal(run("math.randomseed(42) return math.random(100), math.random(100)"), "75|35");
  });
  test("5.1 number printing", () => {
    assert.equal(run("return tostring(10/2), tostring(1e15), tostring(2^53), tostring(0/0), tostring(1/0)"), "5|1e+15|9.007199254741e+15|-nan|inf");
    assert.equal(run("return tostring(-0.0)"), "-0");
    assert.equal(run("return string.format('%d', 3.7)"), "3");
  });
  test("libraries", () => {
    assert.equal(run("return cjson.encode({}), cjson.encode(1/3), cjson.encode('a/b')"), "{}|0.33333333333333|\"a\\/b\"");
    assert.equal(run("return bit.lshift(1, 31), bit.tohex(255), bit.tohex(-1, -4)"), "-2147483648|000000ff|FFFF");
    assert.equal(run("return pcall(cmsgpack.unpack, string.char(0xc1))"), "false|Bad data format in input.");
    assert.equal(run("local ok, e = pcall(function() local r = struct.pack('q') return r end) return e"), "user_script:1: bad argument #1 to 'pack' (invalid format option 'q')");
  });
  test("the chunks read no global after loading and write none", () => {
    run("return cjson.encode({1, 'a', {x = true}}) .. tostring(cjson.decode('[1]')) .. cmsgpack.pack({1, 'a'}) .. bit.tohex(1) .. struct.pack('i', 1)");
    run("return pcall(cjson.decode, '[1,'), pcall(cmsgpack.unpack, 'x'), pcall(struct.unpack, 'i', 'x'), pcall(bit.band, 'x'), math.random(3), string.format('%d', 1.5), table.concat({1.5})");
    run("return pcall(struct.pack, 'l', 2^63), pcall(cmsgpack.unpack_one, 'x', 2.5), math.ldexp(1, 2), math.frexp(3), tonumber('inf'), loadstring('x=')");
    assert.equal(state.globalsTouched(), "");
  });
  test("the sandbox's errors", () => {
    assert.equal(run("local ok, e = pcall(function() x = 1 end) return e"), "user_script:1: Attempt to modify a readonly table");
    assert.equal(run("local ok, e = pcall(function() return y + 1 end) return e"), "user_script:1: Script attempted to access nonexistent global variable 'y'");
    assert.equal(run("return pcall(rawset, _G, 'a', 1)"), "false|Attempt to modify a readonly table");
  });
});
