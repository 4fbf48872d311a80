/**
 * What Safari needs of the widget's `<video>` elements, checked here in Chromium (Safari cannot
 * run on these machines: Debian's WebKitGTK has no WebRTC). In the idle, preview, connected and
 * screen-sharing states:
 * - every `<video>` in the shadow root has `playsinline` (without it, iPhone Safari plays a video
 *   full screen only) and `autoplay` (a MediaStream then plays without a `play()` call);
 * - the local preview is muted, as attribute and as property (Safari autoplays a video without a
 *   user gesture only when it has no sound; and our own microphone must never play back);
 * - the other person's videos are not muted: their sound plays through them.
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { VideoCall } from '../src/video-call.js';
import * as s from './states.js';

/** Checks the attributes above on every `<video>` of `el`; `state` names the case in failures. */
function expectSafariReadyVideos(el: VideoCall, state: string): void {
  const videos = [...el.shadowRoot!.querySelectorAll('video')];
  expect(videos.length, `${state}: videos`).to.be.greaterThan(0);
  for (const video of videos) {
    const name = `${state}: <video part="${video.getAttribute('part')}">`;
    expect(video.hasAttribute('playsinline'), `${name} playsinline attribute`).to.equal(true);
    expect(video.playsInline, `${name} playsInline property`).to.equal(true);
    expect(video.hasAttribute('autoplay'), `${name} autoplay attribute`).to.equal(true);
    expect(video.autoplay, `${name} autoplay property`).to.equal(true);
  }
  const local = s.part<HTMLVideoElement>(el, 'local-video');
  expect(local, `${state}: local preview`).to.be.instanceOf(HTMLVideoElement);
  expect(local!.hasAttribute('muted'), `${state}: local preview muted attribute`).to.equal(true);
  expect(local!.muted, `${state}: local preview muted property`).to.equal(true);
  for (const remote of videos.filter((video) => video !== local)) {
    expect(remote.muted, `${state}: <video part="${remote.getAttribute('part')}"> is not muted`).to.equal(false);
  }
}

describe('Safari: every video plays inline and on its own, the preview is muted', () => {
  let page: s.Mounted;
  let ann: VideoCall;
  let bob: VideoCall;
  let restoreScreen = () => {};
  before(async () => {
    page = s.mount(['Ann', 'Bob']);
    [ann, bob] = page.els as [VideoCall, VideoCall];
    await Promise.all(page.els.map(s.settle));
  });
  after(() => {
    restoreScreen();
    page.remove();
  });

  it('idle', () => {
    expect(ann.state).to.equal('idle');
    expectSafariReadyVideos(ann, 'idle');
  });

  it('preview (started, alone, own camera showing)', async () => {
    await s.startTracked(ann);
    await s.waitForState(ann, 'waiting');
    await waitUntil(() => (s.part<HTMLVideoElement>(ann, 'local-video')?.videoWidth ?? 0) > 0, 'own camera showing');
    expectSafariReadyVideos(ann, 'preview');
  });

  it('connected (both remote videos playing)', async () => {
    await s.startTracked(bob);
    await s.waitForState(ann, 'ready');
    await s.connect(ann, bob);
    expectSafariReadyVideos(ann, 'connected (caller)');
    expectSafariReadyVideos(bob, 'connected (callee)');
  });

  it('connected, the other person sharing a screen', async () => {
    restoreScreen = s.fakeScreenShare();
    await bob.shareScreen();
    await waitUntil(() => (s.part<HTMLVideoElement>(ann, 'remote-screen')?.videoWidth ?? 0) > 0, 'shared screen showing');
    expectSafariReadyVideos(ann, 'screen share (viewer)');
    expectSafariReadyVideos(bob, 'screen share (sharer)');
  });
});
