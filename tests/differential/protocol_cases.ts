// Differential cases of the protocol rather than of one command family: RESP3
// replies across commands, unknown commands and subcommands, inline commands and
// protocol errors. Run by protocol_test.ts; each family's own cases live in
// tests/commands/<family>_cases.ts.
import { anyInteger, bin, fatal, hello, inline, scanAll, unordered, type CasesByCommand } from "./case_types.ts";

const UNKNOWN_LONG_ARG = "x".repeat(200);

export const CASES: CasesByCommand = {
  RESP3: [
    {
      name: "RESP3 nulls, arrays and errors",
      resp3: true,
      steps: [
        ["GET", "nope"], ["SET", "k", "v", "NX"], ["SET", "k", "w", "NX"], ["SET", "k", "x", "GET"], ["SET", "new", "1", "XX"],
        ["SET", "new", "1", "XX", "GET"], ["MGET", "k", "nope"], ["CLIENT", "GETNAME"], unordered("KEYS", "*"), scanAll(),
        ["SCAN", "0", "MATCH", "nomatch", "COUNT", "1000"], ["INCR", "n"], ["PING"], ["PING", "x"], ["ECHO", "y"],
        ["TYPE", "k"], ["DBSIZE"], ["GETRANGE", "nope", "0", "1"], ["FOO"], ["GET"], ["INCR", "k"], ["COMMAND", "INFO", "nosuch"],
        ["COMMAND", "GETKEYS", "MSET", "a", "1"], anyInteger("CLIENT", "ID"), hello(), ["SELECT", "16"],
      ],
    },
  ],
  "unknown commands": [
    {
      name: "unknown commands echo the name and the first arguments",
      steps: [
        ["FOO"], ["FOO", "a", "b"], ["foo", "a", "b"], ["FOO", UNKNOWN_LONG_ARG], ["FOO", "a", UNKNOWN_LONG_ARG, "c"],
        ["FOO", ...Array.from({ length: 60 }, (_, i) => `arg${i}`)], ["x".repeat(200), "a"], ["FOO", "a\r\nb"], ["FOO", ""],
        [""], ["FOO", "é".repeat(100)], ["FOO", bin("a\x00b"), "c"], [bin("F\x00O"), "a"], ["FOO", bin("\xff\xfe"), bin("caf\xe9")], [bin("\xff"), "a"], ["GETT", "k"], ["SE T", "k", "v"],
      ],
    },
    {
      name: "unknown subcommands of CLIENT and COMMAND, and container arity",
      steps: [
        ["CLIENT", "FOO"], ["client", "foo", "bar"], ["Client", "Foo"], ["COMMAND", "FOO"], ["command", "foo", "x"],
        ["CLIENT", UNKNOWN_LONG_ARG], ["CLIENT", bin("x\xff")], ["CLIENT"], ["CLIENT", "SETNAME"], ["CLIENT", "GETNAME", "x"], ["CLIENT", "ID", "x"],
        ["COMMAND", "INFO", "nosuchcommand"], ["COMMAND", "INFO", "nosuchcommand", "alsonot"], ["COMMAND", "COUNT", "x"],
      ],
    },
  ],
  "inline commands": [
    {
      name: "inline commands are split like a shell line",
      steps: [
        inline("PING\r\n"), inline("PING\n"), inline("SET a \"b c\"\r\n"), inline("GET a\n"), inline("ECHO 'x y'\r\n"),
        inline("SET b \"\\x41\\x00\\xff\\n\"\r\n"), ["GET", "b"], inline("ECHO \"a\\tb\\\\c\\\"d\"\r\n"), inline("  PING   \r\n"),
        inline("\r\n\r\nPING\r\n"), inline("ECHO ''\r\n"), inline("ECHO \"\"\r\n"), inline("FOO bar\r\n"),
        inline("MSET x 1 y 2\r\nMGET x y\r\n", 2),
        // A pipeline mixing multibulk and inline requests in one write.
        inline("*3\r\n$3\r\nSET\r\n$1\r\np\r\n$1\r\n1\r\n*2\r\n$4\r\nINCR\r\n$1\r\np\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\np\r\n", 4),
        inline("ping\r\n"), inline("GET\r\n"), inline("$3\r\nfoo\r\n", 2),
        inline(":1\r\n"), inline("ECHO a\rb\r\n"), inline("SET c\tv\r\n"), ["GET", "c"],
      ],
    },
  ],
  "protocol errors": [
    {
      name: "multibulk requests that are empty or negative are ignored",
      steps: [inline("*0\r\n*-1\r\nPING\r\n"), inline("*1\r\n$4\r\nPING\r\n*-5\r\n*1\r\n$4\r\nPING\r\n", 2)],
    },
    { name: "protocol error: bulk length is not a number", steps: [fatal("*1\r\n$abc\r\n")] },
    { name: "protocol error: negative bulk length", steps: [fatal("*1\r\n$-1\r\n")] },
    { name: "protocol error: multibulk length is not a number", steps: [fatal("*abc\r\n")] },
    { name: "protocol error: a multibulk item is not a bulk string", steps: [fatal("*2\r\n$3\r\nGET\r\n:1\r\n")] },
    { name: "protocol error: multibulk length too large", steps: [fatal("*2147483648\r\n")] },
    { name: "protocol error: unbalanced quotes in an inline command", steps: [["SET", "a", "1"], fatal("SET \"a\r\n")] },
    { name: "protocol error: unbalanced single quote", steps: [fatal("ECHO 'a\r\n")] },
    { name: "protocol error: a closing single quote followed by a character", steps: [fatal("ECHO 'a'b\r\n")] },
    { name: "protocol error: a closing double quote followed by a character", steps: [fatal("ECHO \"a\"b\r\n")] },
    { name: "protocol error: inline request too big", steps: [fatal("PING " + "x".repeat(70_000))] },
  ],
};
