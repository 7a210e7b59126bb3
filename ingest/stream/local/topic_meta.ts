/** The partition count of a topic, fixed in `topic.json` when the topic is created. */
import { join } from "node:path";
import { ensureDir, syncDir, topicDir } from "./layout.ts";

/** The partition count stored for `topic`, or undefined when the topic does not exist yet. */
export async function readPartitionCount(dir: string, topic: string): Promise<number | undefined> {
  try {
    const text = await Deno.readTextFile(join(topicDir(dir, topic), "topic.json"));
    const partitions = JSON.parse(text).partitions;
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new Error(`${topic}/topic.json: partitions must be a positive integer`);
    }
    return partitions;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/**
 * Returns the topic's partition count, creating the topic with `partitions` when absent.
 * An existing topic with another count is an error: its keys would move to other partitions.
 */
export async function ensureTopic(dir: string, topic: string, partitions: number): Promise<number> {
  const existing = await readPartitionCount(dir, topic);
  if (existing !== undefined) {
    if (existing !== partitions) {
      throw new Error(
        `topic ${topic} has ${existing} partitions on disk but the log is configured for ` +
          `${partitions}; a topic's partition count cannot change`,
      );
    }
    return existing;
  }
  const path = topicDir(dir, topic);
  await ensureDir(path);
  const temp = join(path, `topic.json.tmp-${Deno.pid}`);
  await Deno.writeTextFile(temp, JSON.stringify({ partitions }) + "\n");
  const handle = await Deno.open(temp, { read: true, write: true });
  await handle.sync().finally(() => handle.close());
  await Deno.rename(temp, join(path, "topic.json"));
  await syncDir(path);
  return partitions;
}
