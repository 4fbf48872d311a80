/** Unit tests of KeyedQueue: one task at a time per key, in order; keys independent; failures contained. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyedQueue } from '../src/keyed-queue.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('KeyedQueue', () => {
  it('runs the tasks of one key one at a time, in the order queued', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([queue.run('k', task('a', 20)), queue.run('k', task('b', 0)), queue.run('k', task('c', 5))]);
    assert.deepEqual(results, ['a', 'b', 'c']);
    assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('runs tasks of different keys at the same time', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    await Promise.all([
      queue.run('x', async () => {
        log.push('start x');
        await sleep(20);
        log.push('end x');
      }),
      queue.run('y', async () => {
        log.push('start y');
        await sleep(0);
        log.push('end y');
      }),
    ]);
    assert.deepEqual(log, ['start x', 'start y', 'end y', 'end x']);
  });

  it('passes a failure to its caller only; the next task still runs', async () => {
    const queue = new KeyedQueue();
    const failing = queue.run('k', () => Promise.reject(new Error('boom')));
    const next = queue.run('k', () => Promise.resolve('ran'));
    await assert.rejects(failing, /boom/);
    assert.equal(await next, 'ran');
  });

  it('forgets a key once its tasks are done', async () => {
    const queue = new KeyedQueue();
    await Promise.all([queue.run('a', () => sleep(5)), queue.run('b', () => sleep(1))]);
    await sleep(0);
    assert.equal(queue.size, 0);
  });
});
