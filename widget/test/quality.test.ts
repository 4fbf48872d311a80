/**
 * QualityController in real Chromium: two raw RTCPeerConnections in one page, the fake camera's
 * audio and video flowing from A to B, the controller measuring on B. Delivery is stopped for
 * real (`replaceTrack(null)`: no RTP at all → `lost`); packet loss is simulated on B's real
 * statistics (a lossy-network filter: a share of each interval's received packets counted lost),
 * since a page cannot drop packets on loopback.
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { Quality, QualityLevel } from '../src/call/quality.js';
import { QualityController } from '../src/controllers/quality-controller.js';
import type { StatsEntry } from './stats-entry.js';
import { TestHost } from './test-host.js';

const INTERVAL_MS = 300;

/** A sends the camera's audio and video to B; ICE candidates go straight across. */
async function connectedPair() {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  a.onicecandidate = (e) => void (e.candidate && b.addIceCandidate(e.candidate));
  b.onicecandidate = (e) => void (e.candidate && a.addIceCandidate(e.candidate));
  const senders = stream.getTracks().map((track) => a.addTrack(track, stream));
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription!);
  await waitUntil(() => b.connectionState === 'connected', 'connected', { timeout: 10000 });
  const close = () => (a.close(), b.close(), stream.getTracks().forEach((t) => t.stop()));
  return { a, b, stream, senders, close };
}

/** Runs a controller on `getStats`, recording every reported quality. */
function measure(getStats: () => Promise<RTCStatsReport | null>) {
  const reported: Quality[] = [];
  const host = new TestHost();
  const controller = new QualityController(host, { getStats, onChange: (q) => reported.push(q), intervalMs: INTERVAL_MS });
  const levelIs = (level: QualityLevel, timeout = 8000) =>
    waitUntil(() => controller.value?.level === level, `quality ${level} (reported: ${reported.map((q) => q.level).join(' ')})`, {
      timeout,
    });
  return { controller, host, reported, levelIs };
}

/**
 * B's real statistics, with `lossPercent` % of the packets each inbound stream received since the
 * previous read moved from `packetsReceived` to `packetsLost` (as a lossy network would have).
 */
function lossyStats(pc: RTCPeerConnection) {
  const state = new Map<string, { real: number; dropped: number }>();
  const filter = {
    lossPercent: 0,
    async getStats(): Promise<RTCStatsReport> {
      const out = new Map<string, StatsEntry>();
      (await pc.getStats()).forEach((s: StatsEntry) => {
        if (s.type !== 'inbound-rtp') return void out.set(s.id, s);
        const received = s.packetsReceived ?? 0;
        const seen = state.get(s.id) ?? { real: 0, dropped: 0 };
        seen.dropped += Math.round(((received - seen.real) * filter.lossPercent) / 100);
        seen.real = received;
        state.set(s.id, seen);
        out.set(s.id, { ...s, packetsReceived: received - seen.dropped, packetsLost: (s.packetsLost ?? 0) + seen.dropped });
      });
      return out;
    },
  };
  return filter;
}

describe('QualityController', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

  it('good while media flows; lost when delivery stops (replaceTrack(null)); good again after', async function () {
    this.timeout(40000);
    const { b, stream, senders, close } = await connectedPair();
    const { controller, reported, levelIs } = measure(() => b.getStats());
    cleanups.push(() => (controller.watch(false), close()));
    controller.watch(true);

    await levelIs('good');
    await waitUntil(() => (controller.value?.framesPerSecond ?? 0) > 0, 'frames decoded', { timeout: 5000 });
    const good = controller.value!;
    expect(good.packetLossPercent).to.equal(0);
    expect(good.roundTripTimeMs).to.be.a('number').within(0, 300);
    expect(good.availableOutgoingKbps).to.be.a('number').at.least(150);

    // No packet of any kind reaches B any more.
    await Promise.all(senders.map((s) => s.replaceTrack(null)));
    await levelIs('lost');
    expect(controller.value).to.include({ packetLossPercent: 100, framesPerSecond: 0 });

    await Promise.all(senders.map((s, i) => s.replaceTrack(stream.getTracks()[i]!)));
    await levelIs('good');
    // Every change was reported once: never twice the same quality in a row.
    for (let i = 1; i < reported.length; i++) expect(reported[i]).to.not.deep.equal(reported[i - 1]);
  });

  it('poor under 15 % simulated packet loss, fair under 4 %, good again when it stops', async function () {
    this.timeout(40000);
    const { b, senders, close } = await connectedPair();
    const network = lossyStats(b);
    const { controller, levelIs } = measure(() => network.getStats());
    cleanups.push(() => (controller.watch(false), close()));
    controller.watch(true);
    await levelIs('good');

    // Throttle the video too (a real constraint): the loss, not the bitrate, sets the level.
    const video = senders.find((s) => s.track?.kind === 'video')!;
    const parameters = video.getParameters();
    parameters.encodings[0]!.maxBitrate = 100_000;
    await video.setParameters(parameters);

    network.lossPercent = 15;
    await levelIs('poor');
    expect(controller.value!.packetLossPercent).to.be.within(6, 30);

    network.lossPercent = 4;
    await levelIs('fair');
    network.lossPercent = 0;
    await levelIs('good');
    expect(controller.value!.packetLossPercent).to.be.below(2);
  });

  it('reports only changes; watch(false) stops, forgets and clears value; so does hostDisconnected', async () => {
    let received = 0;
    let reads = 0;
    // A steady synthetic stream: 100 packets per read, no loss, no video, fixed RTT and bitrate.
    const getStats = (): Promise<RTCStatsReport> => {
      reads++;
      received += 100;
      const at = performance.timeOrigin + performance.now();
      return Promise.resolve(
        new Map<string, Record<string, unknown>>([
          ['T', { id: 'T', type: 'transport', timestamp: at, selectedCandidatePairId: 'P' }],
          ['P', { id: 'P', type: 'candidate-pair', timestamp: at, currentRoundTripTime: 0.05, availableOutgoingBitrate: 1e6 }],
          ['I', { id: 'I', type: 'inbound-rtp', kind: 'audio', timestamp: at, packetsReceived: received, packetsLost: 0 }],
        ]),
      );
    };
    const { controller, host, reported } = measure(getStats);
    expect(controller.value).to.equal(null);
    controller.watch(true);
    expect(controller.watching).to.equal(true);
    await waitUntil(() => reads >= 5, 'five reads', { timeout: 5000 });
    expect(reported).to.deep.equal([
      { level: 'good', roundTripTimeMs: 50, packetLossPercent: 0, availableOutgoingKbps: 1000, framesPerSecond: 0 },
    ]);
    expect(controller.value).to.deep.equal(reported[0]);

    const updates = host.updates;
    controller.watch(false);
    expect([controller.watching, controller.value, host.updates]).to.deep.equal([false, null, updates + 1]);
    const readsThen = reads;
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS * 3));
    expect(reads).to.equal(readsThen);

    controller.watch(true);
    await waitUntil(() => reported.length === 2, 'reported again after a fresh start', { timeout: 5000 });
    host.controllers.forEach((c) => c.hostDisconnected?.());
    expect([controller.watching, controller.value]).to.deep.equal([false, null]);
  });
});
