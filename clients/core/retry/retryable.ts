/**
 * Which failed calls are worth retrying: the server said it could not store now
 * (`unavailable`, `resource_exhausted`), or the call never got an answer (a network error,
 * a deadline). Anything else (`unauthenticated`, `invalid_argument`, ...) will fail again the
 * same way.
 *
 * @module
 */
import { Code, ConnectError } from "@connectrpc/connect";

/** True when a call that threw `error` should be retried later. */
export function isRetryableError(error: unknown): boolean {
  if (!(error instanceof ConnectError)) return true; // fetch's TypeError, a socket error
  switch (error.code) {
    case Code.Unavailable:
    case Code.ResourceExhausted:
    case Code.DeadlineExceeded:
    case Code.Aborted:
      return true;
    case Code.Unknown:
    case Code.Internal:
      // Transports wrap network failures (fetch's TypeError, ECONNREFUSED) with these codes
      // and keep the original as the cause; a server's own error has no such cause.
      return error.cause !== undefined && !(error.cause instanceof ConnectError);
    default:
      return false;
  }
}
