import { encodeJson, jsonFields } from './json.js';

// /config/<type>/<name>: {"version":1,"config":{"retention.ms":"86400000"}} (all values strings).
// /config/changes/config_change_<seq>: {"version":2,"entity_path":"topics/my-topic"}; v1 is
// {"version":1,"entity_type":"topics","entity_name":"t"}.

export function encodeEntityConfig(config: Readonly<Record<string, string>>): Buffer {
  return encodeJson({ version: 1, config });
}

/** No data decodes as an empty config, as in Kafka. */
export function decodeEntityConfig(data: Buffer | null): Record<string, string> {
  if (data === null) return {};
  const f = jsonFields(data, '/config/<type>/<name>');
  f.version([1]);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(f.object('config'))) {
    if (typeof value !== 'string') throw f.error(`config.${key}`, 'a string', value);
    out[key] = value;
  }
  return out;
}

export function encodeConfigChangeNotification(entityPath: string): Buffer {
  return encodeJson({ version: 2, entity_path: entityPath });
}

/** Returns the entity path (`topics/my-topic`) for v1 and v2 notifications. */
export function decodeConfigChangeNotification(data: Buffer | null): string {
  const f = jsonFields(data, '/config/changes/config_change_<seq>');
  const version = f.version([1, 2]);
  return version === 2 ? f.string('entity_path') : `${f.string('entity_type')}/${f.string('entity_name')}`;
}
