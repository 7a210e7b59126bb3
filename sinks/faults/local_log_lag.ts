/**
 * Consumer lag on the embedded log, read from its files from the outside: for every consumer group
 * under `<dir>/groups/`, each partition's end offset (after its last whole record) minus the
 * group's committed offset. Safe beside a running writer: offsets files are replaced atomically
 * and only whole records count.
 *
 * @module
 */
import { GroupOffsets } from "../../ingest/stream/local/group_offsets.ts";
import { LocalEndOffsets } from "../../ingest/stream/local/end_offsets.ts";
import { topicDir } from "../../ingest/stream/local/layout.ts";
import type { ConsumerLag } from "./consumer_lag.ts";

/** Lag of every group of `topic` in the embedded log at `dir`, by group name. */
export async function localLogLag(dir: string, topic: string): Promise<Map<string, ConsumerLag>> {
  const partitions: number[] = [];
  for await (const entry of Deno.readDir(topicDir(dir, topic))) {
    if (entry.isDirectory && /^\d+$/.test(entry.name)) partitions.push(Number(entry.name));
  }
  const ends = new LocalEndOffsets(dir, topic);
  try {
    const endOf = await ends.endOffsets(partitions);
    const lags = new Map<string, ConsumerLag>();
    for await (const entry of Deno.readDir(`${dir}/groups`)) {
      if (!entry.isDirectory) continue;
      const committed = await GroupOffsets.load(dir, entry.name, topic);
      const byPartition = new Map<number, number>();
      let total = 0;
      for (const partition of partitions) {
        const end = endOf.get(partition) ?? 0n;
        const at = committed.get(partition) ?? 0n;
        const lag = end > at ? Number(end - at) : 0;
        byPartition.set(partition, lag);
        total += lag;
      }
      lags.set(entry.name, { total, byPartition });
    }
    return lags;
  } finally {
    ends.close();
  }
}
