import { createContextKey } from "@connectrpc/connect";

/**
 * The peer address of the connection a call came in on (IPv4 or IPv6, no port), as the listener
 * saw it. Set on every RPC's context values; enrichment decides whether to trust proxy headers
 * instead.
 */
export const clientAddressKey = createContextKey<string | undefined>(undefined, {
  description: "peer address of the connection",
});

/** Drops the IPv4-mapped IPv6 prefix (`::ffff:10.0.0.1` → `10.0.0.1`). */
export function normalizeAddress(address: string | undefined): string | undefined {
  return address?.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}
