/**
 * <video-call> in real headless Chromium with a fake camera, with the real signal service
 * (started by web-test-runner.config.mjs): two elements join, call, ring, accept, hang up; the
 * connections made while a call waits; when `calling` renders; names as text; a full room; an
 * element removed from the page. Rendering, configuration and failures: video-call.test.ts.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/index.js';
import type { VideoCall } from '../src/video-call.js';
import { nextEvent } from './next-event.js';
import { replaceMethod } from './replace-method.js';
import { part, recordStates, serviceUrl, statusText, uniqueRoom, waitForState } from './states.js';

/** Ann and Ben, two elements in a fresh room of the real service (not started); `benAnswers`: Ben has `auto-answer`. */
async function annAndBen(benAnswers = false): Promise<[VideoCall, VideoCall]> {
  const room = uniqueRoom();
  const container = await fixture<HTMLDivElement>(html`
    <div>
      <video-call room=${room} signaling-url=${serviceUrl} name="Ann"></video-call>
      <video-call room=${room} signaling-url=${serviceUrl} name="Ben" ?auto-answer=${benAnswers}></video-call>
    </div>
  `);
  return [...container.querySelectorAll('video-call')] as [VideoCall, VideoCall];
}

describe('<video-call> with the real signal service', () => {
  it('two elements join; one calls, the other rings and accepts; hang up; call again', async () => {
    const [ann, ben] = await annAndBen();
    const annStates = recordStates(ann);
    const benStates = recordStates(ben);
    const benJoined = nextEvent(ann, 'vc-peer-joined');

    await ann.start();
    expect(ann.state).to.equal('waiting');
    await ann.updateComplete;
    expect(statusText(ann)).to.contain('Waiting for someone');
    expect((part(ann, 'call-button') as HTMLButtonElement).disabled).to.equal(true);

    await ben.start();
    expect(ben.state).to.equal('ready');
    expect((await benJoined).detail.name).to.equal('Ben');
    await waitForState(ann, 'ready');
    await ann.updateComplete;
    expect((part(ann, 'call-button') as HTMLButtonElement).disabled).to.equal(false);
    expect(statusText(ann)).to.contain('Ben is here');

    const incoming = nextEvent(ben, 'vc-incoming-call');
    await ann.call();
    expect(ann.state).to.equal('calling');
    expect((await incoming).detail.name).to.equal('Ann');
    expect(ben.state).to.equal('incoming');
    await ben.updateComplete;
    expect(statusText(ben)).to.contain('Ann is calling you');
    expect(part(ben, 'accept-button')!.textContent.trim()).to.equal('Accept');
    expect(part(ben, 'decline-button')!.textContent.trim()).to.equal('Decline');
    await ann.updateComplete;
    expect(part(ann, 'cancel-button')!.textContent.trim()).to.equal('Cancel');
    part(ben, 'accept-button')!.click();
    await waitForState(ann, 'connected');
    await waitForState(ben, 'connected');
    expect(annStates.slice(0, 5)).to.deep.equal(['acquiring-media', 'joining', 'waiting', 'ready', 'calling']);
    expect(annStates.at(-1)).to.equal('connected');
    expect(benStates.slice(0, 4)).to.deep.equal(['acquiring-media', 'joining', 'ready', 'incoming']);
    expect(benStates.at(-1)).to.equal('connected');
    await ann.updateComplete;
    expect(statusText(ann)).to.contain('In a call with Ben');
    expect(part(ann, 'hang-up-button')).to.be.instanceOf(HTMLElement);

    const ended = nextEvent(ann, 'vc-call-ended');
    ben.hangUp();
    expect(ben.state).to.equal('ended');
    expect((await ended).detail.reason).to.equal('remote-hang-up');
    await waitForState(ann, 'ended');
    await ann.updateComplete;
    expect(statusText(ann)).to.contain('Ben ended the call');

    ben.addEventListener('vc-incoming-call', () => ben.accept(), { once: true });
    await ann.call();
    await waitForState(ben, 'connected');
    await waitForState(ann, 'connected');

    const benLeft = nextEvent(ann, 'vc-peer-left');
    ben.leave();
    expect((await benLeft).detail.name).to.equal('Ben');
    await waitForState(ann, 'waiting');
    expect(ben.state).to.equal('idle');
    ann.leave();
  });

  it('makes each call’s connections while it waits (none on the set-up path), and closes them when it leaves', async () => {
    const Original = window.RTCPeerConnection;
    const made: RTCPeerConnection[] = [];
    window.RTCPeerConnection = class extends Original {
      constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
        super(...args);
        made.push(this);
      }
    };
    try {
      const [ann, ben] = await annAndBen(true);
      await ann.start();
      await ben.start();
      await waitForState(ann, 'ready');
      await waitUntil(() => made.length === 2, 'a spare connection on each side once the ICE servers are known');
      for (let round = 1; round <= 2; round++) {
        await ann.call();
        await waitForState(ann, 'connected');
        await waitForState(ben, 'connected');
        expect(made.length, `call ${round}: the spares, no new connection`).to.equal(2 * round);
        expect(made.slice(-2).every((pc) => pc.connectionState === 'connected')).to.equal(true);
        ann.hangUp();
        await waitForState(ben, 'ended');
        await waitUntil(() => made.length === 2 * round + 2, 'new spares after the call');
      }
      ann.leave();
      ben.leave();
      expect(made.map((pc) => pc.signalingState)).to.deep.equal(made.map(() => 'closed'));
    } finally {
      window.RTCPeerConnection = Original;
    }
  });

  it('call() renders "calling" once its offer is set (the render waits for it), and at most 150 ms later if it is not', async () => {
    const [ann, ben] = await annAndBen();
    await ann.start();
    await ben.start();
    await waitForState(ann, 'ready');
    const described: RTCSessionDescription[] = [];
    let hold = false;
    const restore = replaceMethod(
      RTCPeerConnection.prototype,
      'setLocalDescription',
      (original) =>
        function (this: RTCPeerConnection, description?: RTCLocalSessionDescriptionInit) {
          // While `hold`, the offer is never set: the view must not wait for it forever.
          if (hold) return new Promise<void>(() => {});
          const set = Reflect.apply(original, this, [description]) as Promise<void>;
          return set.then(() => void (this.localDescription && described.push(this.localDescription)));
        },
    );
    try {
      await ann.call();
      await ann.updateComplete;
      expect(statusText(ann)).to.contain('Calling');
      expect(
        described.filter((d) => d.type === 'offer'),
        'the offer was set before that render',
      ).to.have.length(1);
      ann.hangUp();
      await waitForState(ann, 'ended');
      await waitForState(ben, 'ended');

      hold = true;
      await ann.call();
      const calledAt = performance.now();
      await ann.updateComplete;
      expect(performance.now() - calledAt, 'the render did not wait for an offer that never comes').to.be.below(1000);
      expect(statusText(ann)).to.contain('Calling');
    } finally {
      restore();
      ann.leave();
      ben.leave();
    }
  });

  it('while it rings with its connection up, the tile is laid out hidden; accepting reveals that same <video>', async () => {
    const [ann, ben] = await annAndBen();
    await ann.start();
    await ben.start();
    await waitForState(ann, 'ready');
    await ann.call();
    await waitForState(ben, 'incoming');
    // ICE and DTLS finish while it rings: then Ben's tile of Ann is laid out, hidden, its video bound.
    const pendingTile = () => ben.shadowRoot!.querySelector<HTMLElement>('.tile.pending');
    await waitUntil(() => pendingTile()?.dataset.status === 'connected', 'Ben’s pending tile of Ann, connected');
    const tile = pendingTile()!;
    expect(tile.hasAttribute('part'), 'not a participant’s tile yet').to.equal(false);
    const video = part(ben, 'remote-video') as HTMLVideoElement;
    expect(tile.checkVisibility({ visibilityProperty: true }), 'hidden while it rings').to.equal(false);
    expect(video.getBoundingClientRect().width, 'laid out').to.be.above(0);
    expect(video.srcObject).to.be.instanceOf(MediaStream);
    expect(ben.state).to.equal('incoming');
    expect(part(ben, 'placeholder')!.hidden, 'the ringing screen stays').to.equal(false);

    ben.accept();
    await waitForState(ben, 'connected');
    await ben.updateComplete;
    expect(part(ben, 'remote-video'), 'the same element').to.equal(video);
    expect(part(ben, 'tile'), 'now a tile').to.equal(tile);
    expect(video.checkVisibility({ visibilityProperty: true }), 'shown once accepted').to.equal(true);
    await waitUntil(() => video.videoWidth > 0 && video.readyState >= 2, 'Ann’s video plays at Ben’s', { timeout: 10000 });
    ann.leave();
    ben.leave();
  });

  it('shows a peer’s name holding HTML as text, never as markup', async () => {
    const room = uniqueRoom();
    const evil = '<img src=x onerror="window.__pwned=1"><b>Eve</b>';
    const container = await fixture<HTMLDivElement>(html`
      <div>
        <video-call room=${room} signaling-url=${serviceUrl}></video-call>
        <video-call room=${room} signaling-url=${serviceUrl} name=${evil}></video-call>
      </div>
    `);
    const [viewer, eve] = [...container.querySelectorAll('video-call')] as [VideoCall, VideoCall];
    await viewer.start();
    await eve.start();
    await waitForState(viewer, 'ready');
    await viewer.updateComplete;
    expect(statusText(viewer)).to.contain(evil);
    expect(viewer.shadowRoot!.querySelector('img, b')).to.equal(null);
    expect((window as unknown as { __pwned?: number }).__pwned).to.equal(undefined);
    viewer.leave();
    eve.leave();
  });

  it('a third element gets "full" and the service still counts two', async () => {
    const room = uniqueRoom();
    const container = await fixture<HTMLDivElement>(html`
      <div>
        <video-call room=${room} signaling-url=${serviceUrl}></video-call>
        <video-call room=${room} signaling-url=${serviceUrl}></video-call>
        <video-call room=${room} signaling-url=${serviceUrl}></video-call>
      </div>
    `);
    const [a, b, c] = [...container.querySelectorAll('video-call')] as [VideoCall, VideoCall, VideoCall];
    await a.start();
    await b.start();
    const errorEvent = nextEvent(c, 'vc-error');
    await c.start();
    expect((await errorEvent).detail.code).to.equal('room-full');
    expect(c.state).to.equal('full');
    await c.updateComplete;
    expect(statusText(c)).to.contain('full');
    expect(a.state).to.equal('ready');
    [a, b, c].forEach((el) => el.leave());
  });

  it('removing the element from the page stops the camera and leaves the room', async () => {
    const room = uniqueRoom();
    const container = await fixture<HTMLDivElement>(html`
      <div>
        <video-call room=${room} signaling-url=${serviceUrl}></video-call>
        <video-call room=${room} signaling-url=${serviceUrl}></video-call>
      </div>
    `);
    const [stay, go] = [...container.querySelectorAll('video-call')] as [VideoCall, VideoCall];
    await stay.start();
    await go.start();
    const localVideo = part(go, 'local-video') as HTMLVideoElement;
    await go.updateComplete;
    const tracks = (localVideo.srcObject as MediaStream).getTracks();
    expect(tracks.every((t) => t.readyState === 'live')).to.equal(true);
    go.remove();
    expect(tracks.every((t) => t.readyState === 'ended')).to.equal(true);
    await waitForState(stay, 'waiting');
    stay.leave();
  });
});
