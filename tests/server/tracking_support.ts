// Scripts run the same way against redis-server and Materia, for client
// tracking and CLIENT REPLY: raw RESP clients whose replies and push frames
// are written down in order, with client ids masked (they differ between the
// two servers), so the two transcripts can be compared whole.
import { encodeCommand, RawClient } from "../support/raw_client.ts";

/** How long a client is read for push frames that may still come (BCAST batches leave at the end of a turn). */
const QUIET_MS = 60;

export class Transcript {
  readonly lines: string[] = [];
  private readonly masks = new Map<string, string>();

  /** Masks `id` as `<name>` in everything recorded from now on. */
  mask(id: string, name: string): void {
    this.masks.set(id, name);
  }

  record(who: string, text: string): void {
    let masked = text;
    // Only where an id stands alone (an argument, an integer reply, `redir=`): never inside a length header such as `$10`.
    for (const [id, name] of this.masks) masked = masked.replace(new RegExp(`(^|[ :=])${id}(?=\r\n| |,|$)`, "g"), `$1<${name}>`);
    this.lines.push(`${who}: ${masked}`);
  }
}

export class ScriptClient {
  private constructor(readonly name: string, private readonly raw: RawClient, private readonly transcript: Transcript) {}

  static async open(port: number, name: string, transcript: Transcript, options: { resp3?: boolean } = {}): Promise<ScriptClient> {
    const client = new ScriptClient(name, await RawClient.connect(port), transcript);
    if (options.resp3 ?? true) await client.raw.call("HELLO", "3");
    return client;
  }

  /** This connection's id, masked as its name in the transcript. */
  async id(): Promise<string> {
    const id = /^:(\d+)\r\n$/.exec(await this.raw.call("CLIENT", "ID"))![1]!;
    this.transcript.mask(id, this.name);
    return id;
  }

  /** Sends a command and records its reply. */
  async call(...argv: string[]): Promise<string> {
    const reply = await this.raw.call(...argv);
    this.transcript.record(this.name, `${argv.join(" ")} -> ${reply}`);
    return reply;
  }

  /** Sends commands in one write, then records everything that arrives until the connection is quiet. */
  async pipeline(...commands: string[][]): Promise<void> {
    // One write, so that the server reads them in one event-loop turn.
    const encoded = commands.map((argv) => encodeCommand(argv));
    const bytes = new Uint8Array(encoded.reduce((n, part) => n + part.length, 0));
    let offset = 0;
    for (const part of encoded) {
      bytes.set(part, offset);
      offset += part.length;
    }
    this.raw.writeRaw(bytes);
    this.transcript.record(this.name, `pipeline ${commands.map((c) => c.join(" ")).join("; ")}`);
    await this.frames();
  }

  /** Records the frames that arrive until the connection stays quiet (push frames after a command). */
  async frames(quietMs = QUIET_MS): Promise<void> {
    while (true) {
      let frame: string;
      try {
        frame = await this.raw.readReply(quietMs);
      } catch {
        return;
      }
      this.transcript.record(this.name, `frame ${frame}`);
    }
  }

  /** Records a line of the script's own (something it extracted from a reply). */
  note(text: string): void {
    this.transcript.record(this.name, `note ${text}`);
  }

  close(): void {
    this.raw.close();
  }
}

/** Runs `script` on a fresh transcript against the server on `port`; returns its lines. */
export async function runScript(port: number, script: (open: (name: string, options?: { resp3?: boolean }) => Promise<ScriptClient>) => Promise<void>): Promise<string[]> {
  const transcript = new Transcript();
  const clients: ScriptClient[] = [];
  const admin = await RawClient.connect(port);
  try {
    await admin.call("FLUSHALL");
    await script(async (name, options) => {
      const client = await ScriptClient.open(port, name, transcript, options);
      clients.push(client);
      return client;
    });
  } finally {
    for (const client of clients) client.close();
    admin.close();
  }
  return transcript.lines;
}
