import { encodeJson, isObject, jsonFields, ZkDataFormatError } from './json.js';

// /brokers/ids/<id> (ephemeral). v5 example:
// {"features":{},"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":["PLAINTEXT://kafka-1:9092"],
//  "jmx_port":-1,"host":"kafka-1","timestamp":"1700000000000","port":9092,"version":5,"rack":"az1"}

export interface BrokerEndPoint {
  /** Listener name, e.g. PLAINTEXT, INTERNAL. */
  readonly listener: string;
  readonly securityProtocol: string;
  readonly host: string;
  readonly port: number;
}

export interface FeatureVersionRange {
  readonly minVersion: number;
  readonly maxVersion: number;
}

export interface BrokerRegistration {
  readonly endpoints: readonly BrokerEndPoint[];
  readonly rack: string | null;
  readonly jmxPort: number;
  /** Epoch ms (written as a string). */
  readonly timestamp: number;
  readonly features: Readonly<Record<string, FeatureVersionRange>>;
}

export interface DecodedBrokerRegistration extends BrokerRegistration {
  readonly version: number;
}

export type BrokerRegistrationVersion = 2 | 4 | 5;

/** `LISTENER://host:port`, with IPv6 hosts in brackets (Kafka's EndPoint.connectionString). */
export function endpointConnectionString(ep: BrokerEndPoint): string {
  const host = ep.host.includes(':') ? `[${ep.host}]` : ep.host;
  return `${ep.listener}://${host}:${ep.port}`;
}

const ENDPOINT = /^(.*):\/\/\[?([0-9a-zA-Z\-%._:]*)\]?:(-?[0-9]+)$/;

function parseEndpoint(s: string, protocols: ReadonlyMap<string, string> | null): BrokerEndPoint {
  const m = ENDPOINT.exec(s);
  if (m === null) throw new ZkDataFormatError('/brokers/ids/<id>', `bad endpoint ${JSON.stringify(s)}`);
  const [, listener = '', host = '', port = ''] = m;
  // Without a protocol map (v2/v3) the listener name is the security protocol.
  const securityProtocol = protocols === null ? listener : protocols.get(listener);
  if (securityProtocol === undefined) {
    throw new ZkDataFormatError('/brokers/ids/<id>', `no security protocol for listener ${listener}`);
  }
  return { listener, securityProtocol, host, port: Number(port) };
}

export function encodeBrokerRegistration(reg: BrokerRegistration, version: BrokerRegistrationVersion = 5): Buffer {
  const plaintext = reg.endpoints.find((ep) => ep.securityProtocol === 'PLAINTEXT');
  const json: Record<string, unknown> = {
    version,
    host: plaintext?.host ?? null,
    port: plaintext?.port ?? -1,
    endpoints: reg.endpoints.map(endpointConnectionString),
    jmx_port: reg.jmxPort,
    timestamp: String(reg.timestamp),
  };
  if (reg.rack !== null) json['rack'] = reg.rack;
  if (version >= 4) {
    json['listener_security_protocol_map'] = Object.fromEntries(reg.endpoints.map((ep) => [ep.listener, ep.securityProtocol]));
  }
  if (version >= 5) {
    json['features'] = Object.fromEntries(
      Object.entries(reg.features).map(([name, r]) => [name, { min_version: r.minVersion, max_version: r.maxVersion }]),
    );
  }
  return encodeJson(json);
}

/** Decodes versions 1 to 5 (v1 has only host/port, v2-v3 endpoints, v4 the listener map, v5 features). */
export function decodeBrokerRegistration(data: Buffer | null): DecodedBrokerRegistration {
  const what = '/brokers/ids/<id>';
  const f = jsonFields(data, what);
  const version = f.version([1, 2, 3, 4, 5]);
  let endpoints: BrokerEndPoint[];
  if (version === 1) {
    endpoints = [{ listener: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: f.string('host'), port: f.int('port') }];
  } else {
    let protocols: Map<string, string> | null = null;
    if (f.has('listener_security_protocol_map')) {
      protocols = new Map();
      for (const [listener, protocol] of Object.entries(f.object('listener_security_protocol_map'))) {
        if (typeof protocol !== 'string') throw f.error(`listener_security_protocol_map.${listener}`, 'a string', protocol);
        protocols.set(listener, protocol);
      }
    }
    endpoints = f.array('endpoints').map((ep) => {
      if (typeof ep !== 'string') throw f.error('endpoints', 'an array of strings', ep);
      return parseEndpoint(ep, protocols);
    });
  }
  const features: Record<string, FeatureVersionRange> = {};
  if (f.has('features')) {
    for (const [name, range] of Object.entries(f.object('features'))) {
      if (!isObject(range)) throw f.error(`features.${name}`, 'an object', range);
      const min = range['min_version'];
      const max = range['max_version'];
      if (typeof min !== 'number' || typeof max !== 'number') throw f.error(`features.${name}`, 'a version range', range);
      features[name] = { minVersion: min, maxVersion: max };
    }
  }
  const rack = f.raw('rack');
  if (rack !== undefined && rack !== null && typeof rack !== 'string') throw f.error('rack', 'a string', rack);
  return {
    version,
    endpoints,
    rack: typeof rack === 'string' ? rack : null,
    jmxPort: f.has('jmx_port') ? f.int('jmx_port') : -1,
    timestamp: f.has('timestamp') ? f.intString('timestamp') : 0,
    features,
  };
}
