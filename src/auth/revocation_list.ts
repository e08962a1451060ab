// Revoked token ids (MATERIA_REVOKED): a text file of hex revocation ids,
// one per line, '#' starts a comment. Revoking a block's id revokes every
// token derived from that block; revoking block 0's id revokes the token and
// all its attenuations.
//
// The file is re-read when its size or mtime changes, checked at most once a
// second and only when someone asks: no timer, so nothing keeps a process alive.
import { readFileSync, statSync } from "node:fs";

const RECHECK_MS = 1_000;

export class RevocationList {
  private revoked = new Set<string>();
  private signature = "";
  private checkedAtMs = Number.NEGATIVE_INFINITY;
  /** Bumped on every change, so holders of a verdict know when to recompute it. */
  version = 0;

  constructor(readonly path: string | undefined, private readonly clock: () => number = Date.now) {
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
    try {
      const stat = statSync(this.path);
      signature = `${stat.size}:${stat.mtimeMs}`;
    } catch {
      signature = "missing";
    }
    if (signature === this.signature) return;
    this.signature = signature;
    this.revoked = signature === "missing" ? new Set() : parseRevocations(readFileSync(this.path, "utf8"));
    this.version++;
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
