import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assessQuality,
  FAIR_LOSS_PERCENT,
  FAIR_OUTGOING_KBPS,
  FAIR_RTT_MS,
  LOST_AFTER_MS,
  needsLongerInterval,
  POOR_LOSS_PERCENT,
  POOR_OUTGOING_KBPS,
  POOR_RTT_MS,
  QUALITY_LEVELS,
  sameQuality,
  sampleFromStats,
  smoothLevel,
  type QualityLevel,
  type QualitySample,
} from '../../src/call/quality.js';

const T = 1_795_264_516_482.783;

/** A receiving side's report as Chromium shapes it: two candidate pairs (one selected), audio and video in, our video's RTCP. */
function chromiumReport(
  o: { at?: number; audio?: number; video?: number; lost?: number; frames?: number; rtt?: number; bitrate?: number } = {},
) {
  const at = o.at ?? T;
  return [
    {
      id: 'CPold',
      type: 'candidate-pair',
      timestamp: at,
      state: 'succeeded',
      nominated: true,
      currentRoundTripTime: 0.5,
      packetsReceived: 5,
    },
    {
      id: 'CPsel',
      type: 'candidate-pair',
      timestamp: at,
      state: 'succeeded',
      nominated: true,
      currentRoundTripTime: o.rtt ?? 0.012,
      availableOutgoingBitrate: o.bitrate ?? 3_457_230,
      packetsReceived: 343,
    },
    {
      id: 'IT01A',
      type: 'inbound-rtp',
      kind: 'audio',
      timestamp: at,
      packetsReceived: o.audio ?? 150,
      packetsLost: 0,
      bytesReceived: 7_500,
    },
    {
      id: 'IT01V',
      type: 'inbound-rtp',
      kind: 'video',
      timestamp: at,
      packetsReceived: o.video ?? 211,
      packetsLost: o.lost ?? 0,
      framesDecoded: o.frames ?? 59,
      bytesReceived: 184_338,
    },
    { id: 'RI01V', type: 'remote-inbound-rtp', kind: 'video', timestamp: at - 400, packetsLost: 0, roundTripTime: 0.9 },
    { id: 'OT01V', type: 'outbound-rtp', kind: 'video', timestamp: at, packetsSent: 211, bytesSent: 184_338 },
    { id: 'T01', type: 'transport', timestamp: at, selectedCandidatePairId: 'CPsel', packetsReceived: 369 },
  ];
}

/** A sample with defaults: a clean 1 s interval's end is built with {@link after}. */
const sample = (patch: Partial<QualitySample> = {}): QualitySample => ({
  at: 10_000,
  packetsReceived: 1_000,
  packetsLost: 0,
  framesDecoded: 300,
  bytesReceived: 1_000_000,
  roundTripTimeMs: 20,
  availableOutgoingBitrate: 2_000_000,
  ...patch,
});
/** The sample `ms` after `s`, with `received` and `lost` packets and `frames` decoded in between. */
const after = (
  s: QualitySample,
  ms: number,
  received: number,
  lost = 0,
  frames = 30,
  patch: Partial<QualitySample> = {},
): QualitySample => ({
  ...s,
  at: s.at + ms,
  packetsReceived: s.packetsReceived + received,
  packetsLost: s.packetsLost + lost,
  framesDecoded: s.framesDecoded + frames,
  ...patch,
});
/** The level of 1 s with `lost` of 1 000 expected packets lost, and the given RTT and bitrate. */
const levelOf = (lost: number, rttMs = 20, bitrate: number | undefined = 2_000_000): QualityLevel => {
  const s = sample({ roundTripTimeMs: rttMs, availableOutgoingBitrate: bitrate });
  return assessQuality(s, after(s, 1_000, 1_000 - lost, lost)).level;
};

describe('sampleFromStats', () => {
  test("reads a Chromium report: the transport's selected pair, inbound audio + video, the report time", () => {
    assert.deepEqual(sampleFromStats(chromiumReport({ lost: 4 })), {
      at: T,
      roundTripTimeMs: 12,
      packetsReceived: 361,
      packetsLost: 4,
      availableOutgoingBitrate: 3_457_230,
      framesDecoded: 59,
      bytesReceived: 191_838,
    });
  });

  test('takes an RTCStatsReport-like maplike (forEach gives values) as well as an iterable', () => {
    const map = new Map(chromiumReport().map((s) => [s.id, s]));
    assert.deepEqual(sampleFromStats(map), sampleFromStats(chromiumReport()));
    assert.deepEqual(sampleFromStats(new Set(chromiumReport())), sampleFromStats(chromiumReport()));
  });

  test('without a transport: the pair flagged selected (Firefox), else the nominated succeeded one', () => {
    const noTransport = chromiumReport().filter((s) => s.type !== 'transport');
    assert.equal(sampleFromStats(noTransport).roundTripTimeMs, 500); // CPold: first nominated + succeeded
    const flagged = noTransport.map((s) => (s.id === 'CPsel' ? { ...s, selected: true } : s));
    assert.equal(sampleFromStats(flagged).roundTripTimeMs, 12);
  });

  test('RTT falls back to remote-inbound-rtp roundTripTime (s → ms) when the pair has none', () => {
    const report = chromiumReport().map((s) => (s.id === 'CPsel' ? { ...s, currentRoundTripTime: undefined } : s));
    assert.equal(sampleFromStats(report).roundTripTimeMs, 900);
  });

  test('remote-* timestamps (time of the RTCP report) do not set the sample time', () => {
    const report = chromiumReport().map((s) => (s.type === 'remote-inbound-rtp' ? { ...s, timestamp: T + 5_000 } : s));
    assert.equal(sampleFromStats(report).at, T);
  });

  test('missing fields: counters 0, RTT and bitrate undefined; an empty report is all zero', () => {
    assert.deepEqual(sampleFromStats([]), { at: 0, packetsReceived: 0, packetsLost: 0, framesDecoded: 0, bytesReceived: 0 });
    const bare = [
      { id: 'I', type: 'inbound-rtp', mediaType: 'video', timestamp: 5, framesDecoded: 7 },
      { id: 'P', type: 'candidate-pair', timestamp: 5, state: 'in-progress', currentRoundTripTime: 'x' },
    ];
    assert.deepEqual(sampleFromStats(bare), { at: 5, packetsReceived: 0, packetsLost: 0, framesDecoded: 7, bytesReceived: 0 });
  });
});

describe('assessQuality', () => {
  test('the thresholds are the documented ones', () => {
    assert.deepEqual(
      [FAIR_LOSS_PERCENT, POOR_LOSS_PERCENT, FAIR_RTT_MS, POOR_RTT_MS, FAIR_OUTGOING_KBPS, POOR_OUTGOING_KBPS, LOST_AFTER_MS],
      [2, 6, 300, 800, 300, 150, 1_000],
    );
    assert.deepEqual(QUALITY_LEVELS, ['good', 'fair', 'poor', 'lost']);
  });

  test('figures over the interval: loss %, fps, RTT and kbps, rounded', () => {
    const s = sample();
    const q = assessQuality(s, after(s, 2_000, 970, 30, 59, { roundTripTimeMs: 23.6, availableOutgoingBitrate: 1_234_567 }));
    assert.deepEqual(q, { level: 'fair', roundTripTimeMs: 24, packetLossPercent: 3, availableOutgoingKbps: 1235, framesPerSecond: 30 });
    assert.equal(assessQuality(s, after(s, 1_000, 997, 3)).packetLossPercent, 0.3); // no 0.30000000000000004
  });

  test('packet loss: < 2 % good, 2 % to < 6 % fair, ≥ 6 % poor', () => {
    assert.equal(levelOf(0), 'good');
    assert.equal(levelOf(19), 'good'); // 1.9 %
    assert.equal(levelOf(20), 'fair'); // 2.0 %
    assert.equal(levelOf(59), 'fair'); // 5.9 %
    assert.equal(levelOf(60), 'poor'); // 6.0 %
    assert.equal(levelOf(999), 'poor');
  });

  test('round-trip time: ≤ 300 ms good, ≤ 800 ms fair, above poor', () => {
    assert.equal(levelOf(0, 300), 'good');
    assert.equal(levelOf(0, 301), 'fair');
    assert.equal(levelOf(0, 800), 'fair');
    assert.equal(levelOf(0, 801), 'poor');
    assert.equal(levelOf(0, 300.4), 'good'); // judged on the rounded figure that is shown
  });

  test('outgoing bitrate: ≥ 300 kbps good, ≥ 150 fair, below poor; unknown is not judged', () => {
    assert.equal(levelOf(0, 20, 300_000), 'good'); // WebRTC's start estimate: a side that sends nothing
    assert.equal(levelOf(0, 20, 299_000), 'fair');
    assert.equal(levelOf(0, 20, 150_000), 'fair');
    assert.equal(levelOf(0, 20, 149_000), 'poor');
    assert.equal(levelOf(0, 20, undefined), 'good');
    const s = sample({ roundTripTimeMs: undefined, availableOutgoingBitrate: undefined });
    const q = assessQuality(s, after(s, 1_000, 100));
    assert.deepEqual([q.level, q.roundTripTimeMs, q.availableOutgoingKbps], ['good', null, null]);
  });

  test('the worst figure wins', () => {
    assert.equal(levelOf(30, 20, 2_000_000), 'fair');
    assert.equal(levelOf(30, 900, 2_000_000), 'poor');
    assert.equal(levelOf(0, 400, 100_000), 'poor');
  });

  test(`lost: no packet at all over ≥ ${LOST_AFTER_MS} ms; shorter intervals are not judged lost`, () => {
    const s = sample();
    assert.deepEqual(assessQuality(s, after(s, LOST_AFTER_MS, 0, 0, 0)), {
      level: 'lost',
      roundTripTimeMs: 20,
      packetLossPercent: 100,
      availableOutgoingKbps: 2000,
      framesPerSecond: 0,
    });
    assert.equal(assessQuality(s, after(s, LOST_AFTER_MS - 1, 0, 0, 0)).level, 'good');
    assert.equal(assessQuality(s, after(s, 5_000, 1, 0, 0)).level, 'good'); // one packet is not lost
    assert.equal(needsLongerInterval(s, after(s, LOST_AFTER_MS - 1, 0, 0, 0)), true);
    assert.equal(needsLongerInterval(s, after(s, LOST_AFTER_MS, 0, 0, 0)), false);
    assert.equal(needsLongerInterval(s, after(s, 300, 5)), false);
    assert.equal(needsLongerInterval(null, s), false);
  });

  test('without a usable previous sample: totals since the start, fps 0, never lost', () => {
    const s = sample({ packetsReceived: 950, packetsLost: 50 });
    assert.deepEqual(assessQuality(null, s), {
      level: 'fair',
      roundTripTimeMs: 20,
      packetLossPercent: 5,
      availableOutgoingKbps: 2000,
      framesPerSecond: 0,
    });
    assert.equal(assessQuality(null, sample({ packetsReceived: 0 })).level, 'good');
    // Counters went back (a new connection): judged on the new totals, not negative deltas.
    const fresh = sample({ at: 20_000, packetsReceived: 10, packetsLost: 0, framesDecoded: 1 });
    assert.deepEqual([assessQuality(sample(), fresh).level, assessQuality(sample(), fresh).packetLossPercent], ['good', 0]);
    // The same or an older timestamp: no interval.
    assert.equal(assessQuality(sample(), sample()).level, 'good');
  });

  test('a negative lost delta (duplicates counted back) counts as no loss', () => {
    const s = sample({ packetsLost: 10 });
    assert.equal(assessQuality(s, after(s, 1_000, 100, -5)).packetLossPercent, 0);
  });
});

describe('smoothLevel (anti-flap)', () => {
  /** Folds raw levels through smoothLevel as the controller does; returns the shown level after each. */
  const shownAfter = (raws: QualityLevel[]): QualityLevel[] => {
    let shown: QualityLevel | null = null;
    let previousRaw: QualityLevel | null = null;
    return raws.map((raw) => {
      shown = smoothLevel(shown, previousRaw, raw);
      previousRaw = raw;
      return shown;
    });
  };

  test('the first level is shown at once', () => {
    assert.equal(smoothLevel(null, null, 'poor'), 'poor');
  });

  test('one worse or better sample changes nothing; two in a row do', () => {
    assert.deepEqual(shownAfter(['good', 'poor', 'good', 'poor', 'poor']), ['good', 'good', 'good', 'good', 'poor']);
    assert.deepEqual(shownAfter(['poor', 'good', 'poor', 'good', 'good']), ['poor', 'poor', 'poor', 'poor', 'good']);
  });

  test('it moves only as far as the nearer of the two samples', () => {
    assert.deepEqual(shownAfter(['good', 'poor', 'fair', 'poor', 'fair']), ['good', 'good', 'fair', 'fair', 'fair']);
    assert.deepEqual(shownAfter(['poor', 'good', 'fair', 'good', 'good']), ['poor', 'poor', 'fair', 'fair', 'good']);
  });

  test('lost is entered and left at once', () => {
    assert.deepEqual(shownAfter(['good', 'lost', 'good']), ['good', 'lost', 'good']);
    assert.deepEqual(shownAfter(['good', 'lost', 'poor', 'good', 'good']), ['good', 'lost', 'poor', 'poor', 'good']);
  });

  test('a missing previous raw level counts as the shown one', () => {
    assert.equal(smoothLevel('good', null, 'poor'), 'good');
  });
});

describe('sameQuality', () => {
  const q = { level: 'good' as const, roundTripTimeMs: 1, packetLossPercent: 0, availableOutgoingKbps: 300, framesPerSecond: 30 };
  test('equal levels and figures are the same; any difference is not', () => {
    assert.equal(sameQuality(q, { ...q }), true);
    assert.equal(sameQuality(null, null), true);
    assert.equal(sameQuality(q, null), false);
    for (const patch of [
      { level: 'fair' as const },
      { roundTripTimeMs: 2 },
      { packetLossPercent: 0.1 },
      { availableOutgoingKbps: null },
      { framesPerSecond: 29 },
    ]) {
      assert.equal(sameQuality(q, { ...q, ...patch }), false, JSON.stringify(patch));
    }
  });
});
