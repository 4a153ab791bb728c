import { randomBytes } from 'node:crypto';

/**
 * Kafka's Uuid in its text form: the 16 bytes as URL-safe Base64 without padding (22 chars).
 * Used for topic ids (/brokers/topics/<t> "topic_id") and the cluster id.
 */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';
/** Kafka reserves 0x...01 for the KRaft metadata topic. */
export const METADATA_TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';

/** A random version-4 UUID in Kafka's Base64 form; like Kafka, never the reserved ids or a string starting with '-'. */
export function newUuid(): string {
  for (;;) {
    const bytes = randomBytes(16);
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40; // version 4
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // IETF variant
    const id = uuidFromBytes(bytes);
    if (id !== ZERO_UUID && id !== METADATA_TOPIC_ID && !id.startsWith('-')) return id;
  }
}

/** A new topic id. */
export const newTopicId = newUuid;

export function uuidFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new Error(`a UUID has 16 bytes, got ${bytes.length}`);
  return Buffer.from(bytes).toString('base64url');
}

export function uuidToBytes(id: string): Buffer {
  const bytes = /^[A-Za-z0-9_-]{22}$/.test(id) ? Buffer.from(id, 'base64url') : Buffer.alloc(0);
  if (bytes.length !== 16 || uuidFromBytes(bytes) !== id) throw new Error(`invalid Kafka UUID '${id}'`);
  return bytes;
}

/** `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` -> Kafka Base64 form. */
export function uuidFromHyphenated(uuid: string): string {
  if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(uuid)) {
    throw new Error(`invalid UUID '${uuid}'`);
  }
  return uuidFromBytes(Buffer.from(uuid.replace(/-/g, ''), 'hex'));
}

/** Kafka Base64 form -> `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`. */
export function uuidToHyphenated(id: string): string {
  const hex = uuidToBytes(id).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
