import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { realClock, Timers } from '../../src/call/timers.js';
import { FakeClock } from './fake-clock.js';

type Name = 'a' | 'b';

/** Timers on a fake clock, recording which fired and when. */
function setup() {
  const clock = new FakeClock();
  const fired: [Name, number][] = [];
  const timers = new Timers<Name>((name) => fired.push([name, clock.now]), clock);
  return { clock, fired, timers };
}

describe('Timers on an injected clock', () => {
  test('a timer fires once, at its time, not before', () => {
    const { clock, fired, timers } = setup();
    timers.start('a', 1_000);
    clock.advance(999);
    assert.deepEqual(fired, []);
    assert.equal(timers.has('a'), true);
    clock.advance(1);
    assert.deepEqual(fired, [['a', 1_000]]);
    assert.equal(timers.has('a'), false);
    clock.advance(10_000);
    assert.deepEqual(fired, [['a', 1_000]]);
    assert.equal(clock.pending, 0);
  });

  test('a zero delay fires at the next advance', () => {
    const { clock, fired, timers } = setup();
    timers.start('a', 0);
    assert.deepEqual(fired, []);
    clock.advance(0);
    assert.deepEqual(fired, [['a', 0]]);
  });

  test('named timers are independent and fire in time order', () => {
    const { clock, fired, timers } = setup();
    timers.start('a', 300);
    timers.start('b', 100);
    clock.advance(1_000);
    assert.deepEqual(fired, [
      ['b', 100],
      ['a', 300],
    ]);
  });

  test('starting a pending timer again replaces it', () => {
    const { clock, fired, timers } = setup();
    timers.start('a', 1_000);
    clock.advance(500);
    timers.start('a', 1_000);
    assert.equal(clock.pending, 1);
    clock.advance(999);
    assert.deepEqual(fired, []);
    clock.advance(1);
    assert.deepEqual(fired, [['a', 1_500]]);
  });

  test('cancel stops one timer; cancelling an unknown one is harmless', () => {
    const { clock, fired, timers } = setup();
    timers.start('a', 100);
    timers.start('b', 100);
    timers.cancel('a');
    timers.cancel('a');
    assert.equal(timers.has('a'), false);
    clock.advance(100);
    assert.deepEqual(fired, [['b', 100]]);
  });

  test('cancelAll stops every timer', () => {
    const { clock, fired, timers } = setup();
    timers.start('a', 100);
    timers.start('b', 200);
    timers.cancelAll();
    assert.deepEqual([timers.has('a'), timers.has('b'), clock.pending], [false, false, 0]);
    clock.advance(1_000);
    assert.deepEqual(fired, []);
  });

  test('a timer may be started again from its own callback', () => {
    const clock = new FakeClock();
    const times: number[] = [];
    const timers: Timers<'tick'> = new Timers<'tick'>(() => {
      times.push(clock.now);
      if (times.length < 3) timers.start('tick', 10);
    }, clock);
    timers.start('tick', 10);
    clock.advance(100);
    assert.deepEqual(times, [10, 20, 30]);
    assert.equal(timers.has('tick'), false);
  });
});

describe('Timers on the real clock', () => {
  test('fires through setTimeout, and cancel clears it', async () => {
    const fired: string[] = [];
    const timers = new Timers<Name>((name) => fired.push(name));
    timers.start('a', 5);
    timers.start('b', 5);
    timers.cancel('b');
    await new Promise((resolve) => realClock.setTimeout(() => resolve(undefined), 30));
    assert.deepEqual(fired, ['a']);
  });
});
