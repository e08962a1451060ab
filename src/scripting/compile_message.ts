// Lua 5.4's compiler says some things differently from Redis's Lua 5.1; the
// messages scripts get are reworded to 5.1's where the difference is only
// in the words.

/** A Lua 5.4 compiler message in Lua 5.1's words: '<eof>' quoted, no "(starting at line N)". */
export function luaFiveOneMessage(message: string): string {
  return message.replace(/(^|[^'])<eof>(?!')/g, "$1'<eof>'").replace(/ \(starting at line \d+\)/, "");
}
