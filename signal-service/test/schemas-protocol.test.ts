/**
 * schemas.ts applies the protocol's patterns as they are (video-call-protocol), and defines none
 * of the protocol's constants itself.
 */
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { describe, it } from 'node:test';
import * as protocol from 'video-call-protocol';
import { joinRequestSchema, relayRequestSchema } from '../src/schemas.js';

const srcDir = new URL('../src/', import.meta.url);

describe('schemas.ts applies the protocol patterns', () => {
  const samples = [
    'a',
    'abcdefg',
    'abcdefgh',
    'A-Z_a.z09',
    'x'.repeat(64),
    'x'.repeat(65),
    '',
    'a b c d e f',
    'sàlle-123',
    'r:1/../x',
    '12345678',
  ];
  const relay = (call: string) => ({ to: 'peer-id', signal: { kind: 'ring', call } });

  for (const [label, pattern, accepts] of [
    ['room', protocol.ROOM_NAME_PATTERN, (v: string) => joinRequestSchema.safeParse({ room: v }).success],
    ['rejoin token', protocol.REJOIN_TOKEN_PATTERN, (v: string) => joinRequestSchema.safeParse({ room: 'r1', rejoin: v }).success],
    ['call', protocol.CALL_ID_PATTERN, (v: string) => relayRequestSchema.safeParse(relay(v)).success],
  ] as const) {
    it(`accepts a ${label} exactly when it matches the pattern`, () => {
      for (const sample of samples) assert.equal(accepts(sample), pattern.test(sample), JSON.stringify(sample));
    });
  }

  it('relays every signal kind of the protocol', () => {
    for (const kind of protocol.SIGNAL_KINDS) {
      const signal =
        kind === 'chat'
          ? { kind, id: 'm-1', text: 'hi', sentAt: 1 }
          : kind === 'description'
            ? { kind, call: 'call-0001', description: { type: 'offer', sdp: 'v=0' } }
            : kind === 'candidate'
              ? { kind, call: 'call-0001', candidate: null }
              : { kind, call: 'call-0001' };
      assert.ok(relayRequestSchema.safeParse({ to: 'peer-id', signal }).success, kind);
    }
  });
});

describe('the service', () => {
  it('defines none of the protocol constants itself', async () => {
    const constants = Object.keys(protocol).filter((name) => /^[A-Z][A-Z0-9_]+$/.test(name));
    const files = (await readdir(srcDir, { recursive: true })).filter((f) => f.endsWith('.ts'));
    assert.ok(files.includes('schemas.ts') && files.includes('signaling.ts'));
    for (const file of files) {
      const source = await readFile(new URL(file, srcDir), 'utf8');
      for (const name of constants) {
        assert.doesNotMatch(source, new RegExp(`\\b(const|let|var)\\s+${name}\\b`), `${file} defines its own ${name}`);
      }
    }
  });
});
