/**
 * The socket.io protocol end to end, `ice:servers`: a real service on port 0 and real socket.io
 * clients. Only room members get ICE servers: the default STUN entry, a configured list, TURN
 * REST credentials for the member's id (with a ttl), and STUN with `degraded` when the provider fails.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { DEFAULT_STUN_URLS } from '../src/ice/static.js';
import type { IceProvider } from '../src/ice/index.js';
import { assertError, assertOk, join, request, testConfig } from './helpers.js';
import { servicePerTest } from './service-per-test.js';

const rig = servicePerTest();

describe('ice:servers', () => {
  it('refuses a socket in no room with not-in-room', async () => {
    const a = await rig.ctx.client(rig.service.url);
    assertError(await request(a, 'ice:servers'), 'not-in-room');
  });

  it('gives a member the default STUN entry, without ttl or degraded', async () => {
    const a = await rig.ctx.client(rig.service.url);
    await join(a, 'r1');
    assert.deepEqual(await request(a, 'ice:servers'), { ok: true, iceServers: [{ urls: DEFAULT_STUN_URLS }] });
  });

  it('refuses again after the member left', async () => {
    const a = await rig.ctx.client(rig.service.url);
    await join(a, 'r1');
    assertOk(await request(a, 'ice:servers'));
    assertOk(await request(a, 'room:leave'));
    assertError(await request(a, 'ice:servers'), 'not-in-room');
  });

  it('gives the ICE_SERVERS list as configured', async () => {
    const iceServers = [{ urls: ['turn:turn.example.org:3478'], username: 'u', credential: 'c' }];
    const custom = await rig.ctx.server({}, testConfig({ ICE_SERVERS: JSON.stringify(iceServers) }));
    const a = await rig.ctx.client(custom.url);
    await join(a, 'r1');
    assert.deepEqual(await request(a, 'ice:servers'), { ok: true, iceServers });
  });

  it('gives TURN REST credentials for the member id with a ttl', async () => {
    const turn = await rig.ctx.server(
      {},
      testConfig({
        TURN_URLS: 'turn:127.0.0.1:3478',
        TURN_SECRET: 'shared-secret',
        STUN_URLS: 'stun:127.0.0.1:3478',
        ICE_TTL_SECONDS: '600',
      }),
    );
    const a = await rig.ctx.client(turn.url);
    await join(a, 'r1');
    const before = Math.floor(Date.now() / 1000);
    const answer = await request(a, 'ice:servers');
    const after = Math.floor(Date.now() / 1000);
    assertOk(answer);
    assert.equal(answer.ttl, 600);
    assert.equal(answer.degraded, undefined);
    assert.deepEqual(answer.iceServers[0], { urls: ['stun:127.0.0.1:3478'] });
    const entry = answer.iceServers[1];
    assert.ok(entry?.username && entry.credential);
    assert.deepEqual(entry.urls, ['turn:127.0.0.1:3478']);
    const [expiry, user] = entry.username.split(':');
    assert.equal(user, a.id);
    assert.ok(Number(expiry) >= before + 600 && Number(expiry) <= after + 600, `expiry ${expiry}`);
    assert.equal(entry.credential, createHmac('sha1', 'shared-secret').update(entry.username).digest('base64'));
  });

  it('falls back to STUN with degraded: true when the ICE provider fails', async () => {
    const failing: IceProvider = {
      kind: 'failing',
      getIceServers: () => Promise.reject(new Error('upstream unreachable')),
    };
    const broken = await rig.ctx.server(
      { ice: failing },
      testConfig({ TURN_URLS: 'turn:127.0.0.1:3478', TURN_SECRET: 's', STUN_URLS: 'stun:stun.example.org:3478' }),
    );
    const a = await rig.ctx.client(broken.url);
    await join(a, 'r1');
    assert.deepEqual(await request(a, 'ice:servers'), {
      ok: true,
      iceServers: [{ urls: ['stun:stun.example.org:3478'] }],
      degraded: true,
    });
  });
});
