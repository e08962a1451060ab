// ACL: read-only views of Materia's token model. Materia has no users to
// create: a connection is who its token (or the server's password) says, a
// tenant with rights (read, write) over key prefixes. WHOAMI, USERS and LIST
// describe the caller alone (a tenant never learns of another), LIST as a
// Redis ACL rule line (acl_rules.ts); CAT lists the categories of the command
// table. Commands that would change users answer that tokens are the way.
import { ErrorReply, OK, type Reply } from "../../resp/reply.ts";
import { integer, multiple, oneOf, optional, string, token } from "../arguments.ts";
import { ArgumentReader } from "../argument_reader.ts";
import { lower } from "../args.ts";
import { ACL_CATEGORIES, aclRuleLine } from "../acl_rules.ts";
import { helpSubcommand } from "../help_subcommand.ts";
import { aclCategories } from "../introspection.ts";
import { NOT_INTEGER, SYNTAX, subcommandSyntax } from "../errors.ts";
import { defineCommand, type CommandFlag, type CommandSpec, type LocalContext } from "../spec.ts";

const GENPASS_MAX_BITS = 4096n;
const GENPASS_RANGE = new ErrorReply(`ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to ${GENPASS_MAX_BITS}`);

/** CAT, GENPASS and LOG take one argument at most; more is Redis's subcommand syntax error, naming the subcommand as sent. */
function tooMany(argv: readonly Uint8Array[]): ErrorReply {
  return subcommandSyntax(new TextDecoder().decode(argv[1]!), "acl");
}

function userOf(ctx: LocalContext): string {
  return ctx.session.principal?.user ?? "default";
}

const whoami = defineCommand({
  name: "whoami", arity: 2, flags: ["noscript", "loading", "stale"], group: "server",
  summary: "Returns the user name the connection authenticated with (default when none was given).", since: "6.0.0", complexity: "O(1)",
  access: "none", parse: () => undefined,
  exec: (ctx): Reply => userOf(ctx),
});

const users = defineCommand({
  name: "users", arity: 2, flags: ["admin", "noscript", "loading", "stale"], group: "server",
  summary: "Returns the caller's own user name: Materia's users are tokens, and a tenant learns of no other.", since: "6.0.0", complexity: "O(1)",
  access: "none", parse: () => undefined,
  exec: (ctx): Reply => [userOf(ctx)],
});

const list = defineCommand({
  name: "list", arity: 2, flags: ["admin", "noscript", "loading", "stale"], group: "server",
  summary: "Returns the caller's rights as one ACL rule line: its key prefixes as ~ and & patterns, -@write for a read-only token, -@read for a write-only one.",
  since: "6.0.0", complexity: "O(1)",
  access: "none", parse: () => undefined,
  exec: (ctx): Reply => [aclRuleLine(userOf(ctx), ctx.session.principal, { passwordless: !ctx.server.auth.required })],
});

const cat = defineCommand({
  name: "cat", arity: -2, flags: ["noscript", "loading", "stale"], group: "server",
  summary: "Returns the ACL categories, or the commands (and subcommands) in one of them.", since: "6.0.0",
  complexity: "O(1) since the categories and commands are a fixed set.",
  arguments: [optional(string("category"))],
  access: "none",
  parse(argv) {
    if (argv.length > 3) return tooMany(argv);
    return argv.length === 3 ? lower(argv[2]!) : undefined;
  },
  exec(ctx, category: string | undefined): Reply {
    if (category === undefined) return [...ACL_CATEGORIES];
    if (!ACL_CATEGORIES.includes(category)) return new ErrorReply(`ERR Unknown category '${category.slice(0, 128)}'`);
    const names: string[] = [];
    for (const spec of ctx.server.commands.all()) {
      if (aclCategories(spec).includes(`@${category}`)) names.push(spec.name);
      for (const sub of spec.subcommands ?? []) if (aclCategories(sub).includes(`@${category}`)) names.push(`${spec.name}|${sub.name}`);
    }
    return names;
  },
});

const genpass = defineCommand({
  name: "genpass", arity: -2, flags: ["noscript", "loading", "stale"], group: "server",
  summary: "Returns a random password of hex digits (256 bits unless told); useful for Materia's --password.", since: "6.0.0", complexity: "O(N)",
  arguments: [optional(integer("bits"))],
  access: "none",
  parse(argv) {
    if (argv.length > 3) return tooMany(argv);
    const args = new ArgumentReader(argv, 2);
    const bits = args.atEnd ? 256n : args.integer(NOT_INTEGER);
    if (args.error === undefined && (bits <= 0n || bits > GENPASS_MAX_BITS)) return GENPASS_RANGE;
    return args.finish(Number(bits));
  },
  exec(_ctx, bits: number): Reply {
    const digits = Math.ceil(bits / 4);
    const bytes = crypto.getRandomValues(new Uint8Array(Math.ceil(digits / 2)));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("").slice(0, digits);
  },
});

const log = defineCommand({
  name: "log", arity: -2, flags: ["admin", "noscript", "loading", "stale"], group: "server",
  summary: "Returns no entries: Materia keeps no log of refused commands (each refusal is answered to its client). RESET is accepted.", since: "6.0.0",
  complexity: "O(N) with N being the number of entries shown.",
  arguments: [optional(oneOf("operation", integer("count"), token("RESET")))],
  access: "none",
  parse(argv) {
    if (argv.length > 3) return tooMany(argv);
    const args = new ArgumentReader(argv, 2);
    if (args.atEnd) return "list";
    if (args.token("RESET")) return "reset";
    args.integer(NOT_INTEGER);
    return args.finish("list");
  },
  exec: (_ctx, what: string): Reply => (what === "reset" ? OK : []),
});

/** A subcommand that would change or load users: refused, pointing at tokens. */
function refused(name: string, arity: number, flags: readonly CommandFlag[], summary: string): CommandSpec {
  return defineCommand({
    name, arity, flags, group: "server", summary, since: "6.0.0", complexity: "O(1)",
    arguments: arity < 0 ? [multiple(string("arg"))] : undefined,
    access: "none", parse: () => undefined,
    exec: (): Reply =>
      new ErrorReply(`ERR ACL ${name.toUpperCase()} is not supported: Materia's users are tokens; create, restrict and revoke them with materia token`),
  });
}

const ADMIN: readonly CommandFlag[] = ["admin", "noscript", "loading", "stale"];

const aclHelp = helpSubcommand("acl", {
  group: "server",
  since: "6.0.0",
  lines: [
    "ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CAT [<category>]", "    List all commands that belong to <category>, or all command categories",
    "    when no category is specified.",
    "GENPASS [<bits>]", "    Generate a secure 256-bit user password. The optional `bits` argument can",
    "    be used to specify a different size.",
    "LIST", "    Show the caller's rights in ACL rule format (Materia's users are tokens).",
    "LOG [<count> | RESET]", "    Show the ACL log entries (Materia keeps none).",
    "USERS", "    List the caller's username.",
    "WHOAMI", "    Return the current connection username.",
    "DELUSER, DRYRUN, GETUSER, LOAD, SAVE, SETUSER", "    Not supported: create, restrict and revoke tokens with `materia token`.",
    "HELP", "    Print this help.",
  ],
});

const acl = defineCommand({
  name: "acl",
  arity: -2,
  flags: [],
  group: "server",
  summary: "A container for ACL commands: read-only views of the caller's token; users are managed with materia token.",
  since: "6.0.0",
  complexity: "Depends on subcommand.",
  subcommands: [
    cat, whoami, users, list, genpass, log, aclHelp,
    refused("setuser", -3, ADMIN, "Refused: Materia's users are tokens (materia token create)."),
    refused("deluser", -3, ADMIN, "Refused: Materia's users are tokens (materia token revoke)."),
    refused("getuser", 3, ADMIN, "Refused: Materia's users are tokens; ACL LIST shows the caller's rights."),
    refused("dryrun", -4, ADMIN, "Refused: Materia's users are tokens."),
    refused("load", 2, ADMIN, "Refused: Materia has no ACL file; its users are tokens."),
    refused("save", 2, ADMIN, "Refused: Materia has no ACL file; its users are tokens."),
  ],
  access: "none",
  parse: () => undefined,
  exec: (): Reply => SYNTAX,
});

export const ACL_COMMANDS: readonly CommandSpec[] = [acl];
