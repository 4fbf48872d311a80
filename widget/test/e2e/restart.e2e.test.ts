/**
 * Calls survive a restart of the signal service out of the box (no REJOIN_SECRET: the rejoin key is
 * the one the service keeps in STATE_DIR, signal-service/src/state-dir.ts), as a new user runs it:
 *
 * 1. `npm start` from the repository (its build included), with STATE_DIR a fresh temporary folder;
 *    two pages in a call with video;
 * 2. the service stopped with SIGTERM (sent to `npm start`'s whole process group, as Ctrl+C or a
 *    process manager does) and started again on the same port;
 * 3. the service killed with SIGKILL (`kill -9`: no drain, no goodbye) and started again.
 *
 * After each restart both pages are back to `connected` with no `vc-call-ended`, nobody left as far
 * as they know, and video plays both ways; at the end a hang-up reaches the other side. Prints the
 * outage-to-connected times.
 *
 * The restarts run `node signal-service/dist/main.js`, exactly what `npm start` runs after its
 * build: a second `npm start` would only build the same files again (~40 s).
 * (resilience.e2e.test.ts restarts a service that has an explicit REJOIN_SECRET.)
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  expectRemoteVideoPlaying,
  freeTcpPort,
  history,
  launchBrowser,
  openConnectedPair,
  startService,
  waitForState,
  type ServiceProcess,
} from './harness.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
/** How long `npm start` may take to build and listen on a busy two-core machine. */
const NPM_START_TIMEOUT_MS = 180_000;

const stateDir = mkdtempSync(join(tmpdir(), 'video-call-restart-e2e-'));
/** The service's environment: no REJOIN_SECRET (empty counts as unset), a fresh STATE_DIR. */
const serviceEnv = (port: number) => ({ PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', REJOIN_SECRET: '', STATE_DIR: stateDir });

/** `npm start` in the repository, in a process group of its own, resolved once the service listens. */
async function npmStart(port: number): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn('npm', ['start'], {
    cwd: REPO,
    env: { ...process.env, ...serviceEnv(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start did not listen within ${NPM_START_TIMEOUT_MS} ms:\n${output.slice(-3000)}`)),
      NPM_START_TIMEOUT_MS,
    );
    const check = () => {
      if (output.includes(`"port":${port}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output.slice(-3000)}`));
    });
  });
  return { child, output: () => output };
}

/** Resolves once nothing listens on `port` any more. */
async function portFreed(port: number): Promise<void> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (!open) return;
  }
  throw new Error(`port ${port} still in use`);
}

/** Both pages back to `connected`, nobody left or ended as far as they know, video playing both ways. */
async function expectCallGoesOn(alice: Page, bob: Page): Promise<void> {
  await waitForState(alice, 'connected', 30_000);
  await waitForState(bob, 'connected', 30_000);
  for (const [page, other] of [
    [alice, 'Bob'],
    [bob, 'Alice'],
  ] as const) {
    const seen = await history(page);
    assert.deepEqual(
      seen.calls.filter((c) => c.startsWith('ended')),
      [],
      `no vc-call-ended: ${JSON.stringify(seen)}`,
    );
    assert.ok(!seen.peers.includes(`left:${other}`), `nobody left: ${JSON.stringify(seen.peers)}`);
    assert.deepEqual(seen.errors, []);
  }
  await expectRemoteVideoPlaying(alice);
  await expectRemoteVideoPlaying(bob);
}

/** Milliseconds from `since` until both pages are `connected` again. */
async function msUntilBothConnected(alice: Page, bob: Page, since: number): Promise<number> {
  await Promise.all([waitForState(alice, 'connected', 30_000), waitForState(bob, 'connected', 30_000)]);
  return Date.now() - since;
}

let browser: Browser;
let npm: { child: ChildProcess; output: () => string } | undefined;
let service: ServiceProcess | undefined;

before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await service?.stop();
  if (npm && npm.child.exitCode === null && npm.child.signalCode === null) {
    process.kill(-npm.child.pid!, 'SIGKILL');
  }
  rmSync(stateDir, { recursive: true, force: true });
});

describe('restarts of the signal service, out of the box (no REJOIN_SECRET)', () => {
  test('npm start, then SIGTERM and kill -9, each followed by a start on the same port: the call goes on', async () => {
    const port = await freeTcpPort();
    const url = `http://127.0.0.1:${port}`;
    const startedAt = Date.now();
    npm = await npmStart(port);
    console.log(`npm start (build included) listened after ${Date.now() - startedAt} ms`);
    assert.deepEqual(readdirSync(stateDir), ['rejoin-secret'], 'the secret is kept in STATE_DIR');
    assert.match(npm.output(), /rejoin tokens signed with the secret kept in the state directory/);

    const [alice, bob] = await openConnectedPair(browser, `${url}/?room=restart-default`);
    await expectRemoteVideoPlaying(alice);
    await expectRemoteVideoPlaying(bob);

    // 1. SIGTERM to `npm start`'s process group: the service drains and exits, and so does npm.
    const exited = once(npm.child, 'exit');
    const termAt = Date.now();
    process.kill(-npm.child.pid!, 'SIGTERM');
    await exited;
    await portFreed(port);
    await waitForState(alice, 'reconnecting', 10_000);
    service = await startService(serviceEnv(port));
    const termListening = Date.now() - termAt;
    const termConnected = await msUntilBothConnected(alice, bob, termAt);
    await expectCallGoesOn(alice, bob);
    console.log(
      `SIGTERM: listening again ${termListening} ms after the signal, both pages connected ${termConnected} ms after it (${termConnected - termListening} ms after listening)`,
    );

    // 2. kill -9: the connections die without a word.
    const reconnectsBefore = (await history(alice)).states.filter((s) => s === 'reconnecting').length;
    const killAt = Date.now();
    service.child.kill('SIGKILL');
    await once(service.child, 'exit');
    await portFreed(port);
    service = await startService(serviceEnv(port));
    const killListening = Date.now() - killAt;
    const killConnected = await msUntilBothConnected(alice, bob, killAt);
    assert.ok((await history(alice)).states.filter((s) => s === 'reconnecting').length > reconnectsBefore, 'the page noticed the outage');
    await expectCallGoesOn(alice, bob);
    console.log(
      `kill -9: listening again ${killListening} ms after the kill, both pages connected ${killConnected} ms after it (${killConnected - killListening} ms after listening)`,
    );

    // Signaling works through the restarted service: a hang-up reaches the other side.
    await bob.evaluate(() => document.querySelector('video-call')!.hangUp());
    await waitForState(alice, 'ended', 10_000);
    assert.equal((await history(alice)).calls.at(-1), 'ended:remote-hang-up');
    assert.deepEqual(readdirSync(stateDir), ['rejoin-secret'], 'still the one secret');
    await alice.context().close();
    await bob.context().close();
  });
});
