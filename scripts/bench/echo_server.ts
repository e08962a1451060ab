// The ceiling for a Bun server on this machine: answers `+OK` to every RESP
// command it receives, parsing and storing nothing. redis-benchmark against it
// shows what any Bun server could reach at best (issue 13 quotes about 0.89 of
// Redis; on the 2-core VM the client itself is often the limit).
//
// Usage: bun scripts/bench/echo_server.ts [--port 7310]
//        redis-benchmark -p 7310 -t set -n 100000 -c 50 -d 100
// Counts commands by their `*` array headers, so it suits values without `*`
// (redis-benchmark's are all `x`).
import { parseArgs } from "node:util";

const { values } = parseArgs({ args: process.argv.slice(2), options: { port: { type: "string", default: "7310" } } });
const OK = new TextEncoder().encode("+OK\r\n");
const ASTERISK = 0x2a;
/** Replies of N `+OK`s, made once per N. */
const replies = new Map<number, Uint8Array>();

function okTimes(count: number): Uint8Array {
  let reply = replies.get(count);
  if (reply === undefined) {
    reply = new Uint8Array(OK.length * count);
    for (let i = 0; i < count; i++) reply.set(OK, i * OK.length);
    replies.set(count, reply);
  }
  return reply;
}

Bun.listen({
  hostname: "127.0.0.1",
  port: Number(values.port),
  socket: {
    data(socket, data: Uint8Array) {
      let commands = 0;
      for (let i = 0; i < data.length; i++) if (data[i] === ASTERISK) commands++;
      if (commands > 0) socket.write(okTimes(commands));
    },
  },
});
console.log(`echo server on 127.0.0.1:${values.port}: +OK to every command`);
