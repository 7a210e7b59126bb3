/** Sequential, buffered reading of frames from one segment file, from a byte position. */
import { decodeFrame, type DecodeResult, FRAME_HEADER_BYTES } from "./frame.ts";

const CHUNK_BYTES = 1 << 20;

/**
 * Reads frames one by one. `next` returns a record and moves past it, or reports that the bytes
 * at the current position are incomplete (end of the file so far) or corrupt, without moving.
 */
export class FrameReader {
  #buffer = new Uint8Array(0);
  #bufferStart = 0;
  #bufferLength = 0;

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
      const result: DecodeResult = relative >= 0 && relative <= this.#bufferLength
        ? decodeFrame(this.#buffer.subarray(0, this.#bufferLength), relative, this.maxBodyBytes)
        : { kind: "incomplete", needed: FRAME_HEADER_BYTES };
      if (result.kind === "record") {
        this.position += result.size;
        return result;
      }
      // Bytes read before may be stale (a writer was still writing them): judge only fresh ones.
      if (result.kind === "corrupt" && fresh) return result;
      if (result.kind === "incomplete" && atEnd) return result;
      const wanted = Math.max(CHUNK_BYTES, result.kind === "incomplete" ? result.needed : 0);
      atEnd = (await this.#refill(wanted)) < wanted;
      fresh = true;
    }
  }

  /** Reads from the current position into the buffer; returns how many bytes it got. */
  async #refill(size: number): Promise<number> {
    if (this.#buffer.length < size) this.#buffer = new Uint8Array(size);
    await this.file.seek(this.position, Deno.SeekMode.Start);
    let filled = 0;
    while (filled < this.#buffer.length) {
      const read = await this.file.read(this.#buffer.subarray(filled));
      if (read === null || read === 0) break;
      filled += read;
    }
    this.#bufferStart = this.position;
    this.#bufferLength = filled;
    return filled;
  }
}
