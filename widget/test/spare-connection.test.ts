/**
 * SpareConnection and its use by a leg, with real RTCPeerConnections: the spare made while no
 * call runs is the connection of the next leg, configured with the leg's settings; a used or
 * closed one is never handed out; a leg opened on it connects and carries media.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { LegController, type LegSignal } from '../src/controllers/leg-controller.js';
import { SpareConnection } from '../src/controllers/spare-connection.js';
import type { StatsEntry } from './stats-entry.js';
import { TestHost } from './test-host.js';

const STUN = [{ urls: 'stun:127.0.0.1:3478' }];
const TURN = [{ urls: 'turn:127.0.0.1:3478', username: '1700000000:alice', credential: 'c2VjcmV0' }];

/** The RTCPeerConnections the page creates from now on (the constructor is wrapped, then restored). */
function countConnections(): { count: () => number; restore: () => void } {
  const Original = window.RTCPeerConnection;
  let count = 0;
  window.RTCPeerConnection = class extends Original {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args);
      count++;
    }
  };
  return { count: () => count, restore: () => void (window.RTCPeerConnection = Original) };
}

/** Video RTP packets `leg` received (W3C webrtc-stats `inbound-rtp`). */
async function videoPacketsReceived(leg: LegController): Promise<number> {
  let received = 0;
  (await leg.getStats())?.forEach(
    (s: StatsEntry) => s.type === 'inbound-rtp' && s.kind === 'video' && (received += s.packetsReceived ?? 0),
  );
  return received;
}

describe('SpareConnection', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((fn) => fn()));

  it('hands out the spare once, configured with the settings it is taken with', () => {
    const spare = new SpareConnection();
    cleanups.push(() => spare.discard());
    const made = countConnections();
    cleanups.push(made.restore);
    spare.prepare({ iceServers: STUN, iceTransportPolicy: 'all' });
    spare.prepare({ iceServers: STUN, iceTransportPolicy: 'all' }); // one is held: no second
    expect(made.count()).to.equal(1);
    expect(spare.ready).to.equal(true);

    const pc = spare.take({ iceServers: TURN, iceTransportPolicy: 'relay' });
    cleanups.push(() => pc.close());
    expect(made.count(), 'the spare, not a new one').to.equal(1);
    expect(spare.ready).to.equal(false);
    const config = pc.getConfiguration();
    expect(config.iceTransportPolicy).to.equal('relay');
    expect(config.iceServers?.map((s) => [s.urls].flat())).to.deep.equal([['turn:127.0.0.1:3478']]);

    const next = spare.take({ iceServers: STUN, iceTransportPolicy: 'all' });
    cleanups.push(() => next.close());
    expect(next).not.to.equal(pc);
    expect(made.count(), 'none held: a new one').to.equal(2);
  });

  it('discard() closes the spare: the next leg gets a new connection', () => {
    const spare = new SpareConnection();
    spare.prepare({ iceServers: [], iceTransportPolicy: 'all' });
    spare.discard();
    expect(spare.ready).to.equal(false);
    const made = countConnections();
    cleanups.push(made.restore);
    const fresh = spare.take({ iceServers: [], iceTransportPolicy: 'all' });
    cleanups.push(() => fresh.close());
    expect(made.count()).to.equal(1);
    expect(fresh.signalingState).to.equal('stable');
  });

  it('a malformed ICE server is refused with the browser’s error when taken, as without a spare', () => {
    const spare = new SpareConnection();
    cleanups.push(() => spare.discard());
    spare.prepare({ iceServers: [], iceTransportPolicy: 'all' });
    expect(() => spare.take({ iceServers: [{ urls: 'http://not-a-stun-url' }], iceTransportPolicy: 'all' })).to.throw();
    expect(spare.ready).to.equal(false);
  });

  it('legs opened on spare connections connect and carry media both ways', async () => {
    const spares = [new SpareConnection(), new SpareConnection()];
    for (const spare of spares) spare.prepare({ iceServers: [], iceTransportPolicy: 'all' });
    const made = countConnections();
    cleanups.push(made.restore);
    const a: LegController = new LegController(new TestHost(), {
      sendSignal: (s: LegSignal) => void Promise.resolve().then(() => b.handleSignal(s)),
    });
    const b: LegController = new LegController(new TestHost(), {
      sendSignal: (s: LegSignal) => void Promise.resolve().then(() => a.handleSignal(s)),
    });
    cleanups.push(() => (a.close(), b.close()));
    const settings = { iceServers: [], iceTransportPolicy: 'all' as const };
    b.open({ polite: true, iceServers: [], offer: false, connection: spares[1]!.take(settings) });
    a.open({ polite: false, iceServers: [], offer: true, connection: spares[0]!.take(settings) });
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    cleanups.push(() => stream.getTracks().forEach((track) => track.stop()));
    a.attach(stream);
    b.attach(stream);
    await waitUntil(() => a.connectionState === 'connected' && b.connectionState === 'connected', 'both connected', { timeout: 10000 });
    await waitUntil(async () => (await videoPacketsReceived(a)) > 0 && (await videoPacketsReceived(b)) > 0, 'video both ways', {
      timeout: 10000,
    });
    expect(made.count(), 'no connection made on the set-up path').to.equal(0);
  });
});
