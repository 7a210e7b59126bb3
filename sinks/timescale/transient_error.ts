/** Which PostgreSQL errors are worth retrying: the server or network, not the data. */

/** postgres.js and Node error codes of lost or refused connections. */
const CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTCONN",
]);

/** SQLSTATEs of serialization failures, deadlocks, lock timeouts and a stopping server. */
const TRANSIENT_SQLSTATES = new Set(["40001", "40P01", "55P03", "57P01", "57P02", "57P03"]);

/**
 * True when `error` comes from a lost connection, an unavailable or stopping server, resource
 * exhaustion (class 53), a connection failure (class 08) or a serialization conflict.
 */
export function isTransientPostgresError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    if (CONNECTION_CODES.has(code) || TRANSIENT_SQLSTATES.has(code)) return true;
    if (code.startsWith("08") || code.startsWith("53")) return true;
  }
  const errno = (error as { errno?: unknown }).errno;
  if (typeof errno === "string" && CONNECTION_CODES.has(errno)) return true;
  return error.cause !== undefined && isTransientPostgresError(error.cause);
}
