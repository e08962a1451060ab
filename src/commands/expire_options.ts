// EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT: their NX/XX/GT/LT options and the
// conversion of their time argument to an absolute time in ms, with Redis's
// checks in Redis's order (expire.c expireGenericCommand).
import { INT64_MAX, INT64_MIN } from "../model/integers.ts";
import type { ExpireConditions } from "../model/ttl.ts";
import type { ErrorReply } from "../resp/reply.ts";
import { ArgumentReader } from "./argument_reader.ts";
import { EXPIRE_GT_LT_CONFLICT, EXPIRE_NX_CONFLICT, invalidExpireTime, NOT_INTEGER, unsupportedOption } from "./errors.ts";

export interface ExpireArgs {
  readonly key: Uint8Array;
  /** The time argument as given: seconds or ms, relative or absolute. */
  readonly amount: bigint;
  readonly conditions: ExpireConditions;
}

/** `KEY TIME [NX|XX|GT|LT ...]`: options are checked before the number, as Redis does. */
export function parseExpireArgs(argv: readonly Uint8Array[]): ExpireArgs | ErrorReply {
  const args = new ArgumentReader(argv);
  const key = args.key();
  const time = args.bytes();
  let nx = false, xx = false, gt = false, lt = false;
  while (args.hasMore) {
    if (args.token("NX")) nx = true;
    else if (args.token("XX")) xx = true;
    else if (args.token("GT")) gt = true;
    else if (args.token("LT")) lt = true;
    else args.fail(unsupportedOption(args.bytes()));
  }
  if (nx && (xx || gt || lt)) args.fail(EXPIRE_NX_CONFLICT);
  if (gt && lt) args.fail(EXPIRE_GT_LT_CONFLICT);
  return args.finish({ key, amount: args.integer(NOT_INTEGER, time), conditions: { nx, xx, gt, lt } });
}

/**
 * The absolute expiry in ms, or Redis's overflow error: seconds must survive
 * the conversion to ms, and `base + time` must fit in an int64. Negative and
 * past times are valid (they delete the key).
 */
export function expireAtOf(
  amount: bigint,
  form: { readonly unit: "s" | "ms"; readonly baseMs: number; readonly commandName: string },
): number | ErrorReply {
  let when = amount;
  if (form.unit === "s") {
    // C's LLONG_MIN / 1000 truncates toward zero, as bigint division does.
    if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) return invalidExpireTime(form.commandName);
    when *= 1000n;
  }
  const base = BigInt(form.baseMs);
  if (when > INT64_MAX - base) return invalidExpireTime(form.commandName);
  return Number(when + base);
}
