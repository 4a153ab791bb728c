/**
 * Reads int32-size-prefixed frames straight into their own buffers, for a client socket's `onread`: the socket
 * asks `nextBuffer()` where its next bytes go and reports with `read(n)` how many arrived there.
 *
 * Between frames the bytes land in a small reused scratch buffer. A frame that arrived whole is copied out of it
 * (responses such as Produce acknowledgements are small); a frame that did not is given a buffer of its full size,
 * what the scratch holds of it is copied in, and the rest of it is read by the kernel straight into that buffer.
 * A large Fetch response is therefore written once, by the kernel, instead of arriving in 64 KiB reads that are
 * copied again into one frame.
 */
import { FrameTooLargeError } from '../../protocol/errors.js';

const SIZE_PREFIX = 4;
const DEFAULT_SCRATCH_BYTES = 64 * 1024;

export class DirectFrameReader {
  readonly #maxFrameBytes: number;
  readonly #scratch: Buffer;
  /** Unread bytes of the scratch are [#start, #end). */
  #start = 0;
  #end = 0;
  /** The frame being read straight into, and how much of it has arrived. */
  #frame: Buffer | undefined;
  #filled = 0;

  constructor(maxFrameBytes: number, scratchBytes = DEFAULT_SCRATCH_BYTES) {
    if (scratchBytes < SIZE_PREFIX * 2) throw new RangeError(`scratch of ${scratchBytes} bytes is too small`);
    this.#maxFrameBytes = maxFrameBytes;
    this.#scratch = Buffer.allocUnsafe(scratchBytes);
  }

  /** Where the next bytes from the socket go; never empty. */
  nextBuffer(): Buffer {
    if (this.#frame !== undefined) return this.#frame.subarray(this.#filled);
    if (this.#start > 0) {
      this.#scratch.copy(this.#scratch, 0, this.#start, this.#end);
      this.#end -= this.#start;
      this.#start = 0;
    }
    return this.#scratch.subarray(this.#end);
  }

  /** `n` bytes arrived in the buffer `nextBuffer()` last gave; returns every frame now complete (size prefix stripped). */
  read(n: number): Buffer[] {
    const frame = this.#frame;
    if (frame !== undefined) {
      this.#filled += n;
      if (this.#filled < frame.length) return [];
      this.#frame = undefined;
      return [frame];
    }
    this.#end += n;
    const frames: Buffer[] = [];
    while (this.#end - this.#start >= SIZE_PREFIX) {
      const size = this.#scratch.readInt32BE(this.#start);
      if (size < 0 || size > this.#maxFrameBytes) {
        this.#start = this.#end = 0;
        throw new FrameTooLargeError(size, this.#maxFrameBytes);
      }
      const from = this.#start + SIZE_PREFIX;
      const have = Math.min(size, this.#end - from);
      const out = Buffer.allocUnsafe(size);
      this.#scratch.copy(out, 0, from, from + have);
      this.#start = from + have;
      if (have < size) {
        this.#frame = out;
        this.#filled = have;
        break;
      }
      frames.push(out);
    }
    if (this.#start === this.#end) this.#start = this.#end = 0;
    return frames;
  }
}
