// Differential cases of pub/sub (src/commands/families/pubsub.ts) on one
// connection, by command: confirmations and counts, RESP2 subscribed mode
// (its errors and PING), RESP3 pushes mixed with replies (a client hearing
// its own PUBLISH), PUBSUB introspection, MULTI and RESET. Run by
// pubsub_test.ts against redis-server or its recorded replies; the
// several-client cases are in pubsub_test.ts itself.
import { inline, type CasesByCommand } from "../differential/case_types.ts";

/** A command as raw RESP bytes, for steps that answer several frames. */
function resp(...argv: string[]): string {
  return `*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join("");
}

/** A command step that reads `replies` frames. */
const frames = (replies: number, ...argv: string[]) => inline(resp(...argv), replies);

export const CASES: CasesByCommand = {
  SUBSCRIBE: [
    {
      name: "SUBSCRIBE confirms each channel, duplicates included, with the running count",
      steps: [frames(3, "SUBSCRIBE", "a", "b", "a"), frames(1, "SUBSCRIBE", "c"), frames(2, "UNSUBSCRIBE", "a", "zz")],
    },
    {
      name: "SUBSCRIBE checks its arity",
      steps: [["SUBSCRIBE"]],
    },
    {
      name: "RESP3: SUBSCRIBE confirmations are pushes and a client hears its own PUBLISH before the reply",
      resp3: true,
      steps: [frames(2, "SUBSCRIBE", "news", "sport"), frames(2, "PUBLISH", "news", "hello"), ["GET", "k"], frames(2, "PUBLISH", "sport", ""), ["PUBLISH", "other", "x"]],
    },
  ],
  UNSUBSCRIBE: [
    {
      name: "UNSUBSCRIBE with no channel answers once per channel held, or once with a null channel when none is",
      // One channel held: Redis answers in its dict's order, which is not defined.
      steps: [frames(1, "UNSUBSCRIBE"), frames(1, "SUBSCRIBE", "x"), frames(1, "UNSUBSCRIBE"), ["PING"], frames(1, "UNSUBSCRIBE", "never")],
    },
    {
      name: "RESP3: UNSUBSCRIBE with nothing held answers a push with a null channel",
      resp3: true,
      steps: [frames(1, "UNSUBSCRIBE"), frames(1, "PSUBSCRIBE", "p*"), frames(1, "UNSUBSCRIBE"), frames(1, "PUNSUBSCRIBE")],
    },
  ],
  PSUBSCRIBE: [
    {
      name: "PSUBSCRIBE counts patterns with channels; shard channels count apart",
      steps: [frames(2, "SUBSCRIBE", "a", "b"), frames(2, "PSUBSCRIBE", "a*", "a*"), frames(1, "SSUBSCRIBE", "sh"), frames(1, "PUNSUBSCRIBE", "a*"), frames(1, "SUNSUBSCRIBE"), frames(1, "UNSUBSCRIBE", "b"), frames(1, "UNSUBSCRIBE")],
    },
    {
      name: "RESP3: a pattern and a channel both deliver, channel first",
      resp3: true,
      // One matching pattern: Redis visits patterns in its dict's order, which is not defined.
      steps: [frames(1, "SUBSCRIBE", "news.it"), frames(2, "PSUBSCRIBE", "news.*", "n?ws.[k-z]*"), frames(3, "PUBLISH", "news.it", "ciao")],
    },
  ],
  PUNSUBSCRIBE: [
    {
      name: "PUNSUBSCRIBE of patterns held and not held",
      steps: [frames(2, "PSUBSCRIBE", "x*", "y*"), frames(2, "PUNSUBSCRIBE", "x*", "z*"), frames(1, "PUNSUBSCRIBE")],
    },
  ],
  SSUBSCRIBE: [
    {
      name: "SSUBSCRIBE confirms each shard channel; SPUBLISH reaches it, PUBLISH does not",
      resp3: true,
      steps: [frames(2, "SSUBSCRIBE", "s1", "s2"), frames(2, "SPUBLISH", "s1", "m"), ["PUBLISH", "s1", "m"], frames(1, "PSUBSCRIBE", "s*"), frames(2, "SPUBLISH", "s2", "n")],
    },
  ],
  SUNSUBSCRIBE: [
    {
      name: "SUNSUBSCRIBE with and without names",
      steps: [frames(1, "SUNSUBSCRIBE"), frames(2, "SSUBSCRIBE", "s1", "s2"), frames(1, "SUNSUBSCRIBE", "s2"), frames(1, "SUNSUBSCRIBE")],
    },
  ],
  PUBLISH: [
    {
      name: "PUBLISH to a channel nobody hears answers 0; arity",
      steps: [["PUBLISH", "nobody", "x"], ["PUBLISH", "a"], ["PUBLISH", "a", "b", "c"]],
    },
    {
      // A subscriber hearing its own PUBLISH inside EXEC differs on purpose (docs/COMPATIBILITY.md): Redis writes
      // the pushes inside EXEC's array as each PUBLISH runs; Materia delivers them once EXEC has committed, before
      // its reply. pubsub_test.ts checks the delivery with two clients.
      name: "PUBLISH inside MULTI is queued and answers its count in EXEC",
      steps: [["MULTI"], ["PUBLISH", "t", "one"], ["SET", "k", "v"], ["SPUBLISH", "t", "two"], ["EXEC"], ["GET", "k"]],
    },
  ],
  SPUBLISH: [
    {
      name: "SPUBLISH to a shard channel nobody hears answers 0; arity",
      steps: [["SPUBLISH", "nobody", "x"], ["SPUBLISH", "a"]],
    },
  ],
  "subscribed mode": [
    {
      name: "RESP2 subscribed mode allows only (un)subscribing, PING, QUIT and RESET",
      steps: [
        frames(1, "SUBSCRIBE", "ch"),
        ["GET", "a"], ["PUBLISH", "ch", "x"], ["CLIENT", "ID"], ["MULTI"], ["HELLO", "2"],
        ["PING"], ["PING", "hi"], ["ping", ""],
        frames(1, "PSUBSCRIBE", "p"), frames(1, "UNSUBSCRIBE", "ch"), ["GET", "a"], frames(1, "PUNSUBSCRIBE"),
        ["GET", "a"], ["PING"],
      ],
    },
    {
      name: "RESP2 subscribed mode: unknown commands and wrong arity keep their own errors",
      steps: [frames(1, "SUBSCRIBE", "ch"), ["NOSUCHCMD"], ["GET"], ["SUBSCRIBE"]],
    },
    {
      name: "RESP3 has no subscribed mode: any command runs and PING is PONG",
      resp3: true,
      steps: [frames(1, "SUBSCRIBE", "ch"), ["SET", "a", "1"], ["GET", "a"], ["PING"], ["PING", "x"], ["CLIENT", "GETNAME"]],
    },
    {
      name: "RESET leaves subscribed mode",
      steps: [frames(2, "SUBSCRIBE", "a", "b"), ["RESET"], ["GET", "a"], ["PUBSUB", "NUMSUB", "a"]],
    },
  ],
  "PUBSUB CHANNELS": [
    {
      name: "PUBSUB CHANNELS lists channels with subscribers, with and without a pattern",
      resp3: true,
      steps: [["PUBSUB", "CHANNELS"], frames(3, "SUBSCRIBE", "news.1", "news.2", "other"), frames(1, "PSUBSCRIBE", "news.*"),
        { argv: ["PUBSUB", "CHANNELS"], compare: "unordered" }, { argv: ["PUBSUB", "CHANNELS", "news.*"], compare: "unordered" }, ["PUBSUB", "CHANNELS", "x*"],
        ["PUBSUB", "CHANNELS", "a", "b"]],
    },
  ],
  "PUBSUB NUMSUB": [
    {
      name: "PUBSUB NUMSUB counts channel subscribers, not patterns",
      resp3: true,
      steps: [["PUBSUB", "NUMSUB"], frames(1, "SUBSCRIBE", "a"), frames(1, "PSUBSCRIBE", "a"), ["PUBSUB", "NUMSUB", "a", "b", "a"]],
    },
  ],
  "PUBSUB NUMPAT": [
    {
      name: "PUBSUB NUMPAT counts distinct patterns",
      resp3: true,
      steps: [["PUBSUB", "NUMPAT"], frames(2, "PSUBSCRIBE", "a*", "b*"), ["PUBSUB", "NUMPAT"], ["PUBSUB", "NUMPAT", "x"]],
    },
  ],
  "PUBSUB SHARDCHANNELS": [
    {
      name: "PUBSUB SHARDCHANNELS and SHARDNUMSUB",
      resp3: true,
      steps: [["PUBSUB", "SHARDCHANNELS"], frames(2, "SSUBSCRIBE", "s1", "s2"), { argv: ["PUBSUB", "SHARDCHANNELS"], compare: "unordered" }, ["PUBSUB", "SHARDCHANNELS", "*1"],
        ["PUBSUB", "SHARDNUMSUB", "s1", "nope"], ["PUBSUB", "SHARDNUMSUB"], ["PUBSUB", "NUMSUB", "s1"]],
    },
  ],
  "PUBSUB SHARDNUMSUB": [
    {
      name: "PUBSUB SHARDNUMSUB of channels nobody holds",
      steps: [["PUBSUB", "SHARDNUMSUB", "a", "b"]],
    },
  ],
  "PUBSUB HELP": [
    {
      name: "PUBSUB HELP, unknown subcommands and a bare PUBSUB",
      steps: [["PUBSUB", "HELP"], ["PUBSUB", "FOO"], ["PUBSUB"], ["PUBSUB", "NUMPAT", "extra"]],
    },
  ],
};

export const METADATA_COMMANDS: readonly string[] = [
  "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "publish", "pubsub", "pubsub|channels", "pubsub|numsub", "pubsub|numpat", "pubsub|help",
];
