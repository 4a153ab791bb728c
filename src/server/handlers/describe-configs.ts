import { CONFIG_SOURCE, DESCRIBE_CONFIG_TYPE } from '../../config/config-source.js';
import type { ConfigSourceName, DescribeConfigTypeName } from '../../config/config-source.js';
import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import { code, NONE, toKafkaError } from './errors.js';

export const RESOURCE_TYPE = { TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 } as const;

interface DescribeConfigsRequest {
  resources: { resourceType: number; resourceName: string; configurationKeys: string[] | null }[];
  includeSynonyms?: boolean;
  includeDocumentation?: boolean;
}

interface Row {
  name: string;
  value: string | null;
  source: ConfigSourceName;
  isDefault: boolean;
  sensitive: boolean;
  readOnly: boolean;
  type: string;
  documentation: string;
  synonyms?: { name: string; value: string | null; source: ConfigSourceName }[];
}

function configType(type: string): number {
  const key = type.toUpperCase() as DescribeConfigTypeName;
  return DESCRIBE_CONFIG_TYPE[key] ?? 0;
}

/** DescribeConfigs v0-4 for topics (overrides from ZooKeeper over broker values) and for this broker. */
export function describeConfigsHandler(services: BrokerServices): RequestHandler<DescribeConfigsRequest> {
  const toWire = (r: Row, synonyms: boolean, docs: boolean) => ({
    name: r.name,
    value: r.value,
    readOnly: r.readOnly,
    isDefault: r.isDefault,
    configSource: CONFIG_SOURCE[r.source],
    isSensitive: r.sensitive,
    synonyms: synonyms ? (r.synonyms ?? []).map((s) => ({ name: s.name, value: s.value, source: CONFIG_SOURCE[s.source] })) : [],
    configType: configType(r.type),
    documentation: docs ? r.documentation : null,
  });
  return {
    apiKey: 32,
    minVersion: 0,
    maxVersion: 4,
    async handle(ctx: RequestContext, req: DescribeConfigsRequest) {
      const results = [];
      for (const res of req.resources) {
        const base = { resourceType: res.resourceType, resourceName: res.resourceName };
        try {
          let rows: Row[];
          if (res.resourceType === RESOURCE_TYPE.TOPIC) {
            const overrides = await services.admin.describeTopicConfig(res.resourceName);
            rows = services.topicConfigs.describe(overrides);
          } else if (res.resourceType === RESOURCE_TYPE.BROKER) {
            if (res.resourceName !== '' && res.resourceName !== String(services.brokerId)) {
              results.push({ ...base, errorCode: code('INVALID_REQUEST'), errorMessage: `Unexpected broker id, expected ${services.brokerId} or empty string, but received ${res.resourceName}`, configs: [] });
              continue;
            }
            rows = services.config.describe();
          } else {
            results.push({ ...base, errorCode: code('INVALID_REQUEST'), errorMessage: `Unsupported resource type ${res.resourceType}`, configs: [] });
            continue;
          }
          const keys = res.configurationKeys;
          const selected = keys === null || keys.length === 0 ? rows : rows.filter((r) => keys.includes(r.name));
          results.push({ ...base, errorCode: NONE, errorMessage: null, configs: selected.map((r) => toWire(r, req.includeSynonyms === true, req.includeDocumentation === true)) });
        } catch (err) {
          const e = toKafkaError(err, ctx.logger, base);
          results.push({ ...base, errorCode: e.errorCode, errorMessage: e.errorMessage, configs: [] });
        }
      }
      return { throttleTimeMs: 0, results };
    },
  };
}
