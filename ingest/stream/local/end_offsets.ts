import { partitionDir } from "./layout.ts";
import { PartitionReader } from "./partition_reader.ts";

/** Records read per step while walking to a partition's end. */
const STEP = 1_000;

/**
 * Finds, from the segment files, each partition's end offset (the offset the next record will
 * get) of one topic of the embedded log, for consumer lag. It keeps a read position per
 * partition, so each call only reads the records appended since the last one.
 */
export class LocalEndOffsets {
  readonly #readers = new Map<number, { reader: PartitionReader; end: bigint }>();

  /** Reads topic `topic` of the log in folder `dir`. */
  constructor(private readonly dir: string, private readonly topic: string) {}

  /** Per partition in `partitions`, the offset after its last whole record (0 when empty). */
  async endOffsets(partitions: number[]): Promise<Map<number, bigint>> {
    const ends = new Map<number, bigint>();
    for (const partition of partitions) {
      let state = this.#readers.get(partition);
      if (!state) {
        const path = partitionDir(this.dir, this.topic, partition);
        state = { reader: new PartitionReader(path), end: 0n };
        this.#readers.set(partition, state);
      }
      for (;;) {
        const records = await state.reader.read(state.end, STEP);
        if (records.length === 0) break;
        state.end = records[records.length - 1].offset + 1n;
      }
      ends.set(partition, state.end);
    }
    return ends;
  }

  /** Closes the segment files it holds open. */
  close(): void {
    for (const { reader } of this.#readers.values()) reader.close();
    this.#readers.clear();
  }
}
