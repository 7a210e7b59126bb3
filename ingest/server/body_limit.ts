import { Code, ConnectError } from "@connectrpc/connect";
import { requestTooLargeMessage } from "../limits/mod.ts";
import { concatBytes } from "./read_all_bytes.ts";

/** The declared Content-Length of a request, or undefined when absent or malformed. */
export function declaredLength(header: Headers): number | undefined {
  const value = header.get("Content-Length");
  if (value === null || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/**
 * Passes a request body through, failing with `resource_exhausted` (naming the limit) once more
 * than `maxBytes` have arrived. For bodies sent without a Content-Length.
 */
export async function* limitBody(
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
): AsyncIterable<Uint8Array> {
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      throw new ConnectError(requestTooLargeMessage(undefined, maxBytes), Code.ResourceExhausted);
    }
    yield chunk;
  }
}

/** Reads a whole body into memory, or returns undefined as soon as it exceeds `maxBytes`. */
export async function readBodyWithin(
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return concatBytes(chunks);
}
