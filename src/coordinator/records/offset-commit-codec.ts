import { Writer } from '../../protocol/writer.js';
import type { Reader } from '../../protocol/reader.js';
import type { OffsetAndMetadata } from './coordinator-record.js';
import { KEY_VERSION, OFFSET_COMMIT_VALUE_VERSION as V } from './record-versions.js';
import { decodeVersioned, decodeWhole, int64Field, stringField } from './value-reader.js';

export interface OffsetCommitKey {
  groupId: string;
  topic: string;
  partition: number;
}

/** OffsetCommitKey (Version: 1) => group topic partition */
export function encodeOffsetCommitKey(key: OffsetCommitKey): Buffer {
  return new Writer(64)
    .int16(KEY_VERSION.OFFSET_COMMIT)
    .nullableString(key.groupId)
    .nullableString(key.topic)
    .int32(key.partition)
    .toBuffer();
}

/** The struct of an OffsetCommitKey v0 or v1 (same layout); `buf` includes the version. */
export function decodeOffsetCommitKey(buf: Buffer): OffsetCommitKey {
  return decodeWhole('offset commit key', buf, (r) => ({
    groupId: r.string(),
    topic: r.string(),
    partition: r.int32(),
  }));
}

/**
 * OffsetCommitValue (Version: 3) => offset leader_epoch metadata commit_timestamp, or, when the commit carried an
 * explicit retention time, OffsetCommitValue (Version: 1) => offset metadata commit_timestamp expire_timestamp
 * (v1 has no leader epoch, so it is dropped, as Kafka does).
 */
export function encodeOffsetCommitValue(value: OffsetAndMetadata): Buffer {
  const w = new Writer(64);
  if (value.expireTimestamp !== null) {
    w.int16(V.WITH_EXPIRE_TIMESTAMP).int64(value.offset).nullableString(value.metadata);
    w.int64(value.commitTimestamp).int64(value.expireTimestamp);
  } else {
    w.int16(V.WITH_LEADER_EPOCH).int64(value.offset).int32(value.leaderEpoch).nullableString(value.metadata);
    w.int64(value.commitTimestamp);
  }
  return w.toBuffer();
}

/** OffsetCommitValue v0 to v4; `buf` includes the version. */
export function decodeOffsetCommitValue(buf: Buffer): OffsetAndMetadata {
  return decodeVersioned('offset commit value', buf, V.FLEXIBLE, readOffsetCommitValue);
}

function readOffsetCommitValue(r: Reader, version: number): OffsetAndMetadata {
  const flexible = version >= V.FLEXIBLE;
  const offset = int64Field(r, 'offset');
  const leaderEpoch = version >= V.WITH_LEADER_EPOCH ? r.int32() : -1;
  const metadata = stringField(r, flexible);
  const commitTimestamp = int64Field(r, 'commit_timestamp');
  const expireTimestamp = version === V.WITH_EXPIRE_TIMESTAMP ? int64Field(r, 'expire_timestamp') : null;
  if (flexible) r.taggedFields();
  return { offset, leaderEpoch, metadata, commitTimestamp, expireTimestamp };
}
