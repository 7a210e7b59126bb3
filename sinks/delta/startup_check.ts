import type { ObjectStore } from "./storage/object_store.ts";

/** Thrown when the store would let two writers both "win" the same commit version. */
export class UnsafeStoreError extends Error {
  /** Names the store and what it did wrong. */
  constructor(location: string, what: string) {
    super(
      `${location} does not refuse a second create of the same key (${what}): Delta commits ` +
        `would overwrite each other. Use an S3 server that honours If-None-Match: * atomically ` +
        `(AWS S3, s3proxy >= 4, SeaweedFS 2026+) or a local disk; refusing to run.`,
    );
    this.name = "UnsafeStoreError";
  }
}

/**
 * Verifies, before the sink writes anything, that the store's create-if-absent is real: a second
 * create of a key fails, and of `racers` concurrent creates of one key exactly one succeeds and
 * its body is what a reader gets. Probe keys live under `_delta_log/_startup_check/` and are
 * deleted afterwards.
 */
export async function verifyAtomicCreate(
  store: ObjectStore,
  options: { racers?: number; rounds?: number } = {},
): Promise<void> {
  const racers = options.racers ?? 8;
  const rounds = options.rounds ?? 3;
  const prefix = `_delta_log/_startup_check/${crypto.randomUUID()}`;
  const body = (text: string) => new TextEncoder().encode(text);
  const used: string[] = [];
  try {
    const key = `${prefix}-sequential`;
    used.push(key);
    if (!(await store.putIfAbsent(key, body("first")))) {
      throw new UnsafeStoreError(store.location, "the first create of a new key was refused");
    }
    if (await store.putIfAbsent(key, body("second"))) {
      throw new UnsafeStoreError(store.location, "a second create of an existing key succeeded");
    }
    for (let round = 0; round < rounds; round++) {
      const raced = `${prefix}-race-${round}`;
      used.push(raced);
      const results = await Promise.all(
        Array.from({ length: racers }, (_, i) => store.putIfAbsent(raced, body(`racer ${i}`))),
      );
      const winners = results.flatMap((won, i) => (won ? [i] : []));
      if (winners.length !== 1) {
        throw new UnsafeStoreError(
          store.location,
          `${winners.length} of ${racers} racing creates succeeded`,
        );
      }
      const stored = new TextDecoder().decode(await store.get(raced));
      if (stored !== `racer ${winners[0]}`) {
        throw new UnsafeStoreError(store.location, "the racing winner's body was overwritten");
      }
    }
  } finally {
    for (const key of used) await store.delete(key);
  }
}
