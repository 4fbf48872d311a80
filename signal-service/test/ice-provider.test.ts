/**
 * `IceProvider.kind` is what its doc comment says it is: the provider's name in the logs (the
 * failure log of iceServersFor), and nowhere in `/healthz`.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import pino from 'pino';
import { iceServersFor, type IceProvider } from '../src/ice/index.js';
import { TestContext, health } from './helpers.js';

describe('IceProvider.kind', () => {
  it('names the provider in the log when it fails', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const failing: IceProvider = { kind: 'flaky-turn', getIceServers: () => Promise.reject(new Error('down')) };
    const answer = await iceServersFor(failing, 'member-1', pino(sink), ['stun:stun.example.org:3478']);
    assert.equal(answer.degraded, true);
    const logged = lines.map((line) => JSON.parse(line) as { provider?: string });
    assert.deepEqual(
      logged.map((entry) => entry.provider),
      ['flaky-turn'],
    );
  });

  it('is not shown by /healthz, and its doc comment does not claim it is', async () => {
    const ctx = new TestContext();
    try {
      const service = await ctx.server();
      assert.deepEqual(Object.keys(await health(service)).sort(), ['rooms', 'status']);
    } finally {
      await ctx.close();
    }
    const source = await readFile(new URL('../src/ice/provider.ts', import.meta.url), 'utf8');
    const kindDoc = /\/\*\*([^]*?)\*\/\s*readonly kind\b/.exec(source)?.[1] ?? '';
    assert.match(kindDoc, /\blogs?\b/);
    assert.doesNotMatch(kindDoc, /healthz/);
  });
});
