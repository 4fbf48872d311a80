/**
 * <video-call> in real headless Chromium with a fake camera, against the real signal service
 * (started by web-test-runner.config.mjs): its first render, attributes, how it finds the
 * service, and failures. Calls between two elements: video-call-service.test.ts.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../src/index.js';
import type { VideoCall } from '../src/video-call.js';
import { nextEvent } from './next-event.js';
import { part, recordStates, serviceUrl, statusText, uniqueRoom } from './states.js';

describe('<video-call> rendering', () => {
  it('starts idle with a Start button, the preview, a status line, no Call button and no tile', async () => {
    const el = await fixture<VideoCall>(html`<video-call room="r1"></video-call>`);
    expect(el.state).to.equal('idle');
    expect(part(el, 'start-button')!.textContent.trim()).to.equal('Start');
    expect(part(el, 'local-video')).to.be.instanceOf(HTMLVideoElement);
    // A participant's video comes with their tile, once they are in the call.
    expect(part(el, 'tile')).to.equal(null);
    expect(part(el, 'remote-video')).to.equal(null);
    expect(part(el, 'controls')).to.be.instanceOf(HTMLElement);
    expect(statusText(el)).to.contain('Press Start');
    expect(part(el, 'call-button')).to.equal(null);
    expect(part(el, 'status')!.getAttribute('role')).to.equal('status');
  });

  it('reflects room and reads signaling-url, name and ice-transport-policy', async () => {
    const el = await fixture<VideoCall>(
      html`<video-call room="abc" signaling-url="https://signal.example" name="Ann" ice-transport-policy="relay"></video-call>`,
    );
    expect(el.room).to.equal('abc');
    expect(el.signalingUrl).to.equal('https://signal.example');
    expect(el.name).to.equal('Ann');
    expect(el.iceTransportPolicy).to.equal('relay');
    el.room = 'def';
    await el.updateComplete;
    expect(el.getAttribute('room')).to.equal('def');
  });

  it('rejects call() with InvalidStateError when nobody is there to call', async () => {
    const el = await fixture<VideoCall>(html`<video-call room="r1"></video-call>`);
    let error: unknown;
    await el.call().catch((e: unknown) => (error = e));
    expect((error as DOMException).name).to.equal('InvalidStateError');
    expect(el.state).to.equal('idle');
  });
});

describe('<video-call> signal service address', () => {
  it('a bundled copy without signaling-url does not guess: start() ends in error missing-signaling-url', async () => {
    // These tests import the sources (the bundler build's shape): no script origin is recorded.
    const el = await fixture<VideoCall>(html`<video-call room="r1"></video-call>`);
    const errorEvent = nextEvent(el, 'vc-error');
    await el.start();
    const { detail } = await errorEvent;
    expect(detail.code).to.equal('missing-signaling-url');
    expect(detail.message).to.contain('signaling-url');
    expect(el.state).to.equal('error');
    el.leave();
  });

  it('reads the service from <meta name="video-call-signaling-url"> when the attribute is missing', async () => {
    const meta = Object.assign(document.createElement('meta'), { name: 'video-call-signaling-url', content: serviceUrl });
    document.head.append(meta);
    try {
      const el = await fixture<VideoCall>(html`<video-call room=${uniqueRoom()}></video-call>`);
      await el.start();
      expect(el.state).to.equal('waiting');
      el.leave();
    } finally {
      meta.remove();
    }
  });
});

describe('<video-call> failures', () => {
  const realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  afterEach(() => {
    navigator.mediaDevices.getUserMedia = realGetUserMedia;
  });

  for (const [domName, code, words] of [
    ['NotAllowedError', 'media-permission-denied', 'denied'],
    ['NotFoundError', 'media-not-found', 'No camera'],
    ['NotReadableError', 'media-in-use', 'could not be started'],
  ] as const) {
    it(`getUserMedia ${domName} → error state, vc-error ${code}, readable status, Try again`, async () => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('test', domName));
      const el = await fixture<VideoCall>(html`<video-call room="r1" signaling-url=${serviceUrl}></video-call>`);
      const states = recordStates(el);
      const errorEvent = nextEvent(el, 'vc-error');
      await el.start();
      const { detail } = await errorEvent;
      expect(detail.code).to.equal(code);
      expect(states).to.deep.equal(['acquiring-media', 'error']);
      await el.updateComplete;
      expect(statusText(el)).to.contain(words);
      expect(part(el, 'start-button')!.textContent.trim()).to.equal('Try again');
    });
  }

  it('a missing room is reported as missing-room without touching the camera', async () => {
    let asked = false;
    navigator.mediaDevices.getUserMedia = () => ((asked = true), Promise.reject(new Error('not expected')));
    const el = await fixture<VideoCall>(html`<video-call signaling-url=${serviceUrl}></video-call>`);
    const errorEvent = nextEvent(el, 'vc-error');
    await el.start();
    expect((await errorEvent).detail.code).to.equal('missing-room');
    expect(el.state).to.equal('error');
    expect(asked).to.equal(false);
  });

  it('events bubble and cross the shadow boundary (composed)', async () => {
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    const shadow = host.attachShadow({ mode: 'open' });
    const el = document.createElement('video-call');
    shadow.append(el);
    const seen = nextEvent(document, 'vc-error');
    await el.start();
    expect((await seen).detail.code).to.equal('missing-room');
  });
});
