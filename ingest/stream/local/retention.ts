/** Deletes whole old segments of a partition by age and size; never the active (last) one. */
import type { SegmentFile } from "./layout.ts";
import { syncDir } from "./layout.ts";

/** How long and how much a partition keeps; undefined means no limit. */
export interface RetentionPolicy {
  /** Delete a segment once its last append (file mtime) is older than this. */
  maxAgeMs?: number;
  /** Delete oldest segments while the partition holds more bytes than this. */
  maxBytes?: number;
}

/**
 * Deletes the oldest segments that break the policy, oldest first and never past a segment
 * that is kept (so the log start stays contiguous); returns the segments that remain.
 */
export async function enforceRetention(
  partitionPath: string,
  segments: SegmentFile[],
  policy: RetentionPolicy,
  now = Date.now(),
): Promise<SegmentFile[]> {
  if (segments.length < 2 || (policy.maxAgeMs === undefined && policy.maxBytes === undefined)) {
    return segments;
  }
  const stats = await Promise.all(segments.map((segment) => Deno.stat(segment.path)));
  let total = stats.reduce((sum, stat) => sum + stat.size, 0);
  let deleted = 0;
  for (let i = 0; i < segments.length - 1; i++) {
    const tooOld = policy.maxAgeMs !== undefined &&
      now - (stats[i].mtime?.getTime() ?? now) > policy.maxAgeMs;
    const tooBig = policy.maxBytes !== undefined && total > policy.maxBytes;
    if (!tooOld && !tooBig) break;
    await Deno.remove(segments[i].path);
    total -= stats[i].size;
    deleted++;
  }
  if (deleted > 0) await syncDir(partitionPath);
  return segments.slice(deleted);
}
