/**
 * Accessibility of `<video-call>` (issue 10): axe-core (WCAG 2.2 A/AA) finds no violation in any
 * state, in a dark and a light host page, with a button hovered and with one focused from the
 * keyboard; toggles keep their name and flip `aria-pressed`; the videos say whose they are; an
 * incoming call, a remote mute, camera off, departure and errors reach a live region.
 */
import { waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import type { VideoCall } from '../src/video-call.js';
import { checkState } from './a11y-check.js';
import * as s from './states.js';

describe('axe-core: no WCAG 2.2 A/AA violation in any state, theme, hover or focus', () => {
  let page: s.Mounted;
  let ann: VideoCall, bob: VideoCall, cat: VideoCall;
  let restoreScreen = () => {};
  before(async function () {
    await setViewport({ width: 1300, height: 1000 });
    page = s.mount(['Ann', 'Bob', 'Cat']);
    [ann, bob, cat] = page.els as [VideoCall, VideoCall, VideoCall];
    await Promise.all(page.els.map(s.settle));
  });
  after(() => {
    s.restoreSignaling();
    restoreScreen();
    page.remove();
  });
  const check = (targets: () => VideoCall[], subject = () => ann, pressed?: () => HTMLElement | null) =>
    async function (this: Mocha.Context) {
      await checkState(this.test!.title, targets(), subject(), page.before[page.els.indexOf(subject())]!, pressed?.());
    };

  it(
    'idle',
    check(() => [ann]),
  );

  it('error (camera refused)', async function () {
    const restore = s.refuseCamera('NotAllowedError');
    const eve = s.mount(['Eve']);
    try {
      await eve.els[0]!.start();
      restore();
      await s.waitForState(eve.els[0]!, 'error');
      await checkState(this.test!.title, eve.els, eve.els[0]!, eve.before[0]!);
    } finally {
      restore();
      eve.remove();
    }
  });

  it('preview (started, alone, camera on)', async function () {
    await s.startTracked(ann);
    await s.waitForState(ann, 'waiting');
    await waitUntil(() => (s.part<HTMLVideoElement>(ann, 'local-video')?.videoWidth ?? 0) > 0, 'own camera showing');
    await check(() => [ann]).call(this);
  });

  it('ready (the other person is here)', async function () {
    await s.startTracked(bob);
    await s.waitForState(ann, 'ready');
    await s.waitForState(bob, 'ready');
    await check(() => [ann, bob]).call(this);
  });

  it('full (a third person)', async function () {
    await cat.start();
    await s.waitForState(cat, 'full');
    await check(
      () => [cat],
      () => cat,
    ).call(this);
  });

  it('calling', async function () {
    cat.leave();
    await s.ring(ann, bob);
    await check(() => [ann]).call(this);
  });

  it(
    'incoming',
    check(
      () => [bob],
      () => bob,
    ),
  );

  it('connected', async function () {
    bob.accept();
    await s.waitForState(ann, 'connected');
    await waitUntil(() => s.remoteVideoPlaying(ann) && s.remoteVideoPlaying(bob), 'both remote videos playing', { timeout: 15000 });
    await check(() => [ann, bob]).call(this);
  });

  it('muted (own microphone off; the other side sees it)', async function () {
    ann.setMicrophoneEnabled(false);
    await waitUntil(() => bob.peer?.microphoneEnabled === false, 'Bob sees Ann muted');
    await s.settle(bob);
    await check(
      () => [ann, bob],
      () => ann,
      () => s.part(ann, 'mic-button'),
    ).call(this);
  });

  it('camera off (own camera off; the other side sees it)', async function () {
    ann.setMicrophoneEnabled(true);
    ann.setCameraEnabled(false);
    await waitUntil(() => bob.peer?.cameraEnabled === false, 'Bob sees Ann’s camera off');
    await s.settle(bob);
    await check(
      () => [ann, bob],
      () => ann,
      () => s.part(ann, 'camera-button'),
    ).call(this);
  });

  it('sharing the screen', async function () {
    ann.setCameraEnabled(true);
    restoreScreen = s.fakeScreenShare();
    await ann.shareScreen();
    await waitUntil(
      () => bob.peer?.screenSharing === true && (s.part<HTMLVideoElement>(bob, 'remote-screen')?.videoWidth ?? 0) > 0,
      'Bob shows Ann’s screen',
      {
        timeout: 10000,
      },
    );
    await check(
      () => [ann, bob],
      () => ann,
      () => s.part(ann, 'share-button'),
    ).call(this);
  });

  it('chat open, one message each way', async function () {
    ann.stopScreenShare();
    restoreScreen();
    for (const el of [ann, bob]) s.part(el, 'chat-button')!.click();
    await waitUntil(() => s.part(ann, 'chat') && s.part(bob, 'chat'), 'both chat panels open');
    ann.sendMessage('Hello Bob');
    bob.sendMessage('Hi Ann, how are you?');
    const count = (el: VideoCall) => el.shadowRoot!.querySelectorAll('[part~="chat-message"]').length;
    await waitUntil(() => count(ann) === 2 && count(bob) === 2, 'two messages on both sides');
    await check(() => [ann, bob]).call(this);
  });

  it('reconnecting (own connection to the service cut; the other side waits)', async function () {
    for (const el of [ann, bob]) s.part(el, 'chat-button')?.click();
    s.cutSignaling(ann);
    await s.waitForState(ann, 'reconnecting');
    await check(() => [ann, bob]).call(this);
  });

  it('ended', async function () {
    s.restoreSignaling();
    await waitUntil(() => ann.state !== 'reconnecting' && bob.state !== 'reconnecting', 'both back', { timeout: 20000 });
    if (ann.state !== 'connected') await s.connect(ann, bob);
    ann.hangUp();
    await s.waitForState(ann, 'ended');
    await s.waitForState(bob, 'ended');
    await check(() => [ann, bob]).call(this);
  });

  it('waiting (the other person left)', async function () {
    bob.leave();
    await s.waitForState(ann, 'waiting');
    await check(() => [ann]).call(this);
  });
});
