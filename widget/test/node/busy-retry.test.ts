import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUSY_RETRY_MAX_MS, busyRetryDelay } from '../../src/call/busy-retry.js';

describe('busyRetryDelay', () => {
  it('doubles from 500 ms up to the cap', () => {
    const delays = [0, 1, 2, 3, 4].map((attempt) => busyRetryDelay(attempt, 0, 60_000));
    assert.deepEqual(delays, [500, 1000, 2000, BUSY_RETRY_MAX_MS, BUSY_RETRY_MAX_MS]);
  });

  it('gives up when the wait would end past the timeout', () => {
    assert.equal(busyRetryDelay(0, 9_400, 10_000), 500);
    assert.equal(busyRetryDelay(0, 9_500, 10_000), undefined);
    assert.equal(busyRetryDelay(3, 8_500, 10_000), undefined);
  });

  it('fits the tries of a 10 s timeout in 500 + 1000 + 2000 + 2000 + 2000 ms of waiting', () => {
    let elapsed = 0;
    const waits: number[] = [];
    for (let attempt = 0; ; attempt++) {
      const delay = busyRetryDelay(attempt, elapsed, 10_000);
      if (delay === undefined) break;
      waits.push(delay);
      elapsed += delay + 100; // each refused try takes 100 ms
    }
    assert.deepEqual(waits, [500, 1000, 2000, 2000, 2000]);
  });
});
