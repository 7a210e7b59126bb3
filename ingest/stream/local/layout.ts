/**
 * Where the embedded log keeps its files:
 *
 * ```
 * <dir>/writer.lock                          the single writer's lock (flock) and pid
 * <dir>/topics/<topic>/topic.json            {"partitions": 6}, fixed when the topic is created
 * <dir>/topics/<topic>/<partition>/<base>.log segments, named by their first offset (20 digits)
 * <dir>/groups/<group>/<topic>.json          a consumer group's committed offsets
 * ```
 */
import { join } from "node:path";

const NAME = /^[a-zA-Z0-9._-]{1,249}$/;
const SEGMENT = /^(\d{20})\.log$/;

/** Throws unless `name` is a valid topic or group name (Kafka's rule: [a-zA-Z0-9._-]{1,249}). */
export function assertValidName(kind: "topic" | "group", name: string): void {
  if (!NAME.test(name) || name === "." || name === "..") {
    throw new Error(`invalid ${kind} name ${JSON.stringify(name)}: use 1-249 of [a-zA-Z0-9._-]`);
  }
}

/** The folder of a topic. */
export function topicDir(dir: string, topic: string): string {
  return join(dir, "topics", topic);
}

/** The folder of one partition of a topic. */
export function partitionDir(dir: string, topic: string, partition: number): string {
  return join(topicDir(dir, topic), String(partition));
}

/** The file name of the segment whose first offset is `baseOffset`. */
export function segmentFileName(baseOffset: bigint): string {
  return `${baseOffset.toString().padStart(20, "0")}.log`;
}

/** The file of a consumer group's committed offsets for a topic. */
export function groupOffsetsFile(dir: string, group: string, topic: string): string {
  return join(dir, "groups", group, `${topic}.json`);
}

/** A segment file on disk. */
export interface SegmentFile {
  baseOffset: bigint;
  path: string;
}

/** The segments of a partition, oldest first; empty when the folder does not exist. */
export async function listSegments(partitionPath: string): Promise<SegmentFile[]> {
  const segments: SegmentFile[] = [];
  try {
    for await (const entry of Deno.readDir(partitionPath)) {
      const match = entry.isFile ? SEGMENT.exec(entry.name) : null;
      if (match) {
        segments.push({ baseOffset: BigInt(match[1]), path: join(partitionPath, entry.name) });
      }
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return segments.sort((
    a,
    b,
  ) => (a.baseOffset < b.baseOffset ? -1 : a.baseOffset > b.baseOffset ? 1 : 0));
}

/** Fsyncs a directory, so that a file created, renamed or deleted in it survives a crash. */
export async function syncDir(path: string): Promise<void> {
  const handle = await Deno.open(path, { read: true });
  try {
    await handle.sync();
  } finally {
    handle.close();
  }
}

/** Creates `path` and its parents, fsyncing each folder it created and the one above it. */
export async function ensureDir(path: string): Promise<void> {
  try {
    await Deno.stat(path);
    return;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const parent = join(path, "..");
  await ensureDir(parent);
  try {
    await Deno.mkdir(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
  }
  await syncDir(parent);
}
