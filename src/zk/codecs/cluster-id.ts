import { encodeJson, jsonFields } from './json.js';

// /cluster/id: {"version":"1","id":"Kx3BdqPtSt6a8VjVnW2hHg"} (the version is a string).

export function encodeClusterId(id: string): Buffer {
  return encodeJson({ version: '1', id });
}

export function decodeClusterId(data: Buffer | null): string {
  return jsonFields(data, '/cluster/id').string('id');
}
