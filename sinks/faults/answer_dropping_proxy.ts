/**
 * A TCP proxy for HTTP/2 cleartext (gRPC) that loses answers: it forwards the client's bytes to
 * the server unchanged and the server's frames back, but when the server starts answering a
 * request (the first HEADERS frame of a stream) it may, with a given probability, withhold that
 * frame and cut both connections. The server has then done the work (the ingest answers a Track
 * call only after publishing) and the client never hears of it: it sees the call fail and retries
 * the same events, which is the case "a client retrying a batch whose answer it never received".
 *
 * @module
 */

/** Options of `AnswerDroppingProxy.start`. */
export interface AnswerDroppingProxyOptions {
  /** The server (h2c). */
  target: { hostname: string; port: number };
  /** Probability in [0, 1] of cutting a connection at a response's first HEADERS frame. */
  dropProbability: number;
  /** Random numbers in [0, 1). Default Math.random. */
  random?: () => number;
}

const FRAME_HEADER_BYTES = 9;
const HEADERS_FRAME = 0x1;

/** A running proxy on 127.0.0.1 (port chosen by the system). */
export class AnswerDroppingProxy {
  /** Answers withheld (each followed by cutting that connection). */
  droppedAnswers = 0;
  /** Answers passed on (first HEADERS frames of a stream forwarded). */
  forwardedAnswers = 0;
  /** Client connections accepted. */
  connections = 0;
  readonly #listener: Deno.TcpListener;
  readonly #pipes = new Set<Promise<void>>();
  readonly #open = new Set<Deno.Conn>();
  #accepting: Promise<void>;

  private constructor(listener: Deno.TcpListener, readonly options: AnswerDroppingProxyOptions) {
    this.#listener = listener;
    this.#accepting = this.#accept();
  }

  /** Listens on a free port of 127.0.0.1. */
  static start(options: AnswerDroppingProxyOptions): AnswerDroppingProxy {
    const p = options.dropProbability;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`dropProbability must be in [0, 1], got ${p}`);
    return new AnswerDroppingProxy(Deno.listen({ hostname: "127.0.0.1", port: 0 }), options);
  }

  /** The port clients connect to. */
  get port(): number {
    return (this.#listener.addr as Deno.NetAddr).port;
  }

  /** Stops accepting, cuts every connection and waits until all pipes ended. */
  async close(): Promise<void> {
    this.#listener.close();
    await this.#accepting;
    for (const conn of this.#open) closeQuietly(conn);
    await Promise.allSettled([...this.#pipes]);
  }

  async #accept(): Promise<void> {
    try {
      for await (const client of this.#listener) {
        this.connections++;
        const pipe = this.#serve(client).finally(() => this.#pipes.delete(pipe));
        this.#pipes.add(pipe);
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.BadResource)) throw error;
    }
  }

  async #serve(client: Deno.Conn): Promise<void> {
    this.#open.add(client);
    let server: Deno.Conn;
    try {
      server = await Deno.connect(this.options.target);
    } catch {
      this.#open.delete(client);
      closeQuietly(client);
      return;
    }
    this.#open.add(server);
    const cut = () => {
      for (const conn of [client, server]) {
        this.#open.delete(conn);
        closeQuietly(conn);
      }
    };
    await Promise.allSettled([
      copy(client, server).finally(cut),
      this.#copyAnswers(server, client).finally(cut),
    ]);
  }

  /** Copies the server's frames to the client, deciding at each response's first HEADERS. */
  async #copyAnswers(server: Deno.Conn, client: Deno.Conn): Promise<void> {
    const random = this.options.random ?? Math.random;
    const answered = new Set<number>();
    let pending: Uint8Array = new Uint8Array(0);
    const chunk = new Uint8Array(64 * 1024);
    while (true) {
      const n = await server.read(chunk).catch(() => null);
      if (n === null) return;
      pending = concat(pending, chunk.subarray(0, n));
      let at = 0;
      while (pending.length - at >= FRAME_HEADER_BYTES) {
        const length = (pending[at] << 16) | (pending[at + 1] << 8) | pending[at + 2];
        const end = at + FRAME_HEADER_BYTES + length;
        if (pending.length < end) break;
        const type = pending[at + 3];
        const stream = ((pending[at + 5] & 0x7f) << 24) | (pending[at + 6] << 16) |
          (pending[at + 7] << 8) | pending[at + 8];
        if (type === HEADERS_FRAME && stream !== 0 && !answered.has(stream)) {
          answered.add(stream);
          if (random() < this.options.dropProbability) {
            // Forward what came before this frame, then lose the answer with the connection.
            await writeAll(client, pending.subarray(0, at)).catch(() => {});
            this.droppedAnswers++;
            return;
          }
          this.forwardedAnswers++;
        }
        at = end;
      }
      if (at > 0) {
        if (!(await writeAll(client, pending.subarray(0, at)).then(() => true, () => false))) {
          return;
        }
        pending = pending.slice(at);
      }
    }
  }
}

async function copy(from: Deno.Conn, to: Deno.Conn): Promise<void> {
  const chunk = new Uint8Array(64 * 1024);
  while (true) {
    const n = await from.read(chunk).catch(() => null);
    if (n === null) return;
    await writeAll(to, chunk.subarray(0, n));
  }
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let at = 0;
  while (at < bytes.length) at += await conn.write(bytes.subarray(at));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch { /* already closed */ }
}
