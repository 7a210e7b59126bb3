/**
 * UUIDv7 (RFC 9562 §5.7): a 48-bit Unix millisecond timestamp, then random bits. Clients make
 * `event_id`s with it; the ingest makes one for legacy JSON events that arrive without.
 *
 * Within one millisecond the 12-bit `rand_a` field is a counter started at a random value
 * (RFC 9562 §6.2, method 3), so ids made by one process sort in creation order.
 *
 * @module
 */

/** Makes UUIDv7 strings from the clock `now` (Unix milliseconds), monotonic per generator. */
export function createUuidv7Generator(now: () => number = Date.now): () => string {
  let lastMs = -1;
  let lastCounter = 0;
  return () => {
    const made = nextUuidv7(Math.floor(now()), lastMs, lastCounter);
    lastMs = made.ms;
    lastCounter = made.counter;
    return made.id;
  };
}

/** A new UUIDv7 string, e.g. `0192f4c8-7c1e-7a3b-9d2e-5f6a7b8c9d0e`. */
export const uuidv7: () => string = createUuidv7Generator();

function nextUuidv7(
  now: number,
  lastMs: number,
  lastCounter: number,
): { id: string; ms: number; counter: number } {
  let ms = now;
  let counter: number;
  const random = crypto.getRandomValues(new Uint8Array(10));
  if (ms <= lastMs) {
    ms = lastMs;
    counter = lastCounter + 1;
    if (counter > 0xfff) {
      ms += 1;
      counter = ((random[0] << 8) | random[1]) & 0x7ff;
    }
  } else {
    // Start below half of the range so a burst in one millisecond rarely overflows it.
    counter = ((random[0] << 8) | random[1]) & 0x7ff;
  }
  const bytes = new Uint8Array(16);
  let t = ms;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = t % 256;
    t = Math.floor(t / 256);
  }
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes.set(random.subarray(2), 8);
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
  return { id, ms, counter };
}

/** The creation time in Unix milliseconds encoded in a UUIDv7, or undefined if `id` is not one. */
export function uuidv7Time(id: string): number | undefined {
  if (!UUIDV7_PATTERN.test(id)) return undefined;
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

const UUIDV7_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
