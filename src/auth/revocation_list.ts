// Revoked token ids (MATERIA_REVOKED): a text file of hex revocation ids,
// one per line, '#' starts a comment. Revoking a block's id revokes every
// token derived from that block; revoking block 0's id revokes the token and
// all its attenuations.
//
// The file is re-read when its size or mtime changes, checked at most once a
// second and only when someone asks: no timer, so nothing keeps a process alive.
//
// A file that vanishes or cannot be read never un-revokes anything: the last
// list read stays in force and the log says so, once, naming the file. (A
// deleted file used to mean "nothing revoked", silently.) To revoke nothing,
// leave an empty file.
import { readFileSync, statSync } from "node:fs";

const RECHECK_MS = 1_000;

export interface RevocationListOptions {
  readonly clock?: () => number;
  /** One line for the server log when the file cannot be read, and when it can again. */
  readonly log?: (line: string) => void;
  /** Throw at construction when the file is missing (`materia serve`: a typo must not mean "nothing revoked"). */
  readonly mustExist?: boolean;
}

export class RevocationList {
  private revoked = new Set<string>();
  private signature = "";
  private checkedAtMs = Number.NEGATIVE_INFINITY;
  /** Why the file could not be read at the last look, or undefined when it could. */
  private unreadable: string | undefined;
  private readonly clock: () => number;
  private readonly log: (line: string) => void;
  /** Bumped on every change, so holders of a verdict know when to recompute it. */
  version = 0;

  constructor(readonly path: string | undefined, options: RevocationListOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? ((line) => console.error(line));
    if (path !== undefined && options.mustExist) {
      try {
        statSync(path);
      } catch (error) {
        throw new Error(`MATERIA_REVOKED names ${path}, which cannot be read (${(error as Error).message}); create it (an empty file revokes nothing) or unset MATERIA_REVOKED`);
      }
    }
    this.refresh();
  }

  /** True when one of `ids` (hex, as getRevocationIdentifiers gives them) is revoked. */
  anyRevoked(ids: readonly string[]): boolean {
    this.refreshIfDue();
    return ids.some((id) => this.revoked.has(id.toLowerCase()));
  }

  /** Re-reads the file when it changed and a second has passed since the last look. */
  refreshIfDue(): void {
    if (this.path === undefined) return;
    const now = this.clock();
    if (now - this.checkedAtMs < RECHECK_MS) return;
    this.refresh();
  }

  private refresh(): void {
    if (this.path === undefined) return;
    this.checkedAtMs = this.clock();
    let signature: string;
    let text: string;
    try {
      const stat = statSync(this.path);
      signature = `${stat.size}:${stat.mtimeMs}`;
      if (signature === this.signature) return;
      text = readFileSync(this.path, "utf8");
    } catch (error) {
      this.cannotRead((error as Error).message);
      return;
    }
    if (this.unreadable !== undefined && this.signature !== "") this.log(`materia: revocation file ${this.path} (MATERIA_REVOKED) is readable again; its list is now in force`);
    this.unreadable = undefined;
    this.signature = signature;
    this.revoked = parseRevocations(text);
    this.version++;
  }

  private cannotRead(reason: string): void {
    // Before any successful read (a file a test or an operator creates later) there is nothing to keep.
    if (this.unreadable === undefined && this.signature !== "") {
      this.log(
        `materia: revocation file ${this.path} (MATERIA_REVOKED) cannot be read (${reason}); keeping the last list (${this.revoked.size} revoked ids) until it can: restore the file, or empty it to revoke nothing`,
      );
    }
    this.unreadable = reason;
  }
}

export function parseRevocations(text: string): Set<string> {
  const ids = new Set<string>();
  for (const line of text.split("\n")) {
    const id = line.replace(/#.*/, "").trim().toLowerCase();
    if (/^[0-9a-f]+$/.test(id)) ids.add(id);
  }
  return ids;
}
