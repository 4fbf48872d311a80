/**
 * Load shedding's signal (load-monitor.ts): a loop kept busy enters overload once its timer is
 * late twice in a row, and leaves it after two seconds calm; both changes are logged.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import pino from 'pino';
import { startLoadMonitor } from '../src/load-monitor.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Blocks the event loop in 150 ms slices for `ms`. */
async function busy(ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const slice = Date.now() + 150;
    while (Date.now() < slice) {
      // busy
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('the load monitor', () => {
  it('enters overload when the loop lags over the threshold, and leaves it after 2 s calm', { timeout: 15_000 }, async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({ write: (chunk: Buffer, _e, done) => (lines.push((JSON.parse(chunk.toString()) as { msg: string }).msg), done()) }),
    );
    const monitor = startLoadMonitor(40, logger);
    try {
      await sleep(1200);
      assert.equal(monitor.overloaded, false);
      await busy(3500);
      await sleep(50);
      assert.equal(monitor.overloaded, true, `lag ${monitor.lagMs} ms`);
      assert.ok(monitor.lagMs > 40);
      await sleep(3500);
      assert.equal(monitor.overloaded, false, `lag ${monitor.lagMs} ms`);
      assert.deepEqual(lines, [
        'overloaded: shedding new connections and joins',
        'load back to normal: accepting new connections and joins',
      ]);
      monitor.force(true);
      assert.equal(monitor.overloaded, true);
      monitor.force(undefined);
      assert.equal(monitor.overloaded, false);
    } finally {
      monitor.stop();
    }
  });
});
