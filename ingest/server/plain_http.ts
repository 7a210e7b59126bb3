import type { UniversalServerResponse } from "@connectrpc/connect/protocol";

/** A JSON response in universal form, for the plain HTTP endpoints (/health, /ready, errors). */
export function jsonResponse(
  status: number,
  body: unknown,
  extraHeader?: HeadersInit,
): UniversalServerResponse {
  const header = new Headers(extraHeader);
  header.set("Content-Type", "application/json; charset=utf-8");
  header.set("Cache-Control", "no-store");
  return { status, header, body: once(new TextEncoder().encode(JSON.stringify(body) + "\n")) };
}

/** A text response in universal form. */
export function textResponse(
  status: number,
  text: string,
  header: Headers,
): UniversalServerResponse {
  if (text === "") return { status, header };
  return { status, header, body: once(new TextEncoder().encode(text)) };
}

/** Converts a fetch Response (from the /analytics handler) to universal form. */
export function universalFromFetchResponse(response: Response): UniversalServerResponse {
  const header = new Headers(response.headers);
  const body = response.body;
  if (body === null) return { status: response.status, header };
  return { status: response.status, header, body: iterateStream(body) };
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

async function* iterateStream(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
