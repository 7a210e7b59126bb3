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

/**
 * Converts a fetch Response (from the /analytics handler: a small JSON answer) to universal
 * form, its body read whole (not through `response.body`, whose getter makes a stream of a body
 * made from a string or bytes); an empty body is sent as none. The headers are passed on, not
 * copied: whoever adds to them copies first.
 */
export async function universalFromFetchResponse(
  response: Response,
): Promise<UniversalServerResponse> {
  const header = response.headers;
  const bytes = await response.bytes();
  if (bytes.byteLength === 0) return { status: response.status, header };
  return { status: response.status, header, body: once(bytes) };
}

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}
