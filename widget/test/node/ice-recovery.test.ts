import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DISCONNECTED_GRACE_MS,
  ICE_RESTART_TIMEOUT_MS,
  iceRestartDelayMs,
  MAX_ICE_RESTARTS,
  POLITE_RESTART_DELAY_MS,
} from '../../src/call/ice-recovery.js';

describe('iceRestartDelayMs', () => {
  test('the constants are what the policy documents', () => {
    assert.deepEqual([DISCONNECTED_GRACE_MS, POLITE_RESTART_DELAY_MS, ICE_RESTART_TIMEOUT_MS, MAX_ICE_RESTARTS], [2_000, 3_000, 8_000, 3]);
  });

  test('first restart: a failed path at once, a disconnected one after the grace; polite waits longer', () => {
    assert.equal(iceRestartDelayMs(0, { cause: 'failed', polite: false }), 0);
    assert.equal(iceRestartDelayMs(0, { cause: 'disconnected', polite: false }), DISCONNECTED_GRACE_MS);
    assert.equal(iceRestartDelayMs(0, { cause: 'failed', polite: true }), POLITE_RESTART_DELAY_MS);
    assert.equal(iceRestartDelayMs(0, { cause: 'disconnected', polite: true }), DISCONNECTED_GRACE_MS + POLITE_RESTART_DELAY_MS);
  });

  test('the polite side always starts after the impolite one', () => {
    for (const cause of ['failed', 'disconnected'] as const) {
      assert.ok(iceRestartDelayMs(0, { cause, polite: true })! > iceRestartDelayMs(0, { cause, polite: false })!);
    }
  });

  test('later restarts: the restart timeout, whatever the cause and role', () => {
    for (let attempt = 1; attempt < MAX_ICE_RESTARTS; attempt++) {
      for (const cause of ['failed', 'disconnected'] as const) {
        for (const polite of [false, true]) assert.equal(iceRestartDelayMs(attempt, { cause, polite }), ICE_RESTART_TIMEOUT_MS);
      }
    }
  });

  test(`none left from attempt ${MAX_ICE_RESTARTS} on`, () => {
    for (const attempt of [MAX_ICE_RESTARTS, MAX_ICE_RESTARTS + 1, 100]) {
      assert.equal(iceRestartDelayMs(attempt, { cause: 'failed', polite: false }), null);
      assert.equal(iceRestartDelayMs(attempt, { cause: 'disconnected', polite: true }), null);
    }
  });

  test(`exactly ${MAX_ICE_RESTARTS} restarts per loss`, () => {
    let n = 0;
    while (iceRestartDelayMs(n, { cause: 'disconnected', polite: false }) !== null) n++;
    assert.equal(n, MAX_ICE_RESTARTS);
  });
});
