// Each tenant's EVAL scripts: the bodies by sha1 (SCRIPT LOAD, EVAL), and the
// Lua state that compiles and runs them. A tenant sees only its own: no
// tenant can run, list, detect or flush another's.
//
// Bounded: a tenant keeps at most MAX_SCRIPTS bodies and MAX_SCRIPT_BYTES of
// them (past either, the least recently used are forgotten, and EVALSHA of
// one answers NOSCRIPT, which every client library handles by sending EVAL);
// at most MAX_STATES tenants keep a live Lua state (an idle tenant's state is
// closed, and its scripts are compiled again on their next run).
import { createHash } from "node:crypto";
import type { LuaModule } from "../../scripting/lua_runtime.ts";
import { type CompiledChunk, ScriptState } from "../../scripting/script_state.ts";
import { REDIS_VERSION_INFO } from "./script_version.ts";
import { compilableBody } from "./shebang.ts";

export const MAX_SCRIPTS = 10_000;
export const MAX_SCRIPT_BYTES = 64 * 1024 * 1024;
export const MAX_STATES = 256;

interface CachedScript {
  readonly body: Uint8Array;
  /** Compiled in the tenant's current state; undefined until its first run there. */
  chunk: CompiledChunk | undefined;
}

class TenantScripts {
  readonly scripts = new Map<string, CachedScript>();
  bytes = 0;
  state: ScriptState | undefined;
  /** When the state last ran a script (a counter): the least recently used states are closed first. */
  lastUsed = 0;
}

/** The sha1 of a script body, in lowercase hex, as EVALSHA names it. */
export function scriptSha(body: Uint8Array): string {
  return createHash("sha1").update(body).digest("hex");
}

export class ScriptCache {
  private readonly tenants = new Map<string, TenantScripts>();
  /** Tenants with a live state. */
  private readonly live = new Set<string>();
  private uses = 0;

  constructor(private readonly lua: () => LuaModule) {}

  /** Whether the tenant has the script `sha` (lower case). */
  has(tenant: string, sha: string): boolean {
    return this.tenants.get(tenant)?.scripts.has(sha) === true;
  }

  /** The body of the tenant's script `sha` (lowercase), if cached. */
  body(tenant: string, sha: string): Uint8Array | undefined {
    return this.tenants.get(tenant)?.scripts.get(sha)?.body;
  }

  /** Remembers `body` for the tenant; its sha. */
  add(tenant: string, body: Uint8Array): string {
    const sha = scriptSha(body);
    const scripts = this.tenant(tenant);
    const known = scripts.scripts.get(sha);
    if (known !== undefined) {
      // Most recently used last: the first ones are forgotten first.
      scripts.scripts.delete(sha);
      scripts.scripts.set(sha, known);
      return sha;
    }
    scripts.scripts.set(sha, { body, chunk: undefined });
    scripts.bytes += body.length;
    this.trim(scripts);
    return sha;
  }

  /**
   * The compiled chunk of the tenant's script `sha` and the state it runs in;
   * undefined when the tenant has no such script; a string is the compiler's message.
   */
  compiled(tenant: string, sha: string): { readonly state: ScriptState; readonly chunk: CompiledChunk } | string | undefined {
    const scripts = this.tenants.get(tenant);
    const script = scripts?.scripts.get(sha);
    if (scripts === undefined || script === undefined) return undefined;
    const state = this.stateOf(tenant, scripts);
    if (script.chunk === undefined) {
      const compiled = state.compile(compilableBody(script.body));
      if ("error" in compiled) return compiled.error;
      script.chunk = compiled;
    }
    return { state, chunk: script.chunk };
  }

  /** Compiles `body` without keeping it: the compiler's message, if it does not compile. */
  check(tenant: string, body: Uint8Array): string | undefined {
    const scripts = this.tenant(tenant);
    const state = this.stateOf(tenant, scripts);
    const compiled = state.compile(compilableBody(body));
    if ("error" in compiled) return compiled.error;
    state.release(compiled.ref);
    return undefined;
  }

  /** Forgets a script that did not compile after all. */
  forget(tenant: string, sha: string): void {
    const scripts = this.tenants.get(tenant);
    const script = scripts?.scripts.get(sha);
    if (scripts === undefined || script === undefined) return;
    scripts.scripts.delete(sha);
    scripts.bytes -= script.body.length;
    if (script.chunk !== undefined) scripts.state?.release(script.chunk.ref);
  }

  /** SCRIPT FLUSH: the tenant's scripts are forgotten and its Lua state rebuilt (cjson settings, math.random). */
  flush(tenant: string): void {
    const scripts = this.tenants.get(tenant);
    if (scripts === undefined) return;
    scripts.scripts.clear();
    scripts.bytes = 0;
    // Runs under way finish in the old state, which closes after them.
    this.closeState(tenant, scripts);
  }



  private tenant(tenant: string): TenantScripts {
    let scripts = this.tenants.get(tenant);
    if (scripts === undefined) {
      scripts = new TenantScripts();
      this.tenants.set(tenant, scripts);
    }
    return scripts;
  }

  private stateOf(tenant: string, scripts: TenantScripts): ScriptState {
    scripts.lastUsed = ++this.uses;
    if (scripts.state === undefined) {
      this.evictStates();
      scripts.state = new ScriptState(this.lua(), "eval", REDIS_VERSION_INFO);
      for (const script of scripts.scripts.values()) script.chunk = undefined;
      this.live.add(tenant);
    }
    return scripts.state;
  }

  /** Makes room for one more live state: the least recently used are closed (their scripts compile again when they next run). */
  private evictStates(): void {
    while (this.live.size >= MAX_STATES) {
      let oldest: string | undefined;
      let oldestUse = Infinity;
      for (const tenant of this.live) {
        const use = this.tenants.get(tenant)?.lastUsed ?? 0;
        if (use < oldestUse) {
          oldest = tenant;
          oldestUse = use;
        }
      }
      if (oldest === undefined) return;
      const scripts = this.tenants.get(oldest);
      this.live.delete(oldest);
      if (scripts !== undefined) this.closeState(oldest, scripts);
    }
  }

  private closeState(tenant: string, scripts: TenantScripts): void {
    scripts.state?.retire();
    scripts.state = undefined;
    for (const script of scripts.scripts.values()) script.chunk = undefined;
    this.live.delete(tenant);
  }

  private trim(scripts: TenantScripts): void {
    for (const [sha, script] of scripts.scripts) {
      if (scripts.scripts.size <= MAX_SCRIPTS && scripts.bytes <= MAX_SCRIPT_BYTES) return;
      scripts.scripts.delete(sha);
      scripts.bytes -= script.body.length;
      if (script.chunk !== undefined) scripts.state?.release(script.chunk.ref);
    }
  }
}
