// Argument documentation as data (COMMAND DOCS "arguments"), built with small
// constructors so a declaration reads like the command's synopsis:
//   [key("key"), string("value"), optional(oneOf(token("NX"), token("XX")))]

export type ArgumentType =
  | "key"
  | "string"
  | "integer"
  | "double"
  | "pattern"
  | "unix-time"
  | "pure-token"
  | "oneof"
  | "block";

export interface ArgumentDoc {
  readonly name: string;
  readonly type: ArgumentType;
  readonly token?: string;
  readonly optional?: boolean;
  readonly multiple?: boolean;
  readonly keySpecIndex?: number;
  readonly arguments?: readonly ArgumentDoc[];
}

export const key = (name: string): ArgumentDoc => ({ name, type: "key", keySpecIndex: 0 });
export const string = (name: string): ArgumentDoc => ({ name, type: "string" });
export const integer = (name: string): ArgumentDoc => ({ name, type: "integer" });
export const double = (name: string): ArgumentDoc => ({ name, type: "double" });
export const pattern = (name: string): ArgumentDoc => ({ name, type: "pattern" });
export const unixTime = (name: string): ArgumentDoc => ({ name, type: "unix-time" });
/** A bare keyword such as NX. */
export const token = (word: string): ArgumentDoc => ({ name: word.toLowerCase(), type: "pure-token", token: word });
/** A keyword followed by a value: `EX seconds`. */
export const withToken = (word: string, value: ArgumentDoc): ArgumentDoc => ({ ...value, token: word });
export const oneOf = (name: string, ...choices: ArgumentDoc[]): ArgumentDoc => ({ name, type: "oneof", arguments: choices });
export const block = (name: string, ...parts: ArgumentDoc[]): ArgumentDoc => ({ name, type: "block", arguments: parts });
export const optional = (doc: ArgumentDoc): ArgumentDoc => ({ ...doc, optional: true });
export const multiple = (doc: ArgumentDoc): ArgumentDoc => ({ ...doc, multiple: true });
