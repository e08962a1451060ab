// Differential cases of ACL (src/commands/families/acl.ts) where Materia
// answers as Redis: the default user of a server without authentication, and
// the errors. Tokens, categories and the refused subcommands are Materia's own
// (acl_test.ts).
import { type CasesByCommand, unordered } from "../differential/case_types.ts";

export const CASES: CasesByCommand = {
  "ACL WHOAMI": [{ name: "ACL WHOAMI without authentication is the default user", steps: [["ACL", "WHOAMI"], ["acl", "whoami"], ["ACL", "WHOAMI", "x"]] }],
  "ACL USERS": [{ name: "ACL USERS lists the default user", steps: [["ACL", "USERS"], ["ACL", "USERS", "x"]] }],
  "ACL LIST": [{ name: "ACL LIST of a server without authentication: the default user with every right", steps: [["ACL", "LIST"], ["ACL", "LIST", "x"]] }],
  "ACL CAT": [
    {
      name: "ACL CAT of a category, in any letter case; unknown categories and extra arguments are errors",
      steps: [unordered("ACL", "CAT", "transaction"), unordered("ACL", "CAT", "TRANSACTION"), ["ACL", "CAT", "nope"], ["ACL", "CAT", "read", "write"]],
    },
  ],
  "ACL GENPASS": [
    {
      name: "ACL GENPASS checks its bit count",
      steps: [["ACL", "GENPASS", "0"], ["ACL", "GENPASS", "4097"], ["ACL", "GENPASS", "-1"], ["ACL", "GENPASS", "x"], ["ACL", "GENPASS", "1", "2"]],
    },
  ],
  "ACL LOG": [
    {
      name: "ACL LOG is empty without refusals; RESET, a count, and errors",
      steps: [["ACL", "LOG"], ["ACL", "LOG", "5"], ["ACL", "LOG", "-1"], ["ACL", "LOG", "RESET"], ["ACL", "LOG", "reset"], ["ACL", "LOG", "x"], ["ACL", "LOG", "RESET", "x"]],
    },
  ],
  acl: [
    {
      name: "ACL: unknown subcommands and arity errors",
      steps: [["ACL"], ["ACL", "NOPE"], ["ACL", "SETUSER"], ["ACL", "GETUSER"], ["ACL", "GETUSER", "a", "b"], ["ACL", "DELUSER"], ["ACL", "DRYRUN", "default"]],
    },
  ],
};

export const METADATA_COMMANDS: readonly string[] = [
  "acl", "acl|whoami", "acl|users", "acl|list", "acl|cat", "acl|genpass", "acl|log", "acl|help", "acl|setuser", "acl|deluser", "acl|getuser", "acl|dryrun",
  "acl|load", "acl|save",
];
