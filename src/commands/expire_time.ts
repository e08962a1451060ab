// Turning an expiry argument (EX/PX/EXAT/PXAT) into an absolute time in ms,
// with Redis's checks and texts (t_string.c getExpireMillisecondsOrReply).
import { INT64_MAX, parseInt64 } from "../model/integers.ts";
import type { ErrorReply } from "../resp/reply.ts";
import { invalidExpireTime, NOT_INTEGER } from "./errors.ts";

export type ExpireOption = "EX" | "PX" | "EXAT" | "PXAT";

export interface ExpireArgument {
  readonly option: ExpireOption;
  readonly raw: Uint8Array;
}

/** The absolute expiry in ms, or the error Redis gives. `commandName` is the lower-case name for the text. */
export function resolveExpireAt(argument: ExpireArgument, context: { nowMs: number; commandName: string }): number | ErrorReply {
  const value = parseInt64(argument.raw);
  if (value === undefined) return NOT_INTEGER;
  const inSeconds = argument.option === "EX" || argument.option === "EXAT";
  if (value <= 0n || (inSeconds && value > INT64_MAX / 1000n)) return invalidExpireTime(context.commandName);
  let ms = inSeconds ? value * 1000n : value;
  if (argument.option === "EX" || argument.option === "PX") {
    const now = BigInt(context.nowMs);
    if (ms > INT64_MAX - now) return invalidExpireTime(context.commandName);
    ms += now;
  }
  return Number(ms);
}
