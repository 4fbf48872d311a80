/**
 * protocol.ts is the one source of the contract's constants for both sides: it stays free of
 * imports (the widget bundles it), defines each rule once (schemas.ts applies them, nothing
 * copies them), and PROTOCOL.md states the same values.
 */
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { describe, it } from 'node:test';
import * as protocol from '../src/protocol.js';
import { joinRequestSchema, relayRequestSchema } from '../src/schemas.js';

const srcDir = new URL('../src/', import.meta.url);
const read = (relative: string, base = srcDir) => readFile(new URL(relative, base), 'utf8');

/** The runtime constants protocol.ts exports (its types leave no trace at run time). */
const CONSTANTS = Object.keys(protocol).sort();

describe('protocol.ts', () => {
  it('imports nothing and touches no Node API, so bundling it adds only its constants', async () => {
    const source = await read('protocol.ts');
    assert.doesNotMatch(source, /^\s*(import|export\s+(\*|\{[^}]*\})\s+from)\b/m);
    assert.doesNotMatch(source, /\brequire\(|\bprocess\.|\bBuffer\b|node:/);
  });

  it('exports exactly the documented constants, with their values', () => {
    assert.deepEqual(CONSTANTS, [
      'CALL_ID_PATTERN',
      'ERROR_CODES',
      'FORBIDDEN_NAME_CHARS',
      'HANDSHAKE_REFUSAL_CODES',
      'MAX_CANDIDATE_LENGTH',
      'MAX_CHAT_LENGTH',
      'MAX_MESSAGE_BYTES',
      'MAX_NAME_LENGTH',
      'MAX_PEER_ID_LENGTH',
      'MAX_SDP_LENGTH',
      'MAX_TICKET_LENGTH',
      'MAX_WATCH_MS',
      'MIN_WATCH_MS',
      'PEER_ID_PATTERN',
      'REJOIN_TOKEN_PATTERN',
      'REJOIN_TOKEN_TTL_SECONDS',
      'ROOM_CAPACITY',
      'ROOM_NAME_PATTERN',
      'STRIPPED_NAME_CHARS',
    ]);
    assert.equal(protocol.ROOM_NAME_PATTERN.source, '^[A-Za-z0-9_.-]{1,64}$');
    assert.equal(protocol.REJOIN_TOKEN_PATTERN.source, '^[A-Za-z0-9_-]{16,128}$');
    assert.equal(protocol.PEER_ID_PATTERN.source, '^[A-Za-z0-9_-]{22}$');
    assert.deepEqual([protocol.MIN_WATCH_MS, protocol.MAX_WATCH_MS, protocol.REJOIN_TOKEN_TTL_SECONDS], [1000, 30_000, 86_400]);
    assert.equal(protocol.CALL_ID_PATTERN.source, '^[A-Za-z0-9_-]{8,64}$');
    assert.deepEqual(
      [protocol.MAX_NAME_LENGTH, protocol.MAX_TICKET_LENGTH, protocol.MAX_SDP_LENGTH, protocol.MAX_CANDIDATE_LENGTH],
      [64, 4096, 32_768, 1024],
    );
    assert.deepEqual([protocol.MAX_PEER_ID_LENGTH, protocol.ROOM_CAPACITY, protocol.MAX_MESSAGE_BYTES], [64, 2, 65_536]);
    assert.equal(protocol.MAX_CHAT_LENGTH, 2000);
    assert.deepEqual(protocol.HANDSHAKE_REFUSAL_CODES, ['service-full', 'too-many-connections', 'rate-limited', 'overloaded', 'draining']);
  });

  it('lists each error code once, in kebab case', () => {
    assert.equal(new Set(protocol.ERROR_CODES).size, protocol.ERROR_CODES.length);
    for (const code of protocol.ERROR_CODES) assert.match(code, /^[a-z]+(-[a-z]+)*$/);
  });

  it('is the only file of the service that defines them', async () => {
    const files = (await readdir(srcDir, { recursive: true })).filter((f) => f.endsWith('.ts') && f !== 'protocol.ts');
    assert.ok(files.includes('schemas.ts') && files.includes('signaling.ts'));
    for (const file of files) {
      const source = await read(file);
      for (const name of CONSTANTS) {
        assert.doesNotMatch(source, new RegExp(`\\b(const|let|var)\\s+${name}\\b`), `${file} defines its own ${name}`);
      }
    }
  });
});

describe('schemas.ts applies the protocol patterns', () => {
  const samples = ['a', 'abcdefg', 'abcdefgh', 'A-Z_a.z09', 'x'.repeat(64), 'x'.repeat(65), '', 'a b c d e f', 'sàlle-123', 'r:1/../x', '12345678'];
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
});

describe('PROTOCOL.md', () => {
  it('states the same patterns and describes every error code', async () => {
    const doc = await read('../PROTOCOL.md');
    for (const pattern of [protocol.ROOM_NAME_PATTERN, protocol.REJOIN_TOKEN_PATTERN, protocol.PEER_ID_PATTERN, protocol.CALL_ID_PATTERN]) {
      assert.ok(doc.includes(`\`${pattern.source}\``), `PROTOCOL.md lacks ${pattern.source}`);
    }
    for (const code of protocol.ERROR_CODES) assert.match(doc, new RegExp(`^\\| \`${code}\` +\\|`, 'm'), `error table lacks ${code}`);
    for (const name of CONSTANTS.filter((n) => n !== 'ERROR_CODES')) assert.ok(doc.includes(`\`${name}\``), `PROTOCOL.md does not name ${name}`);
  });
});
