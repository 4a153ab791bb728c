import { FrameTooLargeError } from './errors.js';

const SIZE_PREFIX = 4;

/**
 * Incremental framer for int32-size-prefixed frames. Keeps a list of received chunks and consumes
 * exact byte counts; the size prefix is checked against `maxFrameBytes` before any payload is buffered.
 * A frame that lies inside one chunk is returned as a zero-copy view of it.
 */
export class FrameDecoder {
  readonly #maxFrameBytes: number;
  #chunks: Buffer[] = [];
  #buffered = 0;
  /** Size of the frame being assembled, once its prefix has been read and checked. */
  #pending = -1;

  constructor(maxFrameBytes: number) {
    this.#maxFrameBytes = maxFrameBytes;
  }

  /** Bytes received but not yet returned as frames (excluding a consumed size prefix). */
  get bufferedBytes(): number {
    return this.#buffered;
  }

  /** Feed bytes; returns every frame now complete (size prefix stripped). Throws FrameTooLargeError. */
  push(chunk: Buffer): Buffer[] {
    if (chunk.length > 0) {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
    }
    const frames: Buffer[] = [];
    for (;;) {
      if (this.#pending < 0) {
        if (this.#buffered < SIZE_PREFIX) break;
        const size = this.#take(SIZE_PREFIX).readInt32BE(0);
        if (size < 0 || size > this.#maxFrameBytes) {
          this.#chunks = [];
          this.#buffered = 0;
          throw new FrameTooLargeError(size, this.#maxFrameBytes);
        }
        this.#pending = size;
      }
      if (this.#buffered < this.#pending) break;
      frames.push(this.#take(this.#pending));
      this.#pending = -1;
    }
    return frames;
  }

  /** Remove exactly n buffered bytes from the front. */
  #take(n: number): Buffer {
    this.#buffered -= n;
    const first = this.#chunks[0];
    if (first === undefined) return Buffer.alloc(0);
    if (first.length >= n) {
      const out = first.subarray(0, n);
      if (first.length === n) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(n);
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const c = this.#chunks[0] as Buffer;
      const k = Math.min(c.length, n - filled);
      c.copy(out, filled, 0, k);
      filled += k;
      if (k === c.length) this.#chunks.shift();
      else this.#chunks[0] = c.subarray(k);
    }
    return out;
  }
}
