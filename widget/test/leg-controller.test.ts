/**
 * LegController with two real RTCPeerConnections in one page, the signal path replaced by an
 * in-page channel the test controls, so it can reorder and drop signals.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { LegController, type LegSignal } from '../src/controllers/leg-controller.js';
import type { StatsEntry, StatsView } from './stats-entry.js';
import { TestHost } from './test-host.js';

const camera = () => navigator.mediaDevices.getUserMedia({ audio: true, video: true });
const HOST_CANDIDATE = { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0' };

/** RTP packets sent by `peer`'s connection, of one kind or all. */
async function packetsSent(peer: LegController, kind?: 'audio' | 'video'): Promise<number> {
  let sent = 0;
  (await peer.getStats())?.forEach(
    (s: StatsEntry) => s.type === 'outbound-rtp' && (!kind || s.kind === kind) && (sent += s.packetsSent ?? 0),
  );
  return sent;
}

/** Two controllers wired to each other, delivering asynchronously and in order, like a network. */
function linkedPair(): { a: LegController; b: LegController; sent: { a: LegSignal[]; b: LegSignal[] } } {
  const sent = { a: [] as LegSignal[], b: [] as LegSignal[] };
  const a: LegController = new LegController(new TestHost(), {
    sendSignal: (s) => (sent.a.push(s), void Promise.resolve().then(() => b.handleSignal(s))),
  });
  const b: LegController = new LegController(new TestHost(), {
    sendSignal: (s) => (sent.b.push(s), void Promise.resolve().then(() => a.handleSignal(s))),
  });
  return { a, b, sent };
}

const bothConnected = (a: LegController, b: LegController, timeout = 10000) =>
  waitUntil(() => a.connectionState === 'connected' && b.connectionState === 'connected', 'both connected', { timeout });

describe('LegController (one leg)', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

  it('buffers remote candidates that arrive before the description and applies them after it', async () => {
    const fromA: LegSignal[] = [];
    const toA: LegSignal[] = [];
    const a = new LegController(new TestHost(), { sendSignal: (s) => fromA.push(s) });
    const b = new LegController(new TestHost(), { sendSignal: (s) => toA.push(s) });
    cleanups.push(() => (a.close(), b.close()));

    a.open({ polite: false, iceServers: [], offer: true });
    // Wait for A's offer and all of A's candidates (null marks the end of gathering).
    await waitUntil(() => fromA.some((s) => s.kind === 'candidate' && s.candidate === null), 'A gathered', { timeout: 10000 });
    const offer = fromA.find((s) => s.kind === 'description')!;
    const candidates = fromA.filter((s) => s.kind === 'candidate');
    expect(candidates.length).to.be.greaterThan(1);

    // Deliver A's candidates FIRST: B's connection exists but has no remote description yet.
    b.open({ polite: true, iceServers: [], offer: false });
    candidates.forEach((c) => b.handleSignal(c));
    await b.settled;
    expect(b.pendingCandidateCount).to.equal(candidates.length);

    // Then the offer: B answers, and the buffered candidates are added right after it.
    b.handleSignal(offer);
    await b.settled;
    expect(b.pendingCandidateCount).to.equal(0);
    // Only B's answer reaches A; B's own candidates are DROPPED. So A knows no address of B and
    // the connection can only form if B checks A's candidates: the ones it had buffered.
    a.handleSignal(toA.find((s) => s.kind === 'description')!);
    await bothConnected(a, b);
    const stats: StatsView | null = await b.getStats();
    expect([...stats!.values()].filter((r) => r.type === 'remote-candidate' && r.candidateType === 'host').length).to.be.greaterThan(0);
    expect(
      b
        .remoteStream!.getTracks()
        .map((t) => t.kind)
        .sort(),
    ).to.deep.equal(['audio', 'video']);
  });

  it('consent: connects with no RTP at all; attach() starts media without a new offer', async () => {
    const [streamA, streamB] = [await camera(), await camera()];
    const { a, b, sent } = linkedPair();
    cleanups.push(() => (a.close(), b.close(), [...streamA.getTracks(), ...streamB.getTracks()].forEach((t) => t.stop())));
    a.open({ polite: false, iceServers: [], offer: true });
    b.open({ polite: true, iceServers: [], offer: false });
    await bothConnected(a, b);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect([await packetsSent(a), await packetsSent(b)]).to.deep.equal([0, 0]);
    const descriptions = () => [...sent.a, ...sent.b].filter((s) => s.kind === 'description').length;
    expect(descriptions()).to.equal(2);

    a.attach(streamA);
    b.attach(streamB);
    await waitUntil(async () => (await packetsSent(a, 'video')) > 0 && (await packetsSent(b, 'audio')) > 0, 'RTP flows', { timeout: 5000 });
    expect(descriptions()).to.equal(2); // replaceTrack: no renegotiation
    expect(a.remoteStream!.getTracks().length).to.equal(2);
  });

  it('glare on ICE restarts: both restart at once, 10 times, and every run reconnects', async function () {
    this.timeout(60000);
    const { a, b } = linkedPair();
    cleanups.push(() => (a.close(), b.close()));
    a.open({ polite: false, iceServers: [], offer: true });
    b.open({ polite: true, iceServers: [], offer: false });
    await bothConnected(a, b);
    const failures: string[] = [];
    for (let run = 0; run < 10; run++) {
      a.restartIce();
      b.restartIce();
      try {
        // Both made an offer; the polite one rolled back, so both settle in a stable, connected state.
        await waitUntil(
          async () => {
            await Promise.all([a.settled, b.settled]);
            return a.connectionState === 'connected' && b.connectionState === 'connected';
          },
          '',
          { timeout: 8000 },
        );
      } catch {
        failures.push(`run ${run}: a=${a.connectionState} b=${b.connectionState}`);
      }
    }
    expect(failures).to.deep.equal([]);
  });

  it('offerSent: pending while the first offer is made, settled once it is sent or the leg closes; null when answering', async () => {
    const sent: LegSignal[] = [];
    const a = new LegController(new TestHost(), { sendSignal: (s) => sent.push(s) });
    cleanups.push(() => a.close());
    expect(a.offerSent).to.equal(null);
    a.open({ polite: false, iceServers: [], offer: true });
    const first = a.offerSent;
    expect(first).to.be.instanceOf(Promise);
    expect(sent.filter((s) => s.kind === 'description')).to.have.length(0);
    await first;
    expect(sent.flatMap((s) => (s.kind === 'description' ? [s.description.type] : []))).to.deep.equal(['offer']);
    expect(a.offerSent, 'none pending once it is out').to.equal(null);

    const answering = new LegController(new TestHost(), { sendSignal: () => {} });
    answering.open({ polite: true, iceServers: [], offer: false });
    expect(answering.offerSent).to.equal(null);
    answering.close();

    const closing = new LegController(new TestHost(), { sendSignal: () => {} });
    closing.open({ polite: false, iceServers: [], offer: true });
    const pending = closing.offerSent!;
    closing.close();
    await pending; // never settles if close() forgot it: the test times out
    expect(closing.offerSent).to.equal(null);
  });

  it('ignores candidates when there is no call (late ones of an ended call)', async () => {
    const pc = new LegController(new TestHost(), { sendSignal: () => {} });
    pc.handleSignal({ kind: 'candidate', candidate: HOST_CANDIDATE });
    await pc.settled;
    expect(pc.pendingCandidateCount).to.equal(0);
  });

  it('close() is idempotent and forgets buffered candidates', async () => {
    const pc = new LegController(new TestHost(), { sendSignal: () => {} });
    pc.open({ polite: false, iceServers: [], offer: false });
    pc.handleSignal({ kind: 'candidate', candidate: HOST_CANDIDATE });
    await pc.settled;
    expect(pc.pendingCandidateCount).to.equal(1);
    pc.close();
    pc.close();
    expect(pc.pendingCandidateCount).to.equal(0);
    expect(pc.active).to.equal(false);
    expect(pc.connectionState).to.equal('closed');
  });
});
