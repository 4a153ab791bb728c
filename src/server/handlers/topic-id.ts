import { uuidToHyphenated } from '../../zk/codecs/uuid.js';

const ZERO = '00000000-0000-0000-0000-000000000000';

/** A topic id as the wire codec writes it (hyphenated hex) from ZooKeeper's URL-safe Base64 form; '' is the zero UUID. */
export function wireTopicId(base64: string | undefined): string {
  if (base64 === undefined || base64 === '') return ZERO;
  try {
    return uuidToHyphenated(base64);
  } catch {
    return ZERO;
  }
}
