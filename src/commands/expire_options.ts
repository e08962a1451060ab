// EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT: their NX/XX/GT/LT options and the
// conversion of their time argument to an absolute time in ms, with Redis's
// checks in Redis's order (expire.c expireGenericCommand).
import { INT64_MAX, INT64_MIN, parseInt64 } from "../model/integers.ts";
import type { ExpireConditions } from "../model/ttl.ts";
import type { ErrorReply } from "../resp/reply.ts";
import { upper } from "./args.ts";
import { EXPIRE_GT_LT_CONFLICT, EXPIRE_NX_CONFLICT, invalidExpireTime, NOT_INTEGER, unsupportedOption } from "./errors.ts";

export interface ExpireArgs {
  readonly key: Uint8Array;
  /** The time argument as given: seconds or ms, relative or absolute. */
  readonly amount: bigint;
  readonly conditions: ExpireConditions;
}

/** `KEY TIME [NX|XX|GT|LT ...]`: options are checked before the number, as Redis does. */
export function parseExpireArgs(argv: readonly Uint8Array[]): ExpireArgs | ErrorReply {
  let nx = false, xx = false, gt = false, lt = false;
  for (let i = 3; i < argv.length; i++) {
    const option = upper(argv[i]!);
    if (option === "NX") nx = true;
    else if (option === "XX") xx = true;
    else if (option === "GT") gt = true;
    else if (option === "LT") lt = true;
    else return unsupportedOption(argv[i]!);
  }
  if (nx && (xx || gt || lt)) return EXPIRE_NX_CONFLICT;
  if (gt && lt) return EXPIRE_GT_LT_CONFLICT;
  const amount = parseInt64(argv[2]!);
  if (amount === undefined) return NOT_INTEGER;
  return { key: argv[1]!, amount, conditions: { nx, xx, gt, lt } };
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
