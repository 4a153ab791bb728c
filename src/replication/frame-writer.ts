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

  /** Returns false (and sends nothing) when the socket is not open. */
  write(frame: Buffer): boolean {
    if (this.#ws.readyState !== this.#ws.OPEN) return false;
    const length = frame.length;
    this.#unflushed += length;
    this.#ws.send(frame, { binary: true }, () => {
      const wasSaturated = this.saturated;
      this.#unflushed -= length;
      if (wasSaturated && !this.saturated) this.#onDrain();
    });
    return true;
  }
}
