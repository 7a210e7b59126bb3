/**
 * The appending side of one partition: recovers the tail of the last segment on open, assigns
 * dense offsets, writes batches, fsyncs them, rolls segments and applies retention.
 */
import { failpoint, failpointsActive } from "../../failpoints/mod.ts";
import { encodeFrame } from "./frame.ts";
import { FrameReader } from "./frame_reader.ts";
import { ensureDir, listSegments, type SegmentFile, segmentFileName, syncDir } from "./layout.ts";
import { enforceRetention, type RetentionPolicy } from "./retention.ts";
import { join } from "node:path";

/** Settings of a partition writer. */
export interface PartitionWriterOptions {
  /** Roll to a new segment before a batch that would take the active one past this size. */
  segmentBytes: number;
  /** Largest frame body accepted when reading back; larger length fields count as corrupt. */
  maxBodyBytes: number;
  /** Fsync each batch before it is acknowledged. */
  fsync: boolean;
  retention: RetentionPolicy;
}

/** What recovery cut from the tail of a partition's last segment. */
export interface RecoveryReport {
  segment: string;
  truncatedBytes: number;
  reason: string;
  nextOffset: bigint;
}

/** A record to append, before it has an offset. */
export interface PendingRecord {
  key: string;
  headers: Record<string, string>;
  value: Uint8Array;
}

/** The single writer of one partition folder. */
export class PartitionWriter {
  #broken: Error | undefined;
  /** How many times this writer rolled to a new segment (the publisher then applies retention). */
  rolls = 0;

  private constructor(
    private readonly path: string,
    private segments: SegmentFile[],
    private active: Deno.FsFile,
    private activeSize: number,
    /** The offset the next appended record gets. */
    public nextOffset: bigint,
    private readonly options: PartitionWriterOptions,
  ) {}

  /** Opens (creating if needed) the partition at `path`, cutting a torn tail of its last segment. */
  static async open(
    path: string,
    options: PartitionWriterOptions,
  ): Promise<{ writer: PartitionWriter; recovery?: RecoveryReport }> {
    await ensureDir(path);
    let segments = await listSegments(path);
    if (segments.length === 0) {
      segments = [await createSegment(path, 0n)];
    }
    const last = segments[segments.length - 1];
    const file = await Deno.open(last.path, { read: true, write: true });
    try {
      const { validBytes, nextOffset, reason } = await scanSegment(
        file,
        last,
        options.maxBodyBytes,
      );
      const size = (await file.stat()).size;
      let recovery: RecoveryReport | undefined;
      if (validBytes < size) {
        await file.truncate(validBytes);
        await file.syncData();
        recovery = { segment: last.path, truncatedBytes: size - validBytes, reason, nextOffset };
      }
      await file.seek(validBytes, Deno.SeekMode.Start);
      segments = await enforceRetention(path, segments, options.retention);
      const writer = new PartitionWriter(path, segments, file, validBytes, nextOffset, options);
      return { writer, recovery };
    } catch (error) {
      file.close();
      throw error;
    }
  }

  /**
   * Appends records as one write (and one fsync under the fsync policy); returns the offset of
   * the first. On failure the partial write is cut off again and the error is thrown; if even
   * that fails, the writer refuses further appends until the log is reopened (and recovered).
   */
  async append(records: PendingRecord[], timestamp: number): Promise<bigint> {
    if (this.#broken) throw this.#broken;
    const first = this.nextOffset;
    const frames = records.map((record, i) =>
      encodeFrame({ ...record, offset: first + BigInt(i), timestamp })
    );
    const bytes = concat(frames);
    if (this.activeSize > 0 && this.activeSize + bytes.length > this.options.segmentBytes) {
      await this.#roll();
    }
    const sizeBefore = this.activeSize;
    try {
      if (failpointsActive()) {
        // Half the frame bytes reach the file, then the failpoint may kill the process.
        const half = Math.max(1, bytes.length >> 1);
        await writeAll(this.active, bytes.subarray(0, half));
        failpoint("local-log.mid-append");
        await writeAll(this.active, bytes.subarray(half));
      } else {
        await writeAll(this.active, bytes);
      }
      if (this.options.fsync) await this.active.syncData();
    } catch (error) {
      await this.#rollBack(sizeBefore, error as Error);
      throw error;
    }
    this.activeSize += bytes.length;
    this.nextOffset = first + BigInt(records.length);
    return first;
  }

  /** Deletes old segments per the retention policy; returns how many were deleted. */
  async applyRetention(now = Date.now()): Promise<number> {
    const before = this.segments.length;
    this.segments = await enforceRetention(this.path, this.segments, this.options.retention, now);
    return before - this.segments.length;
  }

  /** Fsyncs and closes the active segment. */
  async close(): Promise<void> {
    try {
      if (!this.#broken) await this.active.syncData();
    } finally {
      this.active.close();
    }
  }

  async #roll(): Promise<void> {
    await this.active.syncData();
    const segment = await createSegment(this.path, this.nextOffset);
    const file = await Deno.open(segment.path, { read: true, write: true });
    this.active.close();
    this.active = file;
    this.activeSize = 0;
    this.segments.push(segment);
    this.rolls++;
  }

  async #rollBack(size: number, cause: Error): Promise<void> {
    try {
      await this.active.truncate(size);
      await this.active.syncData();
      await this.active.seek(size, Deno.SeekMode.Start);
    } catch (rollBackError) {
      this.#broken = new Error(
        `partition ${this.path} refuses appends after a failed write (${cause.message}) that ` +
          `could not be cut off (${(rollBackError as Error).message}); reopen the log to recover`,
        { cause: rollBackError },
      );
    }
  }
}

async function createSegment(path: string, baseOffset: bigint): Promise<SegmentFile> {
  const segment = { baseOffset, path: join(path, segmentFileName(baseOffset)) };
  const file = await Deno.open(segment.path, { write: true, createNew: true });
  file.close();
  await syncDir(path);
  return segment;
}

/** Finds the end of the last good frame of a segment and the offset that follows it. */
async function scanSegment(
  file: Deno.FsFile,
  segment: SegmentFile,
  maxBodyBytes: number,
): Promise<{ validBytes: number; nextOffset: bigint; reason: string }> {
  const reader = new FrameReader(file, 0, maxBodyBytes);
  let nextOffset = segment.baseOffset;
  while (true) {
    const start = reader.position;
    const result = await reader.next();
    if (result.kind === "incomplete") {
      return { validBytes: start, nextOffset, reason: "short frame at the end" };
    }
    if (result.kind === "corrupt") return { validBytes: start, nextOffset, reason: result.reason };
    if (result.record.offset !== nextOffset) {
      const reason = `offset ${result.record.offset} where ${nextOffset} was expected`;
      return { validBytes: start, nextOffset, reason };
    }
    nextOffset++;
  }
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await file.write(bytes.subarray(written));
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
