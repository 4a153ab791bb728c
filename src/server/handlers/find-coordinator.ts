import type { FindCoordinatorResponse } from '../../protocol/apis/find-coordinator/index.js';
import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import { code } from './errors.js';
import { endpointFor } from './metadata.js';

interface FindCoordinatorRequest {
  key?: string;
  keyType?: number;
  coordinatorKeys?: string[];
}

const KEY_TYPE = { GROUP: 0, TRANSACTION: 1 } as const;

/** One coordinator of the answer (v4 lists one per key; v0-3 spread the single one over the top level). */
type Answer = NonNullable<FindCoordinatorResponse['coordinators']>[number];

/**
 * FindCoordinator v0-4: the coordinator of a group is the leader of its `__consumer_offsets` partition (created on
 * first use). v4 batches keys. Transactions are not served here, so a transaction key gets an error.
 */
export function findCoordinatorHandler(services: BrokerServices): RequestHandler<FindCoordinatorRequest> {
  async function find(ctx: RequestContext, key: string, keyType: number): Promise<Answer> {
    const failed = (errorCode: number, errorMessage: string): Answer => ({ key, nodeId: -1, host: '', port: -1, errorCode, errorMessage });
    if (keyType !== KEY_TYPE.GROUP) return failed(code('INVALID_REQUEST'), `key type ${keyType} is not supported: this broker has no transaction coordinator`);
    const lookup = await services.offsetsTopic.coordinatorFor(services.groupCoordinator.partitionFor(key));
    if (!lookup.ok) return failed(code(lookup.error), lookup.message);
    const broker = services.metadataCache.broker(lookup.brokerId);
    const ep = broker === undefined ? undefined : endpointFor(broker, ctx.listenerName);
    if (ep === undefined) return failed(code('COORDINATOR_NOT_AVAILABLE'), `broker ${lookup.brokerId} has no endpoint`);
    return { key, nodeId: lookup.brokerId, host: ep.host, port: ep.port, errorCode: 0, errorMessage: null };
  }

  return {
    apiKey: 10,
    minVersion: 0,
    maxVersion: 4,
    async handle(ctx: RequestContext, req: FindCoordinatorRequest) {
      const keyType = req.keyType ?? KEY_TYPE.GROUP;
      if (ctx.header.apiVersion >= 4) {
        const coordinators = await Promise.all((req.coordinatorKeys ?? []).map((k) => find(ctx, k, keyType)));
        return { throttleTimeMs: 0, coordinators };
      }
      const { key: _key, ...answer } = await find(ctx, req.key ?? '', keyType);
      // v0 has no error message; the codec writes only the fields of the version.
      return { throttleTimeMs: 0, ...answer };
    },
  };
}
