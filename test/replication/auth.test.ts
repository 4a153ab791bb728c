import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { clientMac, macMatches, newNonce, parseHello, secretKey, serverMac } from '../../src/replication/auth.js';
import { PeerProtocolError } from '../../src/replication/peer-errors.js';

describe('auth', () => {
  test('an empty secret is refused with a clear error', () => {
    assert.throws(() => secretKey(''), /streamkeeper\.cluster\.secret is empty/);
    assert.throws(() => secretKey('   '), /streamkeeper\.cluster\.secret is empty/);
    assert.deepEqual(secretKey('s3cret'), Buffer.from('s3cret'));
  });

  test('every MAC input changes the MAC; client and server MACs differ', () => {
    const key = secretKey('k');
    const [sN, cN] = [newNonce(), newNonce()];
    const base = clientMac(key, sN, cN, 1, 'c');
    assert.equal(base.length, 32);
    assert.ok(macMatches(base, clientMac(key, sN, cN, 1, 'c')));
    for (const other of [
      clientMac(secretKey('k2'), sN, cN, 1, 'c'),
      clientMac(key, cN, sN, 1, 'c'),
      clientMac(key, sN, cN, 2, 'c'),
      clientMac(key, sN, cN, 1, 'd'),
      serverMac(key, sN, cN, 1, 'c'),
    ]) {
      assert.ok(!macMatches(other, base));
    }
    assert.ok(!macMatches(base.subarray(0, 31), base), 'length mismatch is a mismatch, not an exception');
  });

  test('hello validation', () => {
    const ok = { brokerId: 3, clusterId: 'c', nonce: newNonce(), mac: Buffer.alloc(32) };
    assert.equal(parseHello(ok).brokerId, 3);
    assert.throws(() => parseHello({ ...ok, brokerId: -1 }), PeerProtocolError);
    assert.throws(() => parseHello({ ...ok, clusterId: '' }), PeerProtocolError);
    assert.throws(() => parseHello({ ...ok, nonce: Buffer.alloc(8) }), PeerProtocolError);
    assert.throws(() => parseHello({ ...ok, mac: 'x' }), PeerProtocolError);
    assert.throws(() => parseHello(null), PeerProtocolError);
  });
});
