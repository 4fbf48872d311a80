/**
 * video-call-protocol is the one source of the contract for both sides: it imports nothing from
 * outside itself and touches no Node or DOM API (the widget bundles it), it exports exactly the
 * documented constants, and PROTOCOL.md states the same values.
 */
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { describe, it } from 'node:test';
import * as protocol from 'video-call-protocol';

const srcDir = new URL('../src/', import.meta.url);
const read = (relative: string, base = srcDir) => readFile(new URL(relative, base), 'utf8');

/** The runtime constants the package exports (its types leave no trace at run time). */
const CONSTANTS = Object.keys(protocol)
  .filter((name) => /^[A-Z][A-Z0-9_]+$/.test(name))
  .sort();

describe('the protocol package', () => {
  it('imports only its own files and touches no Node or DOM API', async () => {
    for (const file of await readdir(srcDir)) {
      const source = await read(file);
      for (const [, from] of source.matchAll(/^\s*(?:import|export)\b[^;]*?from\s+'([^']+)'/gm)) {
        assert.match(from!, /^\.\/[a-z-]+\.js$/, `${file} imports ${from}`);
      }
      assert.doesNotMatch(source, /\brequire\(|\bprocess\.|\bBuffer\b|node:|\bdocument\b|\bwindow\b/, file);
    }
  });

  it('exports exactly the documented constants, with their values', () => {
    assert.deepEqual(CONSTANTS, [
      'CALL_ID_PATTERN',
      'DATA_CHANNEL_ID',
      'DATA_CHANNEL_LABEL',
      'DEFAULT_MEDIA',
      'DEFAULT_ROOM_CAPACITY',
      'ERROR_CODES',
      'FORBIDDEN_NAME_CHARS',
      'HANDSHAKE_REFUSAL_CODES',
      'MAX_CANDIDATE_LENGTH',
      'MAX_CHAT_LENGTH',
      'MAX_MESSAGE_BYTES',
      'MAX_NAME_LENGTH',
      'MAX_PEER_ID_LENGTH',
      'MAX_ROOM_CAPACITY',
      'MAX_SDP_LENGTH',
      'MAX_TICKET_LENGTH',
      'MAX_WATCH_MS',
      'MIN_ROOM_CAPACITY',
      'MIN_WATCH_MS',
      'PEER_ID_PATTERN',
      'REJOIN_TOKEN_PATTERN',
      'REJOIN_TOKEN_TTL_SECONDS',
      'ROOM_NAME_PATTERN',
      'SIGNAL_KINDS',
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
    assert.deepEqual([protocol.MAX_PEER_ID_LENGTH, protocol.MAX_MESSAGE_BYTES], [64, 65_536]);
    assert.deepEqual([protocol.MIN_ROOM_CAPACITY, protocol.DEFAULT_ROOM_CAPACITY, protocol.MAX_ROOM_CAPACITY], [2, 2, 6]);
    assert.equal(protocol.MAX_CHAT_LENGTH, 2000);
    assert.deepEqual(protocol.HANDSHAKE_REFUSAL_CODES, ['service-full', 'too-many-connections', 'rate-limited', 'overloaded', 'draining']);
  });

  it('lists each error code once, in kebab case', () => {
    assert.equal(new Set(protocol.ERROR_CODES).size, protocol.ERROR_CODES.length);
    for (const code of protocol.ERROR_CODES) assert.match(code, /^[a-z]+(-[a-z]+)*$/);
  });
});

describe('roles per pair', () => {
  it('makes the greater peerId polite, so both sides of a pair agree', () => {
    const [a, b] = ['AAAAAAAAAAAAAAAAAAAAAA', 'AAAAAAAAAAAAAAAAAAAAAb'];
    assert.equal(protocol.isPolite(b, a), true);
    assert.equal(protocol.isPolite(a, b), false);
    // Upper case sorts before lower case (UTF-16 code units), the same on every client.
    assert.equal(protocol.isPolite('a_________________________', 'Z_________________________'), true);
  });

  it('refuses a pair of one', () => {
    assert.throws(() => protocol.isPolite('x', 'x'), RangeError);
  });
});

describe('data-channel messages', () => {
  const { encodeDataChannelMessage: encode, decodeDataChannelMessage: decode } = protocol;

  it('round-trip media state and chat', () => {
    const media = { t: 'media', microphoneEnabled: false, cameraEnabled: true, screenSharing: true } as const;
    assert.equal(encode(media), '{"t":"media","microphone":false,"camera":true,"screen":true}');
    assert.deepEqual(decode(encode(media)), media);
    const chat = { t: 'chat', id: 'm-1', text: '<b>hi</b>', sentAt: 1_763_726_400_000 } as const;
    assert.deepEqual(decode(encode(chat)), chat);
  });

  it('drops anything malformed, unknown or oversized', () => {
    for (const data of [
      '',
      'not json',
      'null',
      '[]',
      '{"t":"media","microphone":"yes","camera":true,"screen":false}',
      '{"t":"chat","id":"","text":"hi","sentAt":1}',
      `{"t":"chat","id":"${'x'.repeat(65)}","text":"hi","sentAt":1}`,
      '{"t":"chat","id":"m","text":"   ","sentAt":1}',
      `{"t":"chat","id":"m","text":"${'x'.repeat(protocol.MAX_CHAT_LENGTH + 1)}","sentAt":1}`,
      '{"t":"chat","id":"m","text":"hi","sentAt":"now"}',
      '{"t":"dance"}',
      new ArrayBuffer(4),
      42,
    ]) {
      assert.equal(decode(data), null, typeof data === 'string' ? data.slice(0, 60) : typeof data);
    }
  });
});

describe('PROTOCOL.md', () => {
  it('states the same patterns and describes every error code and constant', async () => {
    const doc = await read('../PROTOCOL.md');
    for (const pattern of [protocol.ROOM_NAME_PATTERN, protocol.REJOIN_TOKEN_PATTERN, protocol.PEER_ID_PATTERN, protocol.CALL_ID_PATTERN]) {
      assert.ok(doc.includes(`\`${pattern.source}\``), `PROTOCOL.md lacks ${pattern.source}`);
    }
    for (const code of protocol.ERROR_CODES) assert.match(doc, new RegExp(`^\\| \`${code}\` +\\|`, 'm'), `error table lacks ${code}`);
    for (const name of CONSTANTS.filter((n) => n !== 'ERROR_CODES'))
      assert.ok(doc.includes(`\`${name}\``), `PROTOCOL.md does not name ${name}`);
    for (const kind of protocol.SIGNAL_KINDS) assert.ok(doc.includes(`"kind": "${kind}"`), `PROTOCOL.md shows no ${kind} signal`);
  });
});
