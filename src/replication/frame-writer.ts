import type { WebSocket } from 'ws';

/** Default high-water mark of bytes handed to a socket but not yet flushed to the kernel. */
export const DEFAULT_HIGH_WATER_MARK_BYTES = 4 * 1024 * 1024;

/**
 * Sends encoded frames on one WebSocket and counts the bytes not yet flushed (what `ws.bufferedAmount` would
 * show, tracked through send callbacks so no polling is needed). `saturated` turns true above the high-water
 * mark; `onDrain` is called when the count falls back to it or below.
 */
export class FrameWriter {
  readonly #ws: WebSocket;
  readonly #highWaterMark: number;
  readonly #onDrain: () => void;
  #unflushed = 0;

  constructor(ws: WebSocket, highWaterMark: number, onDrain: () => void) {
    this.#ws = ws;
    this.#highWaterMark = highWaterMark;
    this.#onDrain = onDrain;
  }

  get unflushedBytes(): number {
    return this.#unflushed;
  }

  get saturated(): boolean {
    return this.#unflushed > this.#highWaterMark;
  }

  /**
   * Sends one message: an encoded frame, or its parts (encodeFrameParts) as fragments of one message, written
   * back to back so nothing comes between them. Returns false (and sends nothing) when the socket is not open.
   */
  write(frame: Buffer | readonly Buffer[]): boolean {
    if (this.#ws.readyState !== this.#ws.OPEN) return false;
    const parts = Buffer.isBuffer(frame) ? [frame] : frame;
    let length = 0;
    for (const part of parts) length += part.length;
    this.#unflushed += length;
    const last = parts.length - 1;
    for (let i = 0; i < last; i++) this.#ws.send(parts[i] as Buffer, { binary: true, fin: false });
    this.#ws.send(parts[last] ?? Buffer.alloc(0), { binary: true, fin: true }, () => {
      const wasSaturated = this.saturated;
      this.#unflushed -= length;
      if (wasSaturated && !this.saturated) this.#onDrain();
    });
    return true;
  }
}
