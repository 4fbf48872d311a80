/** The group call's pure media policies: the video cap per leg, and who is speaking. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { VIDEO_UPLOAD_BUDGET_BPS, videoSendingCap } from '../../src/call/bandwidth.js';
import {
  activeSpeaker,
  SPEAKING_OFF_MS,
  SPEAKING_ON_MS,
  SPEAKING_SAMPLE_MS,
  trackVoices,
  VOICE_HOLD_MS,
  type VoiceTrack,
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
    assert.deepEqual(
      [2, 3, 4, 5].map((n) => videoSendingCap(n).scaleResolutionDownBy),
      [1, 1.5, 2, 2],
    );
  });
});

/** Feeds `levels(t)` every sample from `from` to `to` ms (both included); returns the voices. */
function feed(voices: Record<string, VoiceTrack>, from: number, to: number, levels: (t: number) => Record<string, number>) {
  for (let t = from; t <= to; t += SPEAKING_SAMPLE_MS) voices = trackVoices(voices, levels(t), t);
  return voices;
}
/** Chromium's fake microphone: a beep every 500 ms, above the threshold for about 50 ms, silence between. */
const beep = (t: number) => (t % 500 < 50 ? 0.3 : 0.001);
/** Speech: syllables of 200 ms with 100 ms gaps. */
const speech = (t: number) => (t % 300 < 200 ? 0.2 : 0.005);

describe('who is speaking', () => {
  test('a lone click or cough is not speech', () => {
    const voices = feed({}, 0, 3000, (t) => ({ bob: t === 0 ? 0.5 : 0 }));
    assert.equal(voices.bob!.speaking, false);
    const once = feed({}, 0, 3000, (t) => ({ bob: t < 150 ? 0.5 : 0 }));
    assert.equal(once.bob!.speaking, false, 'a 150 ms noise');
  });

  test('speech counts after a quarter of a second, and lasts through the gaps between syllables', () => {
    let voices = feed({}, 0, SPEAKING_ON_MS - SPEAKING_SAMPLE_MS, () => ({ bob: 0.2 }));
    assert.equal(voices.bob!.speaking, false, 'not yet');
    voices = feed(voices, SPEAKING_ON_MS, SPEAKING_ON_MS, () => ({ bob: 0.2 }));
    assert.equal(voices.bob!.speaking, true);
    for (let t = 0; t < 5000; t += SPEAKING_SAMPLE_MS) {
      voices = trackVoices(voices, { bob: speech(t) }, 1000 + t);
      assert.equal(voices.bob!.speaking, true, `still speaking at ${t} ms`);
    }
  });

  test("the fake microphone's beep every half second counts as speaking", () => {
    assert.equal(feed({}, 0, 1200, (t) => ({ bob: beep(t) })).bob!.speaking, true);
  });

  test('silence ends it, after the hold and the off time; not sooner', () => {
    const speaking = feed({}, 0, 1000, () => ({ bob: 0.2 }));
    const end = VOICE_HOLD_MS + SPEAKING_OFF_MS;
    assert.equal(feed(speaking, 1050, 1000 + end - SPEAKING_SAMPLE_MS, () => ({ bob: 0 })).bob!.speaking, true);
    assert.equal(feed(speaking, 1050, 1000 + end + SPEAKING_SAMPLE_MS, () => ({ bob: 0 })).bob!.speaking, false);
  });

  test('a level between the thresholds keeps speech going but does not start it (hysteresis)', () => {
    const speaking = feed({}, 0, 1000, () => ({ bob: 0.2 }));
    assert.equal(feed(speaking, 1050, 6000, () => ({ bob: 0.02 })).bob!.speaking, true);
    assert.equal(feed({}, 0, 6000, () => ({ bob: 0.02 })).bob!.speaking, false);
  });

  test('the active speaker stays while speaking, then passes to whoever speaks', () => {
    const both = feed({}, 0, 600, () => ({ bob: 0.2, carol: 0.5 }));
    assert.equal(activeSpeaker(null, both, { bob: 0.2, carol: 0.5 }), 'carol', 'the louder one first');
    assert.equal(activeSpeaker('bob', both, { bob: 0.2, carol: 0.5 }), 'bob', 'no jump while bob still speaks');
    const carolOnly = feed(both, 650, 3000, () => ({ bob: 0, carol: 0.5 }));
    assert.equal(activeSpeaker('bob', carolOnly, { bob: 0, carol: 0.5 }), 'carol');
    const silent = feed(carolOnly, 3050, 6000, () => ({ bob: 0, carol: 0 }));
    assert.equal(activeSpeaker('carol', silent, { bob: 0, carol: 0 }), 'carol', 'the last speaker stays highlighted… ');
    assert.equal(activeSpeaker('carol', trackVoices(silent, { bob: 0 }, 6050), { bob: 0 }), null, '… until they leave the call');
  });
});
