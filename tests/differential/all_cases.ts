// Every differential script, gathered from one file per command family.
import * as core from "./cases.ts";
import * as transactions from "./cases_transactions.ts";
import * as keyspace from "./cases_keyspace.ts";
import * as strings_more from "./cases_strings_more.ts";
import * as lists from "./cases_lists.ts";
import * as hashes from "./cases_hashes.ts";
import * as sets from "./cases_sets.ts";
import * as introspection from "./cases_introspection.ts";
import * as errors from "./cases_errors.ts";

const FAMILIES = [core, transactions, keyspace, strings_more, lists, hashes, sets, introspection, errors];

export const ALL_CASES = FAMILIES.flatMap((family) => family.CASES);
export const ALL_METADATA_COMMANDS = FAMILIES.flatMap((family) => family.METADATA_COMMANDS);
