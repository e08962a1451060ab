// fast-check generators of consumer-group command sequences over one stream
// (stream_groups_model.ts's STREAM_KEY), two groups and three consumers, so
// that consumers share entries, claim each other's and groups collide.
//
// A generated command is a function of the sequence written so far: XADD
// takes the next id of the sequence (explicit, `<ms>-*`, or a stale one that
// Redis refuses) and the ids other commands name are mostly those XADD took,
// recent ones more often, so that XACK, XCLAIM and XDEL find their entries.
// The ids are fixed when the sequence is generated, so a sequence can be
// pipelined and replays the same.
import fc from "fast-check";
import { IDLE_THRESHOLD_MS, OLD_IDLE_MS, STREAM_KEY } from "./stream_groups_model.ts";

export type Argv = readonly string[];

export const GROUPS = ["g1", "g2"] as const;
export const CONSUMERS = ["alice", "bob", "carol"] as const;

/** What the commands before this one fixed: XADD's ids so far. */
class SequenceSoFar {
  readonly ids: string[] = [];
  private ms = 0;
  private seq = 0;

  /** The next XADD's id argument: `gap` 0 stays in the same millisecond. */
  xaddId(form: "explicit" | "partial" | "stale", gap: number): string {
    if (form === "stale") return `${this.ms}-${this.seq}`;
    if (gap === 0 && this.ms > 0) this.seq++;
    else {
      this.ms += Math.max(gap, 1);
      this.seq = 0;
    }
    const id = `${this.ms}-${this.seq}`;
    this.ids.push(id);
    // `<ms>-*` gives the same id as long as every XADD before it succeeded; if not, the model says what it gives.
    return form === "explicit" ? id : `${this.ms}-*`;
  }

  /** An id to name: mostly one XADD took (recent ones more often), sometimes one that may never have existed. */
  ref(pick: number): string {
    if (this.ids.length === 0 || pick % 8 === 0) return `${1 + (pick % 9)}-${pick % 2}`;
    return this.ids[this.ids.length - 1 - ((pick >> 3) % Math.min(this.ids.length, 6))]!;
  }
}

type Command = (so: SequenceSoFar) => Argv;

const group = fc.oneof({ weight: 4, arbitrary: fc.constant<string>("g1") }, { weight: 1, arbitrary: fc.constant<string>("g2") });
const consumer = fc.constantFrom<string>(...CONSUMERS);
const pick = fc.nat({ max: 1_000 });
const picks = fc.array(pick, { minLength: 1, maxLength: 3 });
const maybe = <T>(a: fc.Arbitrary<T>, freq = 2) => fc.option(a, { nil: undefined, freq });
const flag = (name: string) => maybe(fc.constant([name]));
const minIdle = fc.oneof({ weight: 3, arbitrary: fc.constant("0") }, { weight: 1, arbitrary: fc.constant(String(IDLE_THRESHOLD_MS)) });
const startOrEnd = (open: string) => fc.oneof(
  { weight: 3, arbitrary: fc.constant((_: SequenceSoFar) => open) },
  { weight: 2, arbitrary: pick.map((p) => (so: SequenceSoFar) => so.ref(p)) },
  { weight: 1, arbitrary: pick.map((p) => (so: SequenceSoFar) => `(${so.ref(p)}`) },
);
const groupStart = fc.oneof(
  { weight: 2, arbitrary: fc.constant((_: SequenceSoFar) => "0") },
  { weight: 2, arbitrary: fc.constant((_: SequenceSoFar) => "$") },
  { weight: 1, arbitrary: pick.map((p) => (so: SequenceSoFar) => so.ref(p)) },
);
const flat = (...parts: Array<readonly string[] | undefined>): string[] => parts.flatMap((p) => p ?? []);

const xadd: fc.Arbitrary<Command> = fc.tuple(
  fc.oneof({ weight: 6, arbitrary: fc.constant("explicit" as const) }, { weight: 3, arbitrary: fc.constant("partial" as const) }, { weight: 1, arbitrary: fc.constant("stale" as const) }),
  fc.constantFrom(0, 0, 1, 1, 2),
  fc.constantFrom("a", "b", "\x00\xff", ""),
).map(([form, gap, value]) => (so) => ["XADD", STREAM_KEY, so.xaddId(form, gap), "f", value]);

const readNew: fc.Arbitrary<Command> = fc.tuple(group, consumer, maybe(fc.constantFrom("0", "1", "2", "3")), flag("NOACK")).map(
  ([g, c, count, noack]) => () => flat(["XREADGROUP", "GROUP", g, c], count === undefined ? [] : ["COUNT", count], noack, ["STREAMS", STREAM_KEY, ">"]),
);

const readHistory: fc.Arbitrary<Command> = fc.tuple(group, consumer, maybe(fc.constantFrom("1", "2")), fc.oneof(fc.constant(undefined), pick)).map(
  ([g, c, count, from]) => (so) => flat(["XREADGROUP", "GROUP", g, c], count === undefined ? [] : ["COUNT", count], ["STREAMS", STREAM_KEY, from === undefined ? "0" : so.ref(from)]),
);

const xack: fc.Arbitrary<Command> = fc.tuple(group, picks).map(([g, ps]) => (so) => ["XACK", STREAM_KEY, g, ...ps.map((p) => so.ref(p))]);

const xclaim: fc.Arbitrary<Command> = fc.tuple(
  group, consumer, minIdle, picks,
  maybe(fc.constantFrom(["IDLE", "0"], ["IDLE", String(OLD_IDLE_MS)], ["TIME", "1"], ["TIME", "99999999999999"]), 3),
  maybe(fc.constantFrom("0", "1", "3").map((n) => ["RETRYCOUNT", n]), 4),
  flag("FORCE"), flag("JUSTID"),
  maybe(pick, 5),
).map(([g, c, idle, ps, time, retry, force, justId, lastId]) => (so) =>
  flat(["XCLAIM", STREAM_KEY, g, c, idle, ...ps.map((p) => so.ref(p))], time, retry, force, justId, lastId === undefined ? [] : ["LASTID", so.ref(lastId)])
);

const xautoclaim: fc.Arbitrary<Command> = fc.tuple(group, consumer, minIdle, startOrEnd("0-0"), maybe(fc.constantFrom("1", "2", "4")), flag("JUSTID")).map(
  ([g, c, idle, start, count, justId]) => (so) => flat(["XAUTOCLAIM", STREAM_KEY, g, c, idle, start(so)], count === undefined ? [] : ["COUNT", count], justId),
);

const pendingSummary: fc.Arbitrary<Command> = group.map((g) => () => ["XPENDING", STREAM_KEY, g]);

const pendingExtended: fc.Arbitrary<Command> = fc.tuple(
  group, maybe(minIdle.map((ms) => ["IDLE", ms])), startOrEnd("-"), startOrEnd("+"), fc.constantFrom("0", "1", "2", "10"), maybe(consumer, 3),
).map(([g, idle, start, end, count, c]) => (so) => flat(["XPENDING", STREAM_KEY, g], idle, [start(so), end(so), count], c === undefined ? [] : [c]));

const create: fc.Arbitrary<Command> = fc.tuple(group, groupStart, flag("MKSTREAM")).map(
  ([g, start, mkstream]) => (so) => flat(["XGROUP", "CREATE", STREAM_KEY, g, start(so)], mkstream),
);
const setId: fc.Arbitrary<Command> = fc.tuple(group, groupStart).map(([g, start]) => (so) => ["XGROUP", "SETID", STREAM_KEY, g, start(so)]);
const createConsumer: fc.Arbitrary<Command> = fc.tuple(group, consumer).map(([g, c]) => () => ["XGROUP", "CREATECONSUMER", STREAM_KEY, g, c]);
const delConsumer: fc.Arbitrary<Command> = fc.tuple(group, consumer).map(([g, c]) => () => ["XGROUP", "DELCONSUMER", STREAM_KEY, g, c]);
const xdel: fc.Arbitrary<Command> = fc.array(pick, { minLength: 1, maxLength: 2 }).map((ps) => (so) => ["XDEL", STREAM_KEY, ...ps.map((p) => so.ref(p))]);
const xtrim: fc.Arbitrary<Command> = fc.oneof(
  fc.constantFrom("0", "1", "3", "5").map((n) => () => ["XTRIM", STREAM_KEY, "MAXLEN", "=", n]),
  pick.map((p) => (so: SequenceSoFar) => ["XTRIM", STREAM_KEY, "MINID", "=", so.ref(p)]),
);

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 7, arbitrary: xadd },
  { weight: 6, arbitrary: readNew },
  { weight: 2, arbitrary: readHistory },
  { weight: 3, arbitrary: xack },
  { weight: 3, arbitrary: xclaim },
  { weight: 2, arbitrary: xautoclaim },
  { weight: 1, arbitrary: pendingSummary },
  { weight: 2, arbitrary: pendingExtended },
  { weight: 1, arbitrary: create },
  { weight: 1, arbitrary: setId },
  { weight: 1, arbitrary: createConsumer },
  { weight: 1, arbitrary: delConsumer },
  { weight: 1, arbitrary: xdel },
  { weight: 1, arbitrary: xtrim },
);

/**
 * A sequence of up to `maxLength` commands. Most start by creating g1, or
 * both groups, so that most commands find a group; some find no stream.
 */
export function groupSequence(options: { maxLength: number }): fc.Arbitrary<Argv[]> {
  const prefix = fc.oneof(
    { weight: 1, arbitrary: fc.constant<Argv[]>([]) },
    { weight: 4, arbitrary: fc.constantFrom("0", "$").map((start): Argv[] => [["XGROUP", "CREATE", STREAM_KEY, "g1", start, "MKSTREAM"]]) },
    {
      weight: 3,
      arbitrary: fc.constant<Argv[]>([["XGROUP", "CREATE", STREAM_KEY, "g1", "0", "MKSTREAM"], ["XGROUP", "CREATE", STREAM_KEY, "g2", "$"]]),
    },
  );
  return fc.tuple(prefix, fc.array(command, { maxLength: options.maxLength, size: "max" })).map(([first, commands]) => {
    const so = new SequenceSoFar();
    return [...first, ...commands.map((c) => c(so))];
  });
}
