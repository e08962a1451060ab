// Maps the model's typed outcomes to Redis's error replies.
import type { Status } from "../model/status.ts";
import type { ErrorReply } from "../resp/reply.ts";
import * as errors from "./errors.ts";

const BY_STATUS: Readonly<Record<Status, ErrorReply>> = {
  WRONGTYPE: errors.WRONGTYPE,
  NOT_INTEGER: errors.NOT_INTEGER,
  NOT_FLOAT: errors.NOT_FLOAT,
  OVERFLOW: errors.OVERFLOW,
  NAN_OR_INFINITY: errors.NAN_OR_INFINITY,
  TOO_LARGE: errors.STRING_TOO_LONG,
  NO_SUCH_KEY: errors.NO_SUCH_KEY,
  INDEX_OUT_OF_RANGE: errors.INDEX_OUT_OF_RANGE,
  HASH_VALUE_NOT_INTEGER: errors.HASH_VALUE_NOT_INTEGER,
  HASH_VALUE_NOT_FLOAT: errors.HASH_VALUE_NOT_FLOAT,
  MEMBER_TOO_LARGE: errors.MEMBER_TOO_LARGE,
};

export function replyOfStatus(status: Status): ErrorReply {
  return BY_STATUS[status];
}
