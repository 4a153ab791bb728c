import assert from 'node:assert/strict';
import { test } from 'node:test';

import { clientHostOf } from '../../../src/server/handlers/client-host.js';

test('clientHostOf writes hosts as Java prints an InetAddress', () => {
  assert.equal(clientHostOf('127.0.0.1:51234'), '/127.0.0.1');
  assert.equal(clientHostOf('::ffff:10.1.2.3:9000'), '/10.1.2.3');
  assert.equal(clientHostOf('[::1]:9000'), '/::1');
  assert.equal(clientHostOf('::1:9000'), '/::1');
});
