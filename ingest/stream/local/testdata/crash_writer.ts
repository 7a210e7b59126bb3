/**
 * A writer for the kill test: appends records to the local log in a loop with several publish
 * calls in flight, and prints `<id> <partition> <offset>` for each record once its publish has
 * resolved (that is, once it was acknowledged). The test SIGKILLs it at a random moment.
 *
 * Usage: deno run -A crash_writer.ts <dir> <run> <valueBytes> <concurrency> <always|never>
 */
import { openLocalLog } from "../mod.ts";

const [dir, run, valueBytes, concurrency, fsync] = Deno.args;
const log = await openLocalLog({ dir, fsync: fsync as "always" | "never", log: () => {} });
const publisher = await log.publisher();
const out = Deno.stdout;
const encoder = new TextEncoder();
const value = new Uint8Array(Number(valueBytes)).fill(0x61);
let sequence = 0;

async function loop(): Promise<never> {
  while (true) {
    const ids = Array.from({ length: 1 + (sequence % 3) }, () => `${run}-${sequence++}`);
    const records = ids.map((id) => ({
      key: `user-${id.length % 11}-${sequence % 17}`,
      value,
      headers: { id },
    }));
    const outcomes = await publisher.publish("analytics.events.v1", records);
    let lines = "";
    outcomes.forEach((outcome, i) => {
      if (!outcome.ok) throw outcome.error;
      lines += `${ids[i]} ${outcome.position.partition} ${outcome.position.offset}\n`;
    });
    const bytes = encoder.encode(lines);
    let written = 0;
    while (written < bytes.length) written += await out.write(bytes.subarray(written));
  }
}

await Promise.all(Array.from({ length: Number(concurrency) }, loop));
