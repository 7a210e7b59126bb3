/** Sequential, buffered reading of frames from one segment file, from a byte position. */
import { decodeFrame, type DecodeResult, FRAME_HEADER_BYTES } from "./frame.ts";

/** The size of a fresh read buffer (larger when one frame needs more). */
const CHUNK_BYTES = 1 << 20;
/** The least free space worth reading into before a fresh buffer is taken. */
const MIN_READ_BYTES = 64 << 10;

/**
 * Reads frames one by one. `next` returns a record and moves past it, or reports that the bytes
 * at the current position are incomplete (end of the file so far) or corrupt, without moving.
 *
 * A record's value is a view into the read buffer, not a copy. So the reader never writes
 * buffer bytes that back a record it returned: each read goes into the free space after the
 * last returned frame, and into a fresh buffer when that space is too small.
 */
export class FrameReader {
  #arena = new Uint8Array(0);
  /** Arena bytes before this index back returned records: they are never written again. */
  #lent = 0;
  /** The bytes read last, from file position `#bufferStart`: a part of the arena. */
  #buffer = new Uint8Array(0);
  #bufferStart = 0;

  /** `position` is the byte position of the next frame in `file`. */
  constructor(
    private readonly file: Deno.FsFile,
    public position: number,
    private readonly maxBodyBytes: number,
  ) {}

  /** Decodes the frame at the current position, reading from the file as needed. */
  async next(): Promise<DecodeResult> {
    let fresh = false;
    let atEnd = false;
    while (true) {
      const relative = this.position - this.#bufferStart;
      const result: DecodeResult = relative >= 0 && relative <= this.#buffer.length
        ? decodeFrame(this.#buffer, relative, this.maxBodyBytes)
        : { kind: "incomplete", needed: FRAME_HEADER_BYTES };
      if (result.kind === "record") {
        this.position += result.size;
        this.#lent = this.#buffer.byteOffset + relative + result.size;
        return result;
      }
      // Bytes read before may be stale (a writer was still writing them): judge only fresh ones.
      if (result.kind === "corrupt" && fresh) return result;
      if (result.kind === "incomplete" && atEnd) return result;
      atEnd = await this.#refill(result.kind === "incomplete" ? result.needed : 0);
      fresh = true;
    }
  }

  /**
   * Reads from the current position into the arena's free space (a fresh arena when less than
   * `needed` bytes, or `MIN_READ_BYTES`, are free); true when it reached the end of the file.
   */
  async #refill(needed: number): Promise<boolean> {
    if (this.#arena.length - this.#lent < Math.max(needed, MIN_READ_BYTES)) {
      this.#arena = new Uint8Array(Math.max(needed, CHUNK_BYTES));
      this.#lent = 0;
    }
    const free = this.#arena.subarray(this.#lent);
    await this.file.seek(this.position, Deno.SeekMode.Start);
    let filled = 0;
    while (filled < free.length) {
      const read = await this.file.read(free.subarray(filled));
      if (read === null || read === 0) break;
      filled += read;
    }
    this.#bufferStart = this.position;
    this.#buffer = free.subarray(0, filled);
    return filled < free.length;
  }
}
