// Who runs an operation, as the core sees a client: an identity and the
// database it has selected. No socket, no protocol: a RESP connection, an
// HTTP request or the expiry sweeper are all clients.
import type { Principal } from "../auth/contract.ts";
import type { Keyspace } from "../model/keyspace.ts";

export interface Client {
  /** Who is authenticated; undefined until AUTH succeeds when auth is required. Cleared when credentials expire. */
  principal: Principal | undefined;
  /** The keyspace of the selected database of the client's tenant. */
  readonly keyspace: Keyspace;
  /** The connection's id (CLIENT ID), when the client is one: announced with its writes, so that client tracking's NOLOOP can tell them apart. */
  readonly id?: number;
}
