/**
 * Reads one partition's records in offset order from its segment files, for a consumer.
 * It returns only whole frames whose CRC and offset check out, so it never hands out a torn
 * record, whether the writer is in this process or another one.
 */
import type { FrameRecord } from "./frame.ts";
import { FrameReader } from "./frame_reader.ts";
import { listSegments, type SegmentFile } from "./layout.ts";
import { MAX_FRAME_BODY_BYTES } from "./options.ts";

interface Cursor {
  segment: SegmentFile;
  file: Deno.FsFile;
  reader: FrameReader;
  /** The offset of the record at `reader.position`. */
  nextOffset: bigint;
}

/** A read position in one partition folder. */
export class PartitionReader {
  #cursor: Cursor | undefined;

  /** Reads the partition stored in `path`. */
  constructor(private readonly path: string) {}

  /**
   * Returns up to `max` records from offset `from`, stopping before `end` when given. When
   * `from` is older than the oldest segment kept, reading starts at the oldest kept record
   * (the caller sees it from the offsets returned).
   */
  async read(from: bigint, max: number, end?: bigint): Promise<FrameRecord[]> {
    const records: FrameRecord[] = [];
    if (this.#cursor === undefined || this.#cursor.nextOffset !== from) {
      if (!(await this.#locate(from))) return records;
    }
    while (records.length < max && (end === undefined || this.#cursor!.nextOffset < end)) {
      const cursor = this.#cursor!;
      const result = await cursor.reader.next();
      if (result.kind === "record" && result.record.offset === cursor.nextOffset) {
        cursor.nextOffset++;
        if (result.record.offset >= from) records.push(result.record);
        continue;
      }
      if (result.kind === "record") {
        // An offset out of sequence: a writer cut and rewrote this tail; read it again later.
        this.close();
        break;
      }
      // Incomplete or corrupt: the end of what is written so far, unless a newer segment starts.
      if (!(await this.#moveToNextSegment())) break;
    }
    return records;
  }

  /** Closes the open segment file. */
  close(): void {
    this.#cursor?.file.close();
    this.#cursor = undefined;
  }

  async #locate(from: bigint): Promise<boolean> {
    this.close();
    const segments = await listSegments(this.path);
    if (segments.length === 0) return false;
    let index = segments.findLastIndex((segment) => segment.baseOffset <= from);
    if (index < 0) index = 0;
    return await this.#open(segments[index]);
  }

  async #open(segment: SegmentFile): Promise<boolean> {
    let file: Deno.FsFile;
    try {
      file = await Deno.open(segment.path, { read: true });
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return false; // deleted by retention meanwhile
      throw error;
    }
    const reader = new FrameReader(file, 0, MAX_FRAME_BODY_BYTES);
    this.#cursor = { segment, file, reader, nextOffset: segment.baseOffset };
    return true;
  }

  async #moveToNextSegment(): Promise<boolean> {
    const cursor = this.#cursor!;
    const segments = await listSegments(this.path);
    const next = segments.find((segment) => segment.baseOffset > cursor.segment.baseOffset);
    // The writer fsyncs a segment completely before it creates the next one, so a next segment
    // means this one has ended; it must start exactly where this one stopped.
    if (!next || next.baseOffset !== cursor.nextOffset) return false;
    this.close();
    return await this.#open(next);
  }
}
