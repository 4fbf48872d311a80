/** The group call's pure media policies: the video cap per leg, and who is speaking. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { VIDEO_UPLOAD_BUDGET_BPS, videoSendingCap } from '../../src/call/bandwidth.js';
import {
  activeSpeaker, SPEAKING_OFF_MS, SPEAKING_ON_MS, SPEAKING_SAMPLE_MS, trackVoices, type VoiceTrack,
} from '../../src/call/speaking.js';

describe('video sending cap', () => {
  test('a one-to-one call is not capped', () => {
    assert.deepEqual(videoSendingCap(1), { maxBitrateBps: null, scaleResolutionDownBy: 1 });
    assert.deepEqual(videoSendingCap(0), { maxBitrateBps: null, scaleResolutionDownBy: 1 });
  });

  test('from three people on, the whole video upload stays within the budget (about 2 Mbit/s), and shrinks per leg', () => {
    let previous = Infinity;
    for (let legs = 2; legs <= 5; legs++) {
      const cap = videoSendingCap(legs);
      assert.ok(cap.maxBitrateBps !== null && cap.maxBitrateBps * legs <= VIDEO_UPLOAD_BUDGET_BPS, `${legs} legs: ${cap.maxBitrateBps}`);
      assert.ok(cap.maxBitrateBps < previous);
      previous = cap.maxBitrateBps;
    }
    assert.ok(VIDEO_UPLOAD_BUDGET_BPS <= 2_000_000);
    assert.deepEqual([2, 3, 4, 5].map((n) => videoSendingCap(n).scaleResolutionDownBy), [1, 1.5, 2, 2]);
  });
});

/** Feeds `levels(t)` every sample from `from` to `to` ms; returns the voices. */
function feed(voices: Record<string, VoiceTrack>, from: number, to: number, levels: (t: number) => Record<string, number>) {
  for (let t = from; t <= to; t += SPEAKING_SAMPLE_MS) voices = trackVoices(voices, levels(t), t);
  return voices;
}

describe('who is speaking', () => {
  test('voice must last before it counts; a short click does not', () => {
    let voices = feed({}, 0, SPEAKING_SAMPLE_MS, () => ({ bob: 0.3 }));
    assert.equal(voices.bob!.speaking, false, 'one sample of noise');
    voices = feed(voices, 2 * SPEAKING_SAMPLE_MS, 3 * SPEAKING_SAMPLE_MS, () => ({ bob: 0 }));
    assert.equal(voices.bob!.speaking, false);
    voices = feed(voices, 1000, 1000 + SPEAKING_ON_MS + SPEAKING_SAMPLE_MS, () => ({ bob: 0.3 }));
    assert.equal(voices.bob!.speaking, true);
  });

  test('a pause between words does not end speech; silence does', () => {
    let voices = feed({}, 0, 600, () => ({ bob: 0.3 }));
    voices = feed(voices, 750, 750 + SPEAKING_OFF_MS - SPEAKING_SAMPLE_MS, () => ({ bob: 0 }));
    assert.equal(voices.bob!.speaking, true, 'a pause');
    voices = feed(voices, 2000, 2000 + SPEAKING_OFF_MS, () => ({ bob: 0 }));
    assert.equal(voices.bob!.speaking, false);
  });

  test('levels between the two thresholds change nothing (hysteresis)', () => {
    const speaking = feed({}, 0, 600, () => ({ bob: 0.3 }));
    assert.equal(feed(speaking, 750, 5000, () => ({ bob: 0.03 })).bob!.speaking, true);
    assert.equal(feed({}, 0, 5000, () => ({ bob: 0.03 })).bob!.speaking, false);
  });

  test('the active speaker stays while speaking, then passes to whoever speaks', () => {
    const both = feed({}, 0, 600, () => ({ bob: 0.2, carol: 0.5 }));
    assert.equal(activeSpeaker(null, both, { bob: 0.2, carol: 0.5 }), 'carol', 'the louder one first');
    assert.equal(activeSpeaker('bob', both, { bob: 0.2, carol: 0.5 }), 'bob', 'no jump while bob still speaks');
    const carolOnly = feed(both, 750, 3000, () => ({ bob: 0, carol: 0.5 }));
    assert.equal(activeSpeaker('bob', carolOnly, { bob: 0, carol: 0.5 }), 'carol');
    const silent = feed(carolOnly, 3150, 6000, () => ({ bob: 0, carol: 0 }));
    assert.equal(activeSpeaker('carol', silent, { bob: 0, carol: 0 }), 'carol', 'the last speaker stays highlighted… ');
    assert.equal(activeSpeaker('carol', trackVoices(silent, { bob: 0 }, 6200), { bob: 0 }), null, '… until they leave the call');
  });
});
