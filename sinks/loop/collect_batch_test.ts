import assert from "node:assert/strict";
import type { Consumer } from "../../ingest/stream/consumer.ts";
import type { ConsumedRecord } from "../../ingest/stream/record.ts";
import { DEFAULT_BATCH_LIMITS } from "./batch_limits.ts";
import { collectBatch } from "./collect_batch.ts";

function record(offset: number): ConsumedRecord {
  return {
    topic: "t",
    partition: 0,
    offset: BigInt(offset),
    key: "k",
    value: new Uint8Array(10),
    headers: {},
    timestamp: 0,
  };
}

/** A consumer answering polls from a script (then nothing), keeping each poll's wait. */
function scripted(polls: ConsumedRecord[][]): Consumer & { waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    poll: ({ maxWaitMs }) => {
      waits.push(maxWaitMs);
      return Promise.resolve(polls.shift() ?? []);
    },
    commit: () => Promise.resolve(),
    seek: () => {},
    assignment: () => [0],
    close: () => Promise.resolve(),
  };
}

Deno.test("collectBatch with idleMs closes the batch at the first poll that brings nothing", async () => {
  const consumer = scripted([[record(0), record(1)], [record(2)], [], [record(3)]]);
  const batch = await collectBatch(consumer, {
    ...DEFAULT_BATCH_LIMITS,
    maxWaitMs: 60_000,
    idleMs: 15,
  });
  assert.deepEqual(batch.map((r) => r.offset), [0n, 1n, 2n]);
  // The first poll waits for anything; the later ones only for the idle gap.
  assert.deepEqual(consumer.waits.slice(1), [15, 15]);
});

Deno.test("collectBatch without idleMs keeps polling until the batch's time is up", async () => {
  const consumer = scripted([[record(0)], [], [record(1)]]);
  const batch = await collectBatch(consumer, { ...DEFAULT_BATCH_LIMITS, maxWaitMs: 30 });
  assert.deepEqual(batch.map((r) => r.offset), [0n, 1n]);
});

Deno.test("collectBatch closes a batch at maxRecords even with idleMs", async () => {
  const consumer = scripted([[record(0), record(1)], [record(2), record(3)]]);
  const batch = await collectBatch(consumer, {
    ...DEFAULT_BATCH_LIMITS,
    maxRecords: 2,
    idleMs: 15,
  });
  assert.equal(batch.length, 2);
});
