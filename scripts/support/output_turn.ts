// Two test runners at once, one terminal: see scripts/test.ts.

/**
 * Where a runner's output goes: straight through while it has the terminal,
 * else kept until it gets it (so two runners' lines never interleave).
 */
export class OutputTurn {
  private held: Array<{ stream: NodeJS.WritableStream; chunk: Buffer }> = [];
  constructor(private live: boolean) {}

  write(stream: NodeJS.WritableStream, chunk: Buffer): void {
    if (this.live) stream.write(chunk);
    else this.held.push({ stream, chunk });
  }

  /** Gives it the terminal: what it kept is written now, the rest as it comes. */
  goLive(): void {
    for (const { stream, chunk } of this.held) stream.write(chunk);
    this.held = [];
    this.live = true;
  }
}
