import { INTERNAL_TOPICS } from '../../cluster/topic-names.js';
import { COMPRESSION, scanBatches } from '../../protocol/record-batch.js';
import type { BrokerServices } from '../broker-services.js';
import { CloseConnectionError, NO_RESPONSE } from '../handler.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import { code, NONE, toKafkaError } from './errors.js';

interface ProduceRequest {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topicData: { name: string; partitionData: { index: number; records: Buffer | null }[] }[];
}

interface PartitionResponse {
  index: number;
  errorCode: number;
  baseOffset: bigint | number;
  logAppendTimeMs: bigint | number;
  logStartOffset: bigint | number;
  recordErrors: { batchIndex: number; batchIndexErrorMessage: string | null }[];
  errorMessage: string | null;
}

function failed(index: number, errorCode: number, errorMessage: string | null): PartitionResponse {
  return { index, errorCode, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1, recordErrors: [], errorMessage };
}

/**
 * Produce v3+: validates each partition's single magic-2 batch (CRC-32C, counts, sizes) without decoding records,
 * appends it through the partition's leader, and answers when `acks` is satisfied. acks=0 gets no response;
 * a failure then closes the connection, as Kafka does.
 */
export function produceHandler(services: BrokerServices): RequestHandler<ProduceRequest> {
  const rm = services.replicaManager;
  async function producePartition(ctx: RequestContext, req: ProduceRequest, topic: string, index: number, records: Buffer | null) {
    try {
      // Kafka's internalTopicsAllowed = false for clients: only the coordinators write their topics.
      if (INTERNAL_TOPICS.has(topic)) return failed(index, code('INVALID_TOPIC_EXCEPTION'), `Cannot append to internal topic ${topic}`);
      if (records === null || records.length === 0) return failed(index, code('INVALID_RECORD'), 'Produce request has no records');
      const batches = scanBatches(records);
      if (batches.length !== 1) {
        return failed(index, code('INVALID_RECORD'), `Produce requests with version 3 and above must contain exactly one record batch, got ${batches.length}`);
      }
      const batch = batches[0]!;
      if (batch.isControl) return failed(index, code('INVALID_RECORD'), 'Clients may not write control batches');
      if (batch.recordCount === 0 || batch.recordCount !== batch.lastOffsetDelta + 1) {
        return failed(index, code('INVALID_RECORD'), `record count ${batch.recordCount} does not match last offset delta ${batch.lastOffsetDelta}`);
      }
      // max.message.bytes is the log's to check (storage's append), with the topic's config.
      if (batch.compression === COMPRESSION.zstd && ctx.header.apiVersion < 7) {
        return failed(index, code('UNSUPPORTED_COMPRESSION_TYPE'), 'zstd needs Produce v7 or later');
      }
      const r = await rm.appendRecords(topic, index, records, req.acks, req.timeoutMs);
      return { index, errorCode: NONE, baseOffset: r.baseOffset, logAppendTimeMs: r.logAppendTime, logStartOffset: r.logStartOffset, recordErrors: [], errorMessage: null };
    } catch (err) {
      const e = toKafkaError(err, ctx.logger, { topic, partition: index });
      if (e.errorCode !== code('NOT_LEADER_OR_FOLLOWER') && e.errorCode !== code('UNKNOWN_TOPIC_OR_PARTITION')) {
        ctx.logger.warn('produce to a partition failed', { topic, partition: index, errorCode: e.errorCode, reason: e.errorMessage });
      }
      return failed(index, e.errorCode, e.errorMessage);
    }
  }

  return {
    apiKey: 0,
    minVersion: 3,
    maxVersion: 9,
    async handle(ctx: RequestContext, req: ProduceRequest) {
      const acksValid = req.acks === -1 || req.acks === 0 || req.acks === 1;
      const responses = await Promise.all(
        req.topicData.map(async (t) => ({
          name: t.name,
          partitionResponses: await Promise.all(
            t.partitionData.map((p) =>
              acksValid ? producePartition(ctx, req, t.name, p.index, p.records) : failed(p.index, code('INVALID_REQUIRED_ACKS'), `acks ${req.acks} is not -1, 0 or 1`),
            ),
          ),
        })),
      );
      if (req.acks === 0) {
        const errors = responses.flatMap((t) => t.partitionResponses.filter((p) => p.errorCode !== NONE).map((p) => `${t.name}-${p.index}: ${p.errorMessage}`));
        if (errors.length > 0) throw new CloseConnectionError(`acks=0 produce failed: ${errors.join('; ')}`);
        return NO_RESPONSE;
      }
      return { responses, throttleTimeMs: 0 };
    },
  };
}
