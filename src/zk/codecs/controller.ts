import { encodeJson, jsonFields, ZkDataFormatError } from './json.js';

// /controller (ephemeral): {"version":1,"brokerid":2,"timestamp":"1700000000000"}; 3.4+ writes version 2 with
// "kraftControllerEpoch". /controller_epoch (persistent): plain decimal text such as `7`.

export interface ControllerRegistration {
  readonly brokerId: number;
  /** Epoch ms; null when the writer left it out. */
  readonly timestamp: number | null;
}

export function encodeController(brokerId: number, timestamp: number): Buffer {
  return encodeJson({ version: 1, brokerid: brokerId, timestamp: String(timestamp) });
}

/** Accepts v1, v2 and the pre-JSON form (a bare broker id). Readers use only the broker id, as Kafka does. */
export function decodeController(data: Buffer | null): ControllerRegistration {
  const text = data?.toString('utf8').trim() ?? '';
  if (/^-?\d+$/.test(text)) return { brokerId: Number(text), timestamp: null };
  const f = jsonFields(data, '/controller');
  return { brokerId: f.int('brokerid'), timestamp: f.has('timestamp') ? f.intString('timestamp') : null };
}

export function encodeControllerEpoch(epoch: number): Buffer {
  return Buffer.from(String(epoch), 'utf8');
}

export function decodeControllerEpoch(data: Buffer | null): number {
  const text = data?.toString('utf8').trim() ?? '';
  if (!/^\d+$/.test(text)) {
    throw new ZkDataFormatError('/controller_epoch', `expected a decimal number, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

