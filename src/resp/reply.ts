// Reply values: what a command returns, typed once and encoded later for the
// connection's protocol (RESP2 or RESP3). Commands never shape replies for one
// protocol up front.
//
// The common shapes are plain JavaScript values, so the hot path allocates
// nothing extra:
//   Uint8Array  -> bulk string
//   string      -> bulk string (UTF-8 encoded)
//   number      -> integer (must be a safe integer)
//   bigint      -> integer (64-bit range)
//   null        -> null (RESP2 `$-1`, RESP3 `_`)
//   Reply[]     -> array
// The rarer shapes are small classes below.

export type Reply =
  | Uint8Array
  | string
  | number
  | bigint
  | null
  | readonly Reply[]
  | SimpleString
  | ErrorReply
  | NullArray
  | MapReply
  | PairsReply
  | SetReply
  | DoubleReply
  | BooleanReply
  | VerbatimReply
  | BigNumberReply
  | PushReply
  | Frames;

/** `+OK` and friends. The text must not contain CR or LF. */
export class SimpleString {
  constructor(readonly text: string) {}
}

/**
 * An error reply. `message` is the full line without the leading `-`,
 * starting with its code: "ERR syntax error", "WRONGTYPE Operation ...".
 * The writer replaces CR and LF by spaces, as Redis does. When the line
 * quotes the client's own bytes (unknown command names...), `raw` holds the
 * exact bytes to send, since they may not be UTF-8; `message` is then only
 * for logs.
 */
export class ErrorReply {
  constructor(readonly message: string, readonly raw?: Uint8Array) {}
}

/** A null where the reply would be an array: RESP2 `*-1`, RESP3 `_`. */
export class NullArray {
  private constructor() {}
  static readonly instance = new NullArray();
}

/** RESP3 map `%N`; RESP2 flat array of 2N. */
export class MapReply {
  constructor(readonly entries: ReadonlyArray<readonly [Reply, Reply]>) {}
}

/**
 * Pairs (HRANDFIELD ... WITHVALUES, ZRANGE ... WITHSCORES): RESP3 an array of
 * two-element arrays; RESP2 one flat array of 2N.
 */
export class PairsReply {
  constructor(readonly pairs: ReadonlyArray<readonly [Reply, Reply]>) {}
}

/** RESP3 set `~N`; RESP2 array. */
export class SetReply {
  constructor(readonly items: readonly Reply[]) {}
}

/**
 * RESP3 double `,1.5`; RESP2 bulk string. `text` overrides the shortest
 * round-trip form where Redis prints a double its own way (GEOPOS's
 * coordinates, `%.17Lg` of a long double), in both protocols.
 */
export class DoubleReply {
  constructor(
    readonly value: number,
    readonly text?: string,
  ) {}
}

/** RESP3 boolean `#t`/`#f`; RESP2 integer 1/0. */
export class BooleanReply {
  constructor(readonly value: boolean) {}
}

/** RESP3 verbatim string `=N\r\ntxt:...`; RESP2 bulk string. */
export class VerbatimReply {
  constructor(readonly text: string, readonly format: string = "txt") {}
}

/** RESP3 big number `(digits`; RESP2 bulk string (a script's `{big_number = "..."}`). */
export class BigNumberReply {
  constructor(readonly digits: string) {}
}

/**
 * An out-of-band message (pub/sub, invalidation): RESP3 push `>N`; RESP2 an
 * ordinary array, which only a client in subscribed mode (or an
 * invalidation's redirect target) expects.
 */
export class PushReply {
  /** Encoded bytes per protocol, kept when the frame goes to many clients (a message to every subscriber). */
  private encoded: [Uint8Array | undefined, Uint8Array | undefined] | undefined;

  /** `shared`: the same frame will be written to several connections, so it is encoded once per protocol. */
  constructor(readonly items: readonly Reply[], shared = false) {
    if (shared) this.encoded = [undefined, undefined];
  }

  /** @internal The writer's cache of this frame's bytes. */
  encodedFor(protocol: ProtocolVersion): Uint8Array | undefined {
    return this.encoded?.[protocol - 2];
  }

  /** @internal */
  keepEncoded(protocol: ProtocolVersion, bytes: Uint8Array): void {
    if (this.encoded !== undefined) this.encoded[protocol - 2] = bytes;
  }

  get shared(): boolean {
    return this.encoded !== undefined;
  }
}

/**
 * Several frames for one command, written one after the other: SUBSCRIBE a b
 * answers one confirmation per channel, as Redis does.
 */
export class Frames {
  constructor(readonly frames: readonly Reply[]) {}
}

export const OK = new SimpleString("OK");
export const PONG = new SimpleString("PONG");
export const QUEUED = new SimpleString("QUEUED");

export type ProtocolVersion = 2 | 3;

