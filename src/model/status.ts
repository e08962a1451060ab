// Typed outcomes of model functions. The command layer maps each to Redis's
// exact error text (commands/errors.ts); the model never speaks RESP.
export type Status =
  | "WRONGTYPE"
  | "NOT_INTEGER"
  | "NOT_FLOAT"
  | "OVERFLOW"
  | "NAN_OR_INFINITY"
  | "TOO_LARGE"
  | "NO_SUCH_KEY"
  | "INDEX_OUT_OF_RANGE"
  | "HASH_VALUE_NOT_INTEGER"
  | "HASH_VALUE_NOT_FLOAT"
  | "MEMBER_TOO_LARGE";

export function isStatus(value: unknown): value is Status {
  return typeof value === "string";
}
