// What a Materia token says, in Datalog, and how the server reads it back.
//
// Minted authority block (root key):
//   tenant("kv_demo");  right("read");  right("write");
//   check if resource($r), $r.starts_with("user:") or resource($r), $r.starts_with("cache:");
//   check if time($t), $t <= 2027-01-01T00:00:00Z;
// Attenuation blocks (anyone holding the token, offline) add checks of the
// same shapes, plus `check if operation("read")` for read-only.
//
// The server supplies request facts named so that no token can forge them:
// operation("read"|"write"), command("SET"), resource(<key>), time(<now>).
// Tokens only ever assert tenant/right, never those.
//
// Running the Datalog for every command costs 50-90 us, far more than a
// command, and hand-written Datalog can run for minutes. So the server
// recognises the shapes above in each block and compiles them into an
// Access (this file); a token with any other statement is refused at AUTH.

import { MAX_PREFIXES } from "./token_limits.ts";

/** The rights a compiled token grants. */
export interface Access {
  readonly tenant: string;
  readonly canRead: boolean;
  readonly canWrite: boolean;
  /**
   * Key prefixes, one list per restricting check: a key must start with one
   * prefix of every list. Undefined when no check restricts keys.
   */
  readonly prefixSets: readonly (readonly string[])[] | undefined;
  /** The token stops working at this time (ms since the epoch), the earliest of its time checks. */
  readonly expiresAtMs: number | undefined;
}

/** What `token create` and `token attenuate` put in a block. */
export interface Restriction {
  readonly readOnly?: boolean;
  readonly prefixes?: readonly string[];
  readonly expiresAt?: Date;
}

/** Datalog source and parameters of a restriction, for addCodeWithParameters. */
export function restrictionCode(restriction: Restriction): { code: string; params: Record<string, unknown> } {
  const lines: string[] = [];
  const params: Record<string, unknown> = {};
  if (restriction.readOnly) lines.push(`check if operation("read");`);
  const prefixes = restriction.prefixes ?? [];
  if (prefixes.length > 0) {
    const alternatives = prefixes.map((prefix, i) => {
      params[`p${i}`] = prefix;
      return `resource($r), $r.starts_with({p${i}})`;
    });
    lines.push(`check if ${alternatives.join(" or ")};`);
  }
  if (restriction.expiresAt !== undefined) {
    params.expires = { date: restriction.expiresAt.toISOString() };
    lines.push(`check if time($t), $t <= {expires};`);
  }
  return { code: lines.join("\n"), params };
}

/** The authority block of a new token. */
export function authorityCode(tenant: string, restriction: Restriction): { code: string; params: Record<string, unknown> } {
  const rights = restriction.readOnly ? `right("read");` : `right("read");\nright("write");`;
  const rest = restrictionCode({ ...restriction, readOnly: false });
  return { code: `tenant({tenant});\n${rights}\n${rest.code}`, params: { ...rest.params, tenant } };
}

/** Tenant ids: what a Redis user would recognise as a name, and short enough for FoundationDB tags and logs. */
export const TENANT_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

// Recognised statements, as getBlockSource prints them (one per line, ending in ';').
const STRING = String.raw`"((?:[^"\\]|\\.)*)"`;
const TENANT_FACT = new RegExp(String.raw`^tenant\(${STRING}\)$`);
const RIGHT_FACT = new RegExp(String.raw`^right\(${STRING}\)$`);
const READ_ONLY_CHECK = /^check if operation\("read"\)$/;
const TIME_CHECK = /^check if time\((\$\w+)\), (\$\w+) (<=|<) (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d))$/;
const PREFIX_ALTERNATIVE = new RegExp(String.raw`^resource\((\$\w+)\), (\$\w+)\.starts_with\(${STRING}\)$`);

export type BlockReading =
  | { readonly kind: "compiled"; readonly access: Access }
  | { readonly kind: "refused"; readonly reason: string };

/**
 * Compiles the blocks' sources into an Access, or says why it cannot: any
 * statement not of the shapes above refuses the token (Materia never runs a
 * token's Datalog per command: hand-written Datalog can take minutes).
 * Tenant and right facts count in the authority block only.
 */
export function readBlocks(sources: readonly string[]): BlockReading {
  let tenant: string | undefined;
  let canRead = false;
  let canWrite = false;
  let readOnly = false;
  let expiresAtMs: number | undefined;
  const prefixSets: string[][] = [];
  let refused: string | undefined;
  sources.forEach((source, block) => {
    for (const statement of statements(source)) {
      const tenantMatch = block === 0 ? TENANT_FACT.exec(statement) : null;
      if (tenantMatch) {
        if (tenant !== undefined) refused ??= "the authority block names two tenants";
        tenant = unescape(tenantMatch[1]!);
        continue;
      }
      const right = block === 0 ? RIGHT_FACT.exec(statement) : null;
      if (right && (right[1] === "read" || right[1] === "write")) {
        if (right[1] === "read") canRead = true;
        else canWrite = true;
        continue;
      }
      if (READ_ONLY_CHECK.test(statement)) {
        readOnly = true;
        continue;
      }
      const time = TIME_CHECK.exec(statement);
      if (time && time[1] === time[2]) {
        const at = Date.parse(time[4]!) - (time[3] === "<" ? 1 : 0);
        expiresAtMs = expiresAtMs === undefined ? at : Math.min(expiresAtMs, at);
        continue;
      }
      const prefixes = prefixCheck(statement);
      if (prefixes !== undefined) {
        prefixSets.push(prefixes);
        continue;
      }
      refused ??= `block ${block} has a statement Materia does not accept (only what 'materia token create' and 'token attenuate' write): ${statement.slice(0, 120)}`;
    }
  });
  if (refused !== undefined) return { kind: "refused", reason: refused };
  const prefixCount = prefixSets.reduce((n, set) => n + set.length, 0);
  if (prefixCount > MAX_PREFIXES) return { kind: "refused", reason: `token has ${prefixCount} key prefixes; at most ${MAX_PREFIXES} are accepted` };
  if (tenant === undefined) return { kind: "refused", reason: "the authority block names no tenant" };
  return {
    kind: "compiled",
    access: {
      tenant,
      canRead,
      canWrite: canWrite && !readOnly,
      prefixSets: prefixSets.length > 0 ? prefixSets : undefined,
      expiresAtMs,
    },
  };
}

function prefixCheck(statement: string): string[] | undefined {
  if (!statement.startsWith("check if ")) return undefined;
  const prefixes: string[] = [];
  for (const alternative of alternativesOf(statement.slice("check if ".length))) {
    const match = PREFIX_ALTERNATIVE.exec(alternative);
    if (!match || match[1] !== match[2]) return undefined;
    prefixes.push(unescape(match[3]!));
  }
  return prefixes;
}

/** The alternatives of a check's body: split at " or " outside string literals (a prefix may contain " or "). */
function alternativesOf(body: string): string[] {
  return splitOutsideLiterals(body, " or ");
}

/** Statements of a block source: ';'-terminated, outside string literals, blanks collapsed. */
function statements(source: string): string[] {
  return splitOutsideLiterals(source, ";").map((s) => s.trim().replace(/\s+/g, " ")).filter((s) => s !== "");
}

/** Splits `text` at each `separator` that is not inside a "string literal". */
function splitOutsideLiterals(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      current += c;
      if (c === "\\") current += text[++i] ?? "";
      else if (c === '"') inString = false;
    } else if (text.startsWith(separator, i)) {
      parts.push(current);
      current = "";
      i += separator.length - 1;
    } else {
      if (c === '"') inString = true;
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

function unescape(literal: string): string {
  return literal.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c));
}

export function startsWith(key: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > key.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}

/** Parses "30d", "12h", "15m", "90s" or an ISO date into an absolute time. */
export function parseExpiry(text: string, nowMs: number): Date {
  const relative = /^(\d+)([smhdw])$/.exec(text.trim());
  if (relative) {
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[relative[2] as "s" | "m" | "h" | "d" | "w"];
    return new Date(nowMs + Number(relative[1]) * unit);
  }
  const absolute = Date.parse(text);
  if (Number.isNaN(absolute)) throw new Error(`--expires must be a duration such as 30d, 12h, 15m, 90s or an ISO date, not '${text}'`);
  return new Date(absolute);
}
