import { createConnection } from 'node:net';
import { decodeResponse, encodeRequest } from '../protocol/codec.js';
import type { MetadataResponse } from '../protocol/apis/index.js';

const METADATA_API_KEY = 3;
const METADATA_VERSION = 1;

/**
 * Asks the broker at host:port for cluster metadata (Metadata v1, no topics), the way a client bootstraps.
 * Resolves the broker ids it lists, or undefined when it cannot answer within `timeoutMs`.
 */
export function metadataBrokerIds(host: string, port: number, timeoutMs = 2_000): Promise<number[] | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    let received = Buffer.alloc(0);
    const done = (ids: number[] | undefined): void => {
      socket.destroy();
      resolve(ids);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.once('error', () => done(undefined));
    socket.once('close', () => done(undefined)); // no effect once resolved
    socket.once('connect', () => {
      const header = { apiKey: METADATA_API_KEY, apiVersion: METADATA_VERSION, correlationId: 1, clientId: 'streamkeeper-cli' };
      for (const chunk of encodeRequest(header, { topics: [] })) socket.write(chunk);
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < 4 + received.readInt32BE(0)) return;
      try {
        const frame = received.subarray(4, 4 + received.readInt32BE(0));
        const body = decodeResponse(frame, METADATA_API_KEY, METADATA_VERSION).body as MetadataResponse;
        done(body.brokers.map((b) => b.nodeId));
      } catch {
        done(undefined);
      }
    });
  });
}
