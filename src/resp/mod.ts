// The protocol library's public face. resp/ imports nothing else of Materia.

export {
  BooleanReply,
  DoubleReply,
  ErrorReply,
  isErrorReply,
  MapReply,
  NullArray,
  OK,
  PONG,
  type ProtocolVersion,
  QUEUED,
  type Reply,
  SetReply,
  SimpleString,
  VerbatimReply,
} from "./reply.ts";
export {
  DEFAULT_PARSER_LIMITS,
  type ParserLimits,
  type ParserOptions,
  PROTOCOL_ERRORS,
  ProtocolError,
  RequestParser,
  requestStream,
  UNAUTHENTICATED_MAX_ARGS,
  UNAUTHENTICATED_MAX_BULK_BYTES,
} from "./parser.ts";
export {
  encodeReply,
  formatDouble,
  NULL_ARRAY_BYTES,
  NULL_BULK_BYTES,
  OK_BYTES,
  ReplyWriter,
  RESP3_NULL_BYTES,
} from "./writer.ts";
