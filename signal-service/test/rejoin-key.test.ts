/**
 * Where the key of the rejoin tokens comes from on one node (rejoin-key.ts), with real services
 * and clients: without REJOIN_SECRET, a service restarted on the same STATE_DIR takes its members'
 * tokens back (same peerId, same role); REJOIN_SECRET wins and leaves STATE_DIR alone; a state
 * directory that cannot be made falls back to a random key with a warning; a secret file that
 * must not be used stops the start with a ConfigError. (The file itself: state-dir.test.ts; the
 * secret shared in Redis: redis-rejoin-secret.test.ts.)
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import pino from 'pino';
import { ConfigError } from '../src/config.js';
import { startSignalService } from '../src/server.js';
import { TestContext, assertError, join, request, testConfig } from './helpers.js';

const root = mkdtempSync(joinPath(tmpdir(), 'video-call-rejoin-key-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
let count = 0;
const freshDir = () => joinPath(root, `case-${++count}`);

let ctx: TestContext;
beforeEach(() => {
  ctx = new TestContext();
});
afterEach(() => ctx.close());

/** Log lines (JSON) of a service, for the assertions on what it said at start-up. */
function capture(): { lines: string[]; logger: pino.Logger } {
  const lines: string[] = [];
  return { lines, logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }) };
}

describe('without REJOIN_SECRET', () => {
  it('a service restarted on the same STATE_DIR takes its members back; another STATE_DIR does not', async () => {
    const stateDir = freshDir();
    const log = capture();
    const first = await ctx.server({ logger: log.logger }, testConfig({ STATE_DIR: stateDir }));
    assert.ok(
      log.lines.some((line) => line.includes('rejoin tokens signed with the secret kept in the state directory')),
      log.lines.join(''),
    );
    assert.deepEqual(readdirSync(stateDir), ['rejoin-secret']);
    const [ann, bob] = await ctx.clients(first.url, 2);
    const annJoin = await join(ann!, 'restart');
    const bobJoin = await join(bob!, 'restart');
    await first.close();

    const again = await ctx.server({}, testConfig({ STATE_DIR: stateDir }));
    const [ann2, bob2] = await ctx.clients(again.url, 2);
    const annBack = await join(ann2!, 'restart', { rejoin: annJoin.rejoinToken });
    const bobBack = await join(bob2!, 'restart', { rejoin: bobJoin.rejoinToken });
    assert.equal(annBack.self.peerId, annJoin.self.peerId);
    assert.equal(bobBack.self.peerId, bobJoin.self.peerId);
    assert.deepEqual(
      bobBack.peers.map((peer) => peer.peerId),
      [annJoin.self.peerId],
    );

    const elsewhere = await ctx.server({}, testConfig({ STATE_DIR: freshDir() }));
    const stranger = await ctx.client(elsewhere.url);
    assertError(await request(stranger, 'room:join', { room: 'restart', rejoin: annJoin.rejoinToken }), 'rejoin-invalid');
  });

  it('falls back to a random key, with a warning, when STATE_DIR cannot be made', async () => {
    const file = joinPath(root, 'not-a-directory');
    writeFileSync(file, '');
    const log = capture();
    const service = await ctx.server({ logger: log.logger }, testConfig({ STATE_DIR: joinPath(file, 'state') }));
    const warning = log.lines.map((line) => JSON.parse(line) as { level: number; msg: string }).find((line) => line.level === 40);
    assert.match(
      warning?.msg ?? '',
      /cannot keep the rejoin secret in STATE_DIR: using a random one, so a restart ends the calls in progress/,
    );
    // It serves, and its own tokens work.
    const [a, b] = await ctx.clients(service.url, 2);
    const first = await join(a!, 'fallback');
    await join(b!, 'fallback', { rejoin: first.rejoinToken });
  });

  it('does not start, with a ConfigError naming the file, when the secret file may be read by others', async () => {
    const stateDir = freshDir();
    await ctx.server({}, testConfig({ STATE_DIR: stateDir }));
    chmodSync(joinPath(stateDir, 'rejoin-secret'), 0o640);
    await assert.rejects(
      startSignalService(testConfig({ STATE_DIR: stateDir }), { logger: pino({ level: 'silent' }) }),
      (error: unknown) =>
        error instanceof ConfigError && /rejoin-secret may be read or written by other users \(mode 0640\)/.test(error.message),
    );
  });
});

describe('with REJOIN_SECRET', () => {
  it('signs with it, on every service that has it, and writes nothing to STATE_DIR', async () => {
    const env = { REJOIN_SECRET: 'an-operator-chosen-secret-of-40-characters' };
    const stateDir = freshDir();
    const first = await ctx.server({}, testConfig({ ...env, STATE_DIR: stateDir }));
    const second = await ctx.server({}, testConfig({ ...env, STATE_DIR: freshDir() }));
    assert.equal(existsSync(stateDir), false);
    const a = await ctx.client(first.url);
    const b = await ctx.client(second.url);
    const joined = await join(a, 'explicit');
    const back = await join(b, 'explicit', { rejoin: joined.rejoinToken });
    assert.equal(back.self.peerId, joined.self.peerId);
  });
});
