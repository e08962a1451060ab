// The Biscuit instance AUTH verifies tokens with, replaced by a fresh one when
// its heap passes VERIFIER_HEAP_LIMIT_BYTES or after a trap (a panic may
// leave it corrupt). The library's allocator never gives back most of what
// it frees (biscuit_wasm.ts), so without this every AUTH would grow the heap
// until the 4 GiB wasm limit, where every AUTH fails.
//
// Its user takes the library with acquire(), uses it synchronously, frees
// every object it made, then calls release(): an instance is only retired
// between two uses, never under one.
import { type BiscuitInstance, type BiscuitLibrary, freshBiscuit, type GlueCopy, loadBiscuit, messageOf, privateGlue } from "./biscuit_wasm.ts";
import { VERIFIER_HEAP_LIMIT_BYTES } from "./token_limits.ts";

export interface VerifierInstanceOptions {
  readonly heapLimitBytes?: number;
  /** One line for the server log (retirements, a failure to recycle). */
  readonly log?: (line: string) => void;
  /** Makes instances; tests give one that fails. */
  readonly make?: () => Promise<BiscuitInstance>;
}

/** The verifier of every token authenticator of the process that names none. */
let shared: VerifierInstance | undefined;
export function sharedVerifier(): VerifierInstance {
  shared ??= new VerifierInstance({ log: (line) => console.error(line) });
  return shared;
}

export class VerifierInstance {
  private current: Promise<BiscuitInstance> | undefined;
  private broken = false;
  /** Set when private instances cannot be made: the shared, never recycled instance is used instead. */
  private fallback = false;
  /** How many instances were retired, for tests and measurements. */
  retired = 0;

  private readonly heapLimitBytes: number;
  private readonly log: (line: string) => void;
  private readonly make: () => Promise<BiscuitInstance>;

  constructor(options: VerifierInstanceOptions = {}) {
    this.heapLimitBytes = options.heapLimitBytes ?? VERIFIER_HEAP_LIMIT_BYTES;
    this.log = options.log ?? (() => {});
    this.make = options.make ?? (() => this.nextOnOwnGlue());
  }

  /**
   * Instances take turns on two private copies of the glue: the copy an
   * instance reuses was retired one whole instance ago, and its finalizers
   * were no-ops since (BiscuitInstance.retire).
   */
  private readonly glue: Promise<GlueCopy>[] = [];
  private made = 0;
  private async nextOnOwnGlue(): Promise<BiscuitInstance> {
    const slot = this.made++ % 2;
    this.glue[slot] ??= privateGlue();
    try {
      return await freshBiscuit(await this.glue[slot]);
    } catch (error) {
      this.glue.length = 0;
      throw error;
    }
  }

  /** The library to verify with, until release(). Throws when no instance can be made. */
  async acquire(): Promise<{ lib: BiscuitLibrary; instance: BiscuitInstance }> {
    this.current ??= this.create();
    try {
      const instance = await this.current;
      return { lib: instance.lib, instance };
    } catch (error) {
      this.current = undefined;
      throw error;
    }
  }

  /** Ends a use; retires the instance when it is too big or was marked broken. */
  async release(instance: BiscuitInstance): Promise<void> {
    if (this.fallback || this.current === undefined || (await this.current) !== instance) return;
    const heap = instance.heapBytes();
    if (!this.broken && heap <= this.heapLimitBytes) return;
    this.log(`materia: Biscuit verifier instance replaced (heap ${Math.round(heap / 2 ** 20)} MiB${this.broken ? ", after an internal error" : ""})`);
    this.broken = false;
    this.current = undefined;
    this.retired++;
    instance.retire();
  }

  /** After a trap or an unexpected error inside the library: the next release() replaces the instance. */
  markBroken(): void {
    this.broken = true;
  }

  /** Bytes of the current instance's heap (0 before the first AUTH). */
  async heapBytes(): Promise<number> {
    return this.current === undefined ? 0 : (await this.current).heapBytes();
  }

  private async create(): Promise<BiscuitInstance> {
    if (this.fallback) return sharedLibrary();
    try {
      const instance = await this.make();
      warmUp(instance.lib);
      return instance;
    } catch (error) {
      this.fallback = true;
      this.log(`materia: cannot make a private Biscuit instance (${messageOf(error)}); AUTH uses the shared one, whose memory grows with every AUTH: restart the server now and then`);
      return sharedLibrary();
    }
  }
}

async function sharedLibrary(): Promise<BiscuitInstance> {
  const lib = await loadBiscuit();
  return { lib, heapBytes: () => 0, retire: () => {} };
}

/**
 * The first authorization on a cold instance is slow (37-59 ms on Deno, more
 * on a busy machine) and can hit the self-check's time limit: run one before
 * a client waits on it. Every object is freed (see release()).
 */
function warmUp(lib: BiscuitLibrary): void {
  const keys = new lib.KeyPair(lib.SignatureAlgorithm.Ed25519);
  const privateKey = keys.getPrivateKey();
  try {
    const builder = lib.Biscuit.builder();
    builder.addCodeWithParameters(`right("read"); check if time($t), $t <= {t};`, { t: { date: "2100-01-01T00:00:00Z" } }, {});
    const token = builder.build(privateKey);
    try {
      const authorizer = new lib.AuthorizerBuilder();
      authorizer.addCodeWithParameters(`time({now}); operation("read"); allow if right($op), operation($op);`, { now: { date: new Date().toISOString() } }, {});
      const built = authorizer.buildAuthenticated(token);
      try {
        built.authorizeWithLimits({ max_time_micro: 5_000_000 });
      } finally {
        built.free();
      }
    } finally {
      token.free();
    }
  } catch {
    // A failed warm-up only costs the first client some latency.
  } finally {
    privateKey.free();
    keys.free();
  }
}
