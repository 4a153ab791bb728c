import { StreamkeeperError } from '../util/errors.js';

const LEGAL = /^[a-zA-Z0-9._-]+$/;
export const MAX_TOPIC_NAME_LENGTH = 249;
export const OFFSETS_TOPIC = '__consumer_offsets';
export const TRANSACTION_STATE_TOPIC = '__transaction_state';
export const INTERNAL_TOPICS: ReadonlySet<string> = new Set([OFFSETS_TOPIC, TRANSACTION_STATE_TOPIC]);

/** Kafka's topic name rules (org.apache.kafka.common.internals.Topic.validate). */
export function validateTopicName(name: string): void {
  const fail = (why: string): never => {
    throw new StreamkeeperError('INVALID_TOPIC_EXCEPTION', `Topic name "${name}" is illegal, ${why}`);
  };
  if (name.length === 0) fail('it is empty');
  if (name === '.' || name === '..') fail('it cannot be "." or ".."');
  if (name.length > MAX_TOPIC_NAME_LENGTH) fail(`it can't be longer than ${MAX_TOPIC_NAME_LENGTH} characters`);
  if (!LEGAL.test(name)) fail("it contains a character other than ASCII alphanumerics, '.', '_' and '-'");
}

export function isValidTopicName(name: string): boolean {
  try {
    validateTopicName(name);
    return true;
  } catch {
    return false;
  }
}
