import { ConfigError } from './config-error.js';

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];

/** One endpoint of `listeners` / `advertised.listeners`. An empty host means all interfaces. */
export interface Listener {
  name: string;
  host: string;
  port: number;
  securityProtocol: SecurityProtocol;
}

function isSecurityProtocol(s: string): s is SecurityProtocol {
  return (SECURITY_PROTOCOLS as readonly string[]).includes(s);
}

/** Parses `listener.security.protocol.map` (NAME:PROTOCOL,...); listener names are upper-cased as Kafka does. */
export function parseSecurityProtocolMap(key: string, text: string): Map<string, SecurityProtocol> {
  const map = new Map<string, SecurityProtocol>();
  for (const item of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const [name, protocol, extra] = item.split(':').map((s) => s.trim());
    const upper = (protocol ?? '').toUpperCase();
    if (name === undefined || name === '' || extra !== undefined || !isSecurityProtocol(upper)) {
      throw new ConfigError(key, `Invalid value ${text} for configuration ${key}: '${item}' is not NAME:PROTOCOL with PROTOCOL one of ${SECURITY_PROTOCOLS.join(', ')}`);
    }
    map.set(name.toUpperCase(), upper);
  }
  return map;
}

const ENDPOINT = /^([^:/\s]+):\/\/(\[([0-9a-fA-F:.%]*)\]|([0-9a-zA-Z\-%._]*)):(\d+)$/;

/**
 * Parses a listener list such as `PLAINTEXT://:9092,INTERNAL://broker-1:9093` (IPv6 hosts in brackets).
 * Every listener name must appear in the security protocol map and be unique; with `uniquePorts`, ports must
 * differ too (port 0, "any free port", may repeat).
 */
export function parseListeners(
  key: string,
  text: string,
  protocols: ReadonlyMap<string, SecurityProtocol>,
  uniquePorts: boolean,
): Listener[] {
  const invalid = (problem: string): ConfigError =>
    new ConfigError(key, `Invalid value ${text} for configuration ${key}: ${problem}`);
  const listeners: Listener[] = [];
  for (const item of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const m = ENDPOINT.exec(item);
    if (m === null) throw invalid(`'${item}' is not NAME://host:port`);
    const name = (m[1] ?? '').toUpperCase();
    const host = m[3] ?? m[4] ?? '';
    const port = Number(m[5]);
    if (port > 65535) throw invalid(`port ${port} of '${item}' is out of range`);
    const securityProtocol = protocols.get(name);
    if (securityProtocol === undefined) {
      throw invalid(`listener name ${name} is not defined in listener.security.protocol.map`);
    }
    if (listeners.some((l) => l.name === name)) throw invalid(`listener name ${name} is used more than once`);
    if (uniquePorts && port !== 0 && listeners.some((l) => l.port === port)) {
      throw invalid(`port ${port} is used by more than one listener`);
    }
    listeners.push({ name, host, port, securityProtocol });
  }
  if (listeners.length === 0) throw invalid('at least one listener is required');
  return listeners;
}

/** host:port for a listener, with IPv6 hosts in brackets. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
