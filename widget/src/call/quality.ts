/**
 * Connection quality from WebRTC statistics: a pure policy, tested in node (no DOM, no
 * RTCPeerConnection; the W3C webrtc-stats dictionaries come in as plain objects).
 *
 * One read of `getStats()` becomes a {@link QualitySample} ({@link sampleFromStats}); two
 * samples give the figures over the interval between them and a level ({@link assessQuality});
 * {@link smoothLevel} keeps the shown level from flapping. The figures are what this side sees:
 * loss of the packets it receives, the path's round-trip time, and its own outgoing bandwidth.
 *
 * Levels, each figure judged on its own and the worst one wins:
 *
 * | figure                       | good        | fair            | poor       |
 * |------------------------------|-------------|-----------------|------------|
 * | packet loss (received RTP)   | < 2 %       | 2 % to < 6 %    | ≥ 6 %      |
 * | round-trip time              | ≤ 300 ms    | 301 to 800 ms   | > 800 ms   |
 * | available outgoing bitrate   | ≥ 300 kbps  | 150 to < 300    | < 150 kbps |
 *
 * `lost`: not one RTP packet arrived during an interval of at least {@link LOST_AFTER_MS}.
 *
 * Sources:
 * - Packet loss: LiveKit's connection-quality scorer (livekit/livekit
 *   `pkg/sfu/connectionquality/connectionstats.go`, `getPacketLossWeight`): for video, 2 % loss
 *   drops a track from EXCELLENT to GOOD and 6 % to POOR (Opus audio: 2.5 % and 7.5 %; the
 *   stricter video bands are used, as both kinds are summed here). Its three levels map to ours
 *   as EXCELLENT → good, GOOD → fair, POOR → poor. Twilio Voice raises `high-packet-loss` from 3 %.
 * - Round-trip time: ITU-T G.114 (05/2003), one-way delay: up to 150 ms acceptable for most
 *   interactive uses, 150 to 400 ms acceptable with care, over 400 ms unacceptable for network
 *   planning. A symmetric path's one-way delay is half the RTT: 300 ms and 800 ms RTT.
 *   (Twilio Voice warns of high RTT above 400 ms, inside our `fair` band.)
 * - Outgoing bitrate: LiveKit's `VideoPresets` (livekit-client): 320×180 video needs 160 kbps and
 *   640×360 needs 450 kbps; Opus speech adds 20 to 30 kbps. Below 150 kbps not even the smallest
 *   useful picture fits beside the voice (poor); below 300 kbps (also WebRTC's start estimate)
 *   video is small (fair). Judged only when the browser reports the figure.
 *
 * Anti-flap ({@link smoothLevel}): the shown level moves only when the last two samples are both
 * on the same side of it, and then only as far as the nearer of the two. `lost` is shown at once
 * and left at once (one interval without a single packet is already conclusive).
 */

/** The levels, best first. */
export const QUALITY_LEVELS = ['good', 'fair', 'poor', 'lost'] as const;

/** One of {@link QUALITY_LEVELS}. */
export type QualityLevel = (typeof QUALITY_LEVELS)[number];

/** Packet loss (percent of packets expected in the interval) from which the level is `fair`. */
export const FAIR_LOSS_PERCENT = 2;
/** Packet loss (percent) from which the level is `poor`. */
export const POOR_LOSS_PERCENT = 6;
/** Round-trip time (ms) above which the level is `fair` (G.114: 150 ms one way). */
export const FAIR_RTT_MS = 300;
/** Round-trip time (ms) above which the level is `poor` (G.114: 400 ms one way). */
export const POOR_RTT_MS = 800;
/** Available outgoing bitrate (kbps) below which the level is `fair`. */
export const FAIR_OUTGOING_KBPS = 300;
/** Available outgoing bitrate (kbps) below which the level is `poor`. */
export const POOR_OUTGOING_KBPS = 150;
/** An interval (ms) at least this long without one received RTP packet is `lost`. */
export const LOST_AFTER_MS = 1_000;

/** What one `getStats()` read says, in plain numbers. Counters are totals since the connection began. */
export interface QualitySample {
  /** When the statistics were taken, in ms (the stats' `timestamp`, a DOMHighResTimeStamp). */
  at: number;
  /** Round-trip time in ms: the selected candidate pair's `currentRoundTripTime`, else remote-inbound-rtp `roundTripTime`. */
  roundTripTimeMs?: number;
  /** RTP packets received, audio and video (inbound-rtp `packetsReceived`). */
  packetsReceived: number;
  /** RTP packets lost on the way to us, audio and video (inbound-rtp `packetsLost`). */
  packetsLost: number;
  /** The sender's bandwidth estimate in bits/s (selected candidate pair `availableOutgoingBitrate`). */
  availableOutgoingBitrate?: number;
  /** Video frames decoded (inbound-rtp video `framesDecoded`). */
  framesDecoded: number;
  /** RTP payload bytes received, audio and video (inbound-rtp `bytesReceived`). */
  bytesReceived: number;
}

/** One stats dictionary (W3C webrtc-stats), as far as it is read here. */
type Stat = Record<string, unknown>;

/** An `RTCStatsReport` (maplike: `forEach` gives the values), or any iterable of stats dictionaries. */
export type StatsLike = { forEach(callback: (stat: Stat) => void): void } | Iterable<Stat>;

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** Turns one `getStats()` report into a sample. Missing fields count as 0 or stay undefined. */
export function sampleFromStats(report: StatsLike): QualitySample {
  const stats: Stat[] = [];
  if ('forEach' in report && typeof report.forEach === 'function') report.forEach((stat: Stat) => stats.push(stat));
  else for (const stat of report as Iterable<Stat>) stats.push(stat);
  const byId = new Map(stats.map((s) => [s.id, s]));

  const sample: QualitySample = { at: 0, packetsReceived: 0, packetsLost: 0, framesDecoded: 0, bytesReceived: 0 };
  let remoteRttS: number | undefined;
  for (const s of stats) {
    // Remote stats carry the time the RTCP report arrived; ours carry the time of this read.
    if (typeof s.type === 'string' && !s.type.startsWith('remote-')) sample.at = Math.max(sample.at, num(s.timestamp) ?? 0);
    if (s.type === 'inbound-rtp') {
      sample.packetsReceived += num(s.packetsReceived) ?? 0;
      sample.packetsLost += num(s.packetsLost) ?? 0;
      sample.bytesReceived += num(s.bytesReceived) ?? 0;
      if ((s.kind ?? s.mediaType) === 'video') sample.framesDecoded += num(s.framesDecoded) ?? 0;
    } else if (s.type === 'remote-inbound-rtp') {
      const rtt = num(s.roundTripTime);
      if (rtt !== undefined) remoteRttS = Math.max(remoteRttS ?? 0, rtt);
    }
  }

  const pair = selectedPair(stats, byId);
  const pairRttS = num(pair?.currentRoundTripTime);
  const rttS = pairRttS ?? remoteRttS;
  if (rttS !== undefined) sample.roundTripTimeMs = rttS * 1000;
  const bitrate = num(pair?.availableOutgoingBitrate);
  if (bitrate !== undefined) sample.availableOutgoingBitrate = bitrate;
  return sample;
}

/** The candidate pair in use: named by the transport (spec), else flagged `selected` (Firefox), else nominated and succeeded. */
function selectedPair(stats: Stat[], byId: Map<unknown, Stat>): Stat | undefined {
  for (const s of stats) {
    if (s.type !== 'transport' || s.selectedCandidatePairId === undefined) continue;
    const pair = byId.get(s.selectedCandidatePairId);
    if (pair) return pair;
  }
  const pairs = stats.filter((s) => s.type === 'candidate-pair');
  return pairs.find((p) => p.selected === true) ?? pairs.find((p) => p.nominated === true && p.state === 'succeeded');
}

/** The figures over one interval and their level. Figures are rounded as documented. */
export interface Quality {
  /** The level the figures give (see the file comment). */
  level: QualityLevel;
  /** Round-trip time in ms (whole ms), or null when the browser gave none. */
  roundTripTimeMs: number | null;
  /** Received RTP packets lost in the interval, in percent (0.1 %); 100 when `lost`. */
  packetLossPercent: number;
  /** Outgoing bandwidth estimate in kbps (whole kbps), or null when the browser gave none. */
  availableOutgoingKbps: number | null;
  /** Video frames decoded per second in the interval (whole frames); 0 without a previous sample. */
  framesPerSecond: number;
}

const round = (value: number, step: number) => Math.round(value / step) * step;
/** Rounds to one decimal without binary noise (0.30000000000000004 → 0.3). */
const round1 = (value: number) => Number(round(value, 0.1).toFixed(1));

/**
 * The quality over the interval from `previous` to `current` (ms apart). Without a usable
 * `previous` (none, later than `current`, or counters that went back: a new connection) the
 * totals since the connection began are judged and it is never `lost`.
 */
export function assessQuality(previous: QualitySample | null, current: QualitySample): Quality {
  const usable =
    previous !== null &&
    previous.at < current.at &&
    current.packetsReceived >= previous.packetsReceived &&
    current.framesDecoded >= previous.framesDecoded;
  const base = usable ? previous : null;
  const received = current.packetsReceived - (base?.packetsReceived ?? 0);
  const lost = Math.max(0, current.packetsLost - (base?.packetsLost ?? 0));
  const seconds = base ? (current.at - base.at) / 1000 : 0;

  const roundTripTimeMs = current.roundTripTimeMs === undefined ? null : Math.round(current.roundTripTimeMs);
  const availableOutgoingKbps = current.availableOutgoingBitrate === undefined ? null : Math.round(current.availableOutgoingBitrate / 1000);
  const framesPerSecond = seconds > 0 ? Math.round((current.framesDecoded - base!.framesDecoded) / seconds) : 0;

  if (base && received === 0 && seconds * 1000 >= LOST_AFTER_MS) {
    return { level: 'lost', roundTripTimeMs, packetLossPercent: 100, availableOutgoingKbps, framesPerSecond: 0 };
  }
  const packetLossPercent = received + lost > 0 ? round1((lost * 100) / (received + lost)) : 0;
  const level = worst([
    packetLossPercent >= POOR_LOSS_PERCENT ? 'poor' : packetLossPercent >= FAIR_LOSS_PERCENT ? 'fair' : 'good',
    roundTripTimeMs === null || roundTripTimeMs <= FAIR_RTT_MS ? 'good' : roundTripTimeMs <= POOR_RTT_MS ? 'fair' : 'poor',
    availableOutgoingKbps === null || availableOutgoingKbps >= FAIR_OUTGOING_KBPS
      ? 'good'
      : availableOutgoingKbps >= POOR_OUTGOING_KBPS
        ? 'fair'
        : 'poor',
  ]);
  return { level, roundTripTimeMs, packetLossPercent, availableOutgoingKbps, framesPerSecond };
}

/**
 * True while `current` is too close to `previous` to tell anything: no packet arrived since,
 * but less than {@link LOST_AFTER_MS} passed. Keep `previous` and wait for a longer interval.
 */
export function needsLongerInterval(previous: QualitySample | null, current: QualitySample): boolean {
  return (
    previous !== null &&
    current.at > previous.at &&
    current.packetsReceived === previous.packetsReceived &&
    current.at - previous.at < LOST_AFTER_MS
  );
}

const rank = (level: QualityLevel) => QUALITY_LEVELS.indexOf(level);
/** The worst of `levels` (the last in {@link QUALITY_LEVELS} order). */
const worst = (levels: QualityLevel[]): QualityLevel => levels.reduce((a, b) => (rank(b) > rank(a) ? b : a));
/** The best of `levels`. */
const best = (levels: QualityLevel[]): QualityLevel => levels.reduce((a, b) => (rank(b) < rank(a) ? b : a));

/**
 * The level to show, from the one shown now (`shown`, null before the first), the previous
 * sample's own level (`previousRaw`, null if none) and this sample's (`raw`). See the file
 * comment: it moves only when both samples lie on the same side of `shown`, and only as far
 * as the nearer of them; `lost` is entered and left at once.
 */
export function smoothLevel(shown: QualityLevel | null, previousRaw: QualityLevel | null, raw: QualityLevel): QualityLevel {
  if (shown === null || shown === 'lost' || raw === 'lost') return raw;
  const pair = [previousRaw ?? shown, raw];
  if (pair.every((level) => rank(level) > rank(shown))) return best(pair);
  if (pair.every((level) => rank(level) < rank(shown))) return worst(pair);
  return shown;
}

/** True when two qualities have the same level and (rounded) figures. */
export function sameQuality(a: Quality | null, b: Quality | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.level === b.level &&
    a.roundTripTimeMs === b.roundTripTimeMs &&
    a.packetLossPercent === b.packetLossPercent &&
    a.availableOutgoingKbps === b.availableOutgoingKbps &&
    a.framesPerSecond === b.framesPerSecond
  );
}
