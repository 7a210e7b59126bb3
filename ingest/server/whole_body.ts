/**
 * A request body the listener read in one piece (it had a Content-Length within the limit).
 * It iterates like a stream of one chunk, so Connect reads it as any body; the routing layer can
 * see it is already whole and within the limit, and skip limiting or collecting it again.
 */
export class WholeBody implements AsyncIterable<Uint8Array> {
  /** Wraps the bytes of a body read whole. */
  constructor(readonly bytes: Uint8Array) {}

  /** One chunk: the whole body. */
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    let given = false;
    return {
      next: () => {
        if (given) return Promise.resolve({ done: true, value: undefined });
        given = true;
        return Promise.resolve({ done: false, value: this.bytes });
      },
    };
  }
}
