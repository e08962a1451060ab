// CLIENT PAUSE: commands of paused clients wait until the pause ends, as
// Redis's processCommand postpones them (networking.c pauseClients). A
// tenant pauses its own clients on this server; the operator pauses every
// tenant's. WRITE holds the commands that may write (and EXEC of a
// transaction that queued one); ALL holds every command, CLIENT UNPAUSE
// included, as in Redis 7.0. A second pause of the same scope keeps the more
// restrictive mode and the later end.

export type PauseMode = "write" | "all";

/** Whose clients a pause holds: one tenant's, or (the operator's) every tenant's. */
export type PauseScope = { readonly tenant: string } | "every-tenant";

interface Pause {
  mode: PauseMode;
  endMs: number;
  /** Settles when the pause ends (CLIENT UNPAUSE or its end time). */
  readonly ended: Promise<void>;
  readonly end: () => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class ClientPauses {
  /** Whether any pause is in force: the only thing the command path reads when none is. */
  active = false;
  private readonly pauses = new Map<string, Pause>();

  constructor(private readonly clock: () => number) {}

  /** Pauses the scope's clients until `endMs` (the server's clock), or extends its pause. */
  pause(scope: PauseScope, mode: PauseMode, endMs: number): void {
    const id = scopeId(scope);
    let pause = this.pauses.get(id);
    if (pause === undefined) {
      let end!: () => void;
      const ended = new Promise<void>((resolve) => (end = resolve));
      pause = { mode, endMs, ended, end, timer: undefined };
      this.pauses.set(id, pause);
    } else {
      if (mode === "all") pause.mode = "all";
      pause.endMs = Math.max(pause.endMs, endMs);
    }
    this.active = true;
    this.schedule(id, pause);
  }

  /** Ends the scope's pause, if any: the commands it held run now. */
  unpause(scope: PauseScope): void {
    this.finish(scopeId(scope));
  }

  /**
   * Whether a command of `tenant` waits: the end of the pause that holds
   * it (run it again then: another pause may hold it still), or undefined.
   */
  holds(tenant: string, writes: boolean): Promise<void> | undefined {
    const now = this.clock();
    for (const id of [EVERY_TENANT, tenantId(tenant)]) {
      const pause = this.pauses.get(id);
      if (pause === undefined) continue;
      if (pause.endMs < now) {
        this.finish(id);
        continue;
      }
      if (pause.mode === "all" || writes) return pause.ended;
    }
    return undefined;
  }

  /** Ends every pause (the server stops): what they held runs, or is refused by the shutdown. */
  stop(): void {
    for (const id of [...this.pauses.keys()]) this.finish(id);
  }

  private schedule(id: string, pause: Pause): void {
    if (pause.timer !== undefined) clearTimeout(pause.timer);
    // Redis ends a pause once its end time has passed (end < now): one millisecond after it.
    // A timer waits at most MAX_TIMER_MS; a longer pause is looked at again then.
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, pause.endMs - this.clock() + 1));
    pause.timer = setTimeout(() => {
      pause.timer = undefined;
      if (this.clock() > pause.endMs) this.finish(id);
      else this.schedule(id, pause);
    }, delay);
  }

  private finish(id: string): void {
    const pause = this.pauses.get(id);
    if (pause === undefined) return;
    if (pause.timer !== undefined) clearTimeout(pause.timer);
    this.pauses.delete(id);
    this.active = this.pauses.size > 0;
    pause.end();
  }
}

const EVERY_TENANT = "*";
/** The longest delay setTimeout takes (2^31 - 1 ms, about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

function tenantId(tenant: string): string {
  return `t:${tenant}`;
}

function scopeId(scope: PauseScope): string {
  return scope === "every-tenant" ? EVERY_TENANT : tenantId(scope.tenant);
}
