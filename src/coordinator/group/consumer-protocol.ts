/** The protocol type of groups formed by Kafka consumers. */
export const CONSUMER_PROTOCOL_TYPE = 'consumer';

/**
 * The topics of a ConsumerProtocol Subscription, read with the v0 layout that prefixes every version:
 * `version int16, topics [string], user_data nullable bytes`. Returns null when the bytes do not follow it.
 */
export function decodeSubscriptionTopics(buf: Buffer): string[] | null {
  let pos = 0;
  const need = (n: number): boolean => pos + n <= buf.length;
  if (!need(2) || buf.readInt16BE(0) < 0) return null;
  pos = 2;
  if (!need(4)) return null;
  const count = buf.readInt32BE(pos);
  pos += 4;
  if (count < 0) return null;
  const topics: string[] = [];
  for (let i = 0; i < count; i++) {
    if (!need(2)) return null;
    const len = buf.readInt16BE(pos);
    pos += 2;
    if (len < 0 || !need(len)) return null;
    topics.push(buf.toString('utf8', pos, pos + len));
    pos += len;
  }
  if (!need(4)) return null;
  const userDataLen = buf.readInt32BE(pos);
  pos += 4;
  if (userDataLen < -1 || (userDataLen > 0 && !need(userDataLen))) return null;
  return topics;
}
