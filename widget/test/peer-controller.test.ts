/**
 * PeerController with two real RTCPeerConnections in one page, the signal path replaced by an
 * in-page channel the test controls, so it can reorder and drop signals.
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Signal } from '../../signal-service/src/protocol.js';
import { PeerController } from '../src/controllers/peer-controller.js';

class TestHost implements ReactiveControllerHost {
  controllers: ReactiveController[] = [];
  addController(controller: ReactiveController) {
    this.controllers.push(controller);
  }
  removeController() {}
  requestUpdate() {}
  get updateComplete() {
    return Promise.resolve(true);
  }
}

async function camera() {
  return navigator.mediaDevices.getUserMedia({ audio: true, video: true });
}

describe('PeerController', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

  it('buffers remote candidates that arrive before the description and applies them after it', async () => {
    const fromA: Signal[] = [];
    const toA: Signal[] = [];
    const a = new PeerController(new TestHost(), { sendSignal: (s) => fromA.push(s) });
    const b = new PeerController(new TestHost(), { sendSignal: (s) => toA.push(s) });
    const streamA = await camera();
    const streamB = await camera();
    cleanups.push(() => {
      a.close();
      b.close();
      [...streamA.getTracks(), ...streamB.getTracks()].forEach((t) => t.stop());
    });

    a.start({ polite: false, iceServers: [], localStream: streamA });
    // Wait for A's offer and all of A's candidates (null marks the end of gathering).
    await waitUntil(() => fromA.some((s) => s.kind === 'candidate' && s.candidate === null), 'A gathered', { timeout: 10000 });
    const offer = fromA.find((s) => s.kind === 'description')!;
    const candidates = fromA.filter((s) => s.kind === 'candidate');
    expect(candidates.length).to.be.greaterThan(1);

    // Deliver A's candidates FIRST: B's connection exists but has no remote description yet.
    b.start({ polite: true, iceServers: [], localStream: streamB });
    for (const c of candidates) await b.handleSignal(c);
    expect(b.pendingCandidateCount).to.equal(candidates.length);

    // Then the offer: B answers, and the buffered candidates are added right after it.
    await b.handleSignal(offer);
    expect(b.pendingCandidateCount).to.equal(0);
    // Only B's answer reaches A; B's own candidates are DROPPED. So A knows no address of B and
    // the connection can only form if B checks A's candidates: the ones it had buffered.
    const answer = toA.find((s) => s.kind === 'description')!;
    await a.handleSignal(answer);

    await waitUntil(() => a.connectionState === 'connected' && b.connectionState === 'connected', 'both connected', {
      timeout: 10000,
    });
    const stats = await b.getStats();
    const remoteHost = [...stats!.values()].filter((r) => r.type === 'remote-candidate' && r.candidateType === 'host');
    expect(remoteHost.length).to.be.greaterThan(0);
    expect(b.remoteStream!.getTracks().map((t) => t.kind).sort()).to.deep.equal(['audio', 'video']);
  });

  it('glare: both sides offer at once, 20 times in a row, and every run connects', async function () {
    this.timeout(60000);
    const streamA = await camera();
    const streamB = await camera();
    cleanups.push(() => [...streamA.getTracks(), ...streamB.getTracks()].forEach((t) => t.stop()));
    const failures: string[] = [];
    for (let run = 0; run < 20; run++) {
      let a!: PeerController;
      let b!: PeerController;
      // Deliver asynchronously, like a network, in order. Both sides start at once, so both are
      // making an offer when the other's arrives (the polite one may drop its own before sending).
      const deliver = (to: () => PeerController) => (s: Signal) => void Promise.resolve().then(() => to().handleSignal(s));
      a = new PeerController(new TestHost(), { sendSignal: deliver(() => b) });
      b = new PeerController(new TestHost(), { sendSignal: deliver(() => a) });
      a.start({ polite: false, iceServers: [], localStream: streamA });
      b.start({ polite: true, iceServers: [], localStream: streamB });
      try {
        await waitUntil(() => a.connectionState === 'connected' && b.connectionState === 'connected', '', { timeout: 8000 });
        if (a.remoteStream!.getVideoTracks().length !== 1 || b.remoteStream!.getVideoTracks().length !== 1) {
          failures.push(`run ${run}: connected without both videos`);
        }
      } catch {
        failures.push(`run ${run}: a=${a.connectionState} b=${b.connectionState}`);
      }
      a.close();
      b.close();
    }
    expect(failures).to.deep.equal([]);
  });

  it('ignores candidates when there is no call (late ones of an ended call)', async () => {
    const pc = new PeerController(new TestHost(), { sendSignal: () => {} });
    await pc.handleSignal({ kind: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0' } });
    expect(pc.pendingCandidateCount).to.equal(0);
  });

  it('close() is idempotent and forgets buffered candidates', async () => {
    const pc = new PeerController(new TestHost(), { sendSignal: () => {} });
    pc.start({ polite: false, iceServers: [], localStream: null });
    await pc.handleSignal({ kind: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0' } });
    expect(pc.pendingCandidateCount).to.equal(1);
    pc.close();
    pc.close();
    expect(pc.pendingCandidateCount).to.equal(0);
    expect(pc.active).to.equal(false);
    expect(pc.connectionState).to.equal('closed');
  });
});
