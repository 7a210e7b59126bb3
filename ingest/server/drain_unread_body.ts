/**
 * Reading the rest of a request body nobody read. Over HTTP/1.1, answering a request before its
 * body has arrived (a size limit refused on Content-Length, a 404) makes the server close the
 * connection under a client that is still sending, and most clients then lose the answer. So the
 * listener reads and discards what is left, within bounds (bytes and time), before answering;
 * beyond them it answers anyway and the connection closes, as before.
 *
 * @module
 */

/** Bounds of `drainUnreadBody`. */
export interface DrainBounds {
  /** Most bytes read and discarded. Default 32 MiB. */
  maxBytes?: number;
  /** Longest wait for them. Default 5 s. */
  maxMs?: number;
}

/** Reads and discards `request`'s body when nobody read it and it is within the bounds. */
export async function drainUnreadBody(request: Request, bounds: DrainBounds = {}): Promise<void> {
  const maxBytes = bounds.maxBytes ?? 32 * 1024 * 1024;
  if (request.body === null || request.bodyUsed) return;
  const declared = request.headers.get("content-length");
  if (declared !== null && !(Number(declared) <= maxBytes)) return;
  const reader = request.body.getReader();
  const timer = setTimeout(() => reader.cancel().catch(() => {}), bounds.maxMs ?? 5_000);
  try {
    let total = 0;
    while (total <= maxBytes) {
      const { done, value } = await reader.read();
      if (done) return;
      total += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // A client gone or a cancelled read: the answer goes out (or not) as it would have.
  } finally {
    clearTimeout(timer);
  }
}
