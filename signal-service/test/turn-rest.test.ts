/** TURN REST credentials (coturn `use-auth-secret`), checked against values computed with openssl. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TurnRestIceProvider, turnRestCredential } from '../src/ice/turn-rest.js';

// Expected values computed once, outside the code under test:
//   printf '%s' '1700000000:alice' | openssl dgst -sha1 -hmac 'north-wind-secret' -binary | base64
//   printf '%s' '1700003600:member-1' | openssl dgst -sha1 -hmac 'north-wind-secret' -binary | base64
const SECRET = 'north-wind-secret';
const ALICE_CREDENTIAL = 'r/l6ttQtMIfbS2lfULS0mDRRNUg=';
const MEMBER_1_CREDENTIAL = 'xsbt4e6Z1Wgb+OH7mwdfWEZ70+A=';

describe('turnRestCredential', () => {
  it('builds "<expiry>:<user>" and base64(HMAC-SHA1(secret, username))', () => {
    assert.deepEqual(turnRestCredential(SECRET, 'alice', 1700000000), {
      username: '1700000000:alice',
      credential: ALICE_CREDENTIAL,
    });
  });

  it('changes with the secret and with the expiry', () => {
    const base = turnRestCredential(SECRET, 'alice', 1700000000);
    assert.notEqual(turnRestCredential('another-secret', 'alice', 1700000000).credential, base.credential);
    assert.notEqual(turnRestCredential(SECRET, 'alice', 1700000001).credential, base.credential);
  });
});

describe('TurnRestIceProvider', () => {
  it('answers STUN plus TURN with credentials expiring ttl seconds from now', async () => {
    const provider = new TurnRestIceProvider({
      turnUrls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349'],
      secret: SECRET,
      ttlSeconds: 3600,
      stunUrls: ['stun:stun.example.org:3478'],
      now: () => 1700000000_000 + 999, // the milliseconds are dropped
    });
    assert.equal(provider.kind, 'turn-rest');
    assert.deepEqual(await provider.getIceServers('member-1'), {
      iceServers: [
        { urls: ['stun:stun.example.org:3478'] },
        {
          urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349'],
          username: '1700003600:member-1',
          credential: MEMBER_1_CREDENTIAL,
        },
      ],
      ttl: 3600,
    });
  });

  it('leaves out the STUN entry when no STUN URL is configured', async () => {
    const provider = new TurnRestIceProvider({
      turnUrls: ['turn:turn.example.org:3478'],
      secret: SECRET,
      ttlSeconds: 3600,
      stunUrls: [],
      now: () => 1700000000_000,
    });
    const grant = await provider.getIceServers('member-1');
    assert.equal(grant.iceServers.length, 1);
    assert.equal(grant.iceServers[0]?.credential, MEMBER_1_CREDENTIAL);
  });
});
