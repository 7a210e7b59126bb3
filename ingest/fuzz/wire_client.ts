/**
 * Sends raw requests to the ingest and returns what came back, over HTTP/1.1 (fetch, keep-alive
 * connections) or h2c (node:http2, one multiplexed session per port, reopened when the server
 * closed it). Nothing is interpreted here: status, headers, trailers and body bytes.
 *
 * @module
 */
import * as http2 from "node:http2";

/** How a request travels. */
export type Transport = "http1" | "h2c";

/** A request as the fuzzer builds it. */
export interface WireRequest {
  transport: Transport;
  /** Which listener: the HTTP/1.1 + h2c one, or the gRPC (h2c) one. */
  port: "http" | "grpc";
  method: string;
  /** Path with query string. */
  path: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** What came back; `failure` when there was no HTTP answer (connection or stream error). */
export interface WireResponse {
  status: number;
  headers: Map<string, string>;
  trailers: Map<string, string>;
  body: Uint8Array;
  failure?: string;
}

/** How long a request may wait for its whole answer before it counts as unanswered. */
const ANSWER_TIMEOUT_MS = 30_000;

/** Sends wire requests to one ingest. */
export class WireClient {
  readonly #ports: { http: number; grpc: number };
  readonly #sessions = new Map<number, http2.ClientHttp2Session>();

  constructor(readonly host: string, ports: { http: number; grpc: number }) {
    this.#ports = ports;
  }

  /** Sends one request and reads the whole answer. */
  send(request: WireRequest): Promise<WireResponse> {
    return request.transport === "http1" ? this.#sendHttp1(request) : this.#sendH2(request);
  }

  /** Closes the HTTP/2 sessions (before the server stops: see docs/listeners.md). */
  close(): void {
    for (const session of this.#sessions.values()) session.destroy();
    this.#sessions.clear();
  }

  async #sendHttp1(request: WireRequest): Promise<WireResponse> {
    const url = `http://${this.host}:${this.#ports[request.port]}${request.path}`;
    try {
      const response = await fetch(url, {
        method: request.method,
        headers: request.headers,
        signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
        body: request.method === "GET" || request.method === "HEAD"
          ? undefined
          : request.body as Uint8Array<ArrayBuffer>,
      });
      const body = new Uint8Array(await response.arrayBuffer());
      return {
        status: response.status,
        headers: new Map(response.headers),
        trailers: new Map(),
        body,
      };
    } catch (error) {
      return failed(`fetch: ${(error as Error).message}`);
    }
  }

  #session(port: number): http2.ClientHttp2Session {
    let session = this.#sessions.get(port);
    if (!session || session.closed || session.destroyed) {
      session = http2.connect(`http://${this.host}:${port}`);
      const opened = session;
      opened.on("error", () => this.#sessions.delete(port));
      opened.on("goaway", () => this.#sessions.delete(port));
      opened.on("close", () => {
        if (this.#sessions.get(port) === opened) this.#sessions.delete(port);
      });
      this.#sessions.set(port, opened);
    }
    return session;
  }

  #sendH2(request: WireRequest): Promise<WireResponse> {
    const port = this.#ports[request.port];
    // Methods without a body end the stream with the headers (measured: Deno's node:http2 client
    // then gets the answer's body; writing an empty end after a GET loses it).
    const bodyless = ["GET", "HEAD", "DELETE"].includes(request.method);
    return new Promise((resolve) => {
      let stream: http2.ClientHttp2Stream;
      try {
        stream = this.#session(port).request({
          ":method": request.method,
          ":path": request.path,
          ...request.headers,
        }, { endStream: bodyless });
      } catch (error) {
        this.#sessions.delete(port);
        resolve(failed(`h2 request: ${(error as Error).message}`));
        return;
      }
      let status = 0;
      const headers = new Map<string, string>();
      const trailers = new Map<string, string>();
      const chunks: Uint8Array[] = [];
      let error: string | undefined;
      stream.on("response", (h) => {
        status = Number(h[":status"]);
        for (const [name, value] of Object.entries(h)) {
          if (!name.startsWith(":")) headers.set(name, String(value));
        }
      });
      stream.on("trailers", (t) => {
        for (const [name, value] of Object.entries(t)) trailers.set(name, String(value));
      });
      stream.on("data", (chunk: Uint8Array) => chunks.push(chunk));
      stream.on("error", (e) => error = `h2 stream: ${e.message}`);
      let settled = false;
      // The answer is complete when the server ended its side, even if it never read all of the
      // request (an early error): the stream is then cancelled, as gRPC clients do.
      const settle = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (!stream.closed && !stream.writableFinished) {
          stream.close(http2.constants.NGHTTP2_CANCEL);
        }
        const body = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
        let at = 0;
        for (const chunk of chunks) {
          body.set(chunk, at);
          at += chunk.byteLength;
        }
        if (status === 0) {
          resolve(failed(error ?? `h2 stream closed without an answer (rst ${stream.rstCode})`));
        } else {
          resolve({ status, headers, trailers, body, failure: error });
        }
      };
      const timer = setTimeout(() => {
        error = `no answer within ${ANSWER_TIMEOUT_MS} ms`;
        status = 0;
        settle();
      }, ANSWER_TIMEOUT_MS);
      stream.on("end", settle);
      stream.on("close", settle);
      if (!bodyless) stream.end(request.body);
    });
  }
}

function failed(failure: string): WireResponse {
  return { status: 0, headers: new Map(), trailers: new Map(), body: new Uint8Array(), failure };
}
