/**
 * What a screen reader gets from `<video-call>` (issue 10): toggles keep a fixed accessible name
 * and flip `aria-pressed`; the videos say whose they are; an incoming call is announced
 * assertively; the other person's mute, camera off and departure, and errors, reach a live region.
 * Accessible names are computed by axe-core (the accname algorithm), not guessed from attributes.
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { VideoCall } from '../src/video-call.js';
import { axe } from './axe.js';
import * as s from './states.js';

/** The accessible name of `el` (in any shadow root of the page), as axe-core computes it. */
function accessibleName(el: Element | null): string {
  if (!el) return '(no element)';
  axe.setup(document);
  try {
    return axe.commons.text.accessibleText(el).trim();
  } finally {
    axe.teardown();
  }
}

type Politeness = 'polite' | 'assertive';

/** The live regions a screen reader follows in `el`'s shadow DOM: rendered, not aria-hidden, not `aria-live="off"`. */
function liveRegions(el: VideoCall): { region: HTMLElement; level: Politeness }[] {
  const found = el.shadowRoot!.querySelectorAll<HTMLElement>('[aria-live], [role~="status"], [role~="alert"], [role~="log"]');
  return [...found]
    .map((region) => {
      const live = region.getAttribute('aria-live');
      const level = (live ?? (region.getAttribute('role') === 'alert' ? 'assertive' : 'polite')) as Politeness | 'off';
      return { region, level };
    })
    .filter((r): r is { region: HTMLElement; level: Politeness } => r.level !== 'off')
    .filter(({ region }) => region.checkVisibility() && !region.closest('[aria-hidden="true"]'));
}

const text = (node: Element) => (node.textContent ?? '').replace(/\s+/g, ' ').trim();

/**
 * Runs `act`, then waits until a live region of `el` (of `level`, unless 'any') says something
 * new matching `pattern`. A polite region must have been there before (screen readers do not read
 * a region inserted with its text); `role="alert"` may be inserted with it.
 */
async function expectAnnounced(el: VideoCall, level: Politeness | 'any', pattern: RegExp, act: () => unknown) {
  const before = new Map(liveRegions(el).map(({ region }) => [region, text(region)]));
  await act();
  const heard = () =>
    liveRegions(el).some(({ region, level: l }) => {
      if (level !== 'any' && l !== level) return false;
      const existed = before.has(region) || region.getAttribute('role') === 'alert';
      return existed && text(region) !== before.get(region) && pattern.test(text(region));
    });
  try {
    await waitUntil(heard, '', { timeout: 5000, interval: 20 });
  } catch {
    const now = liveRegions(el).map(
      ({ region, level: l }) => `${l} <${region.localName} part="${region.getAttribute('part') ?? ''}">: “${text(region)}”`,
    );
    expect.fail(
      `no ${level} live region of ${el.name} announced ${pattern} (state ${el.state}); live regions now:\n  ${now.join('\n  ') || '(none)'}`,
    );
  }
}

/** Expects exactly one live region of `el` to say something matching `pattern` (a screen reader hears it once, not twice). */
function expectSaidOnce(el: VideoCall, pattern: RegExp) {
  const saying = liveRegions(el).filter(({ region }) => pattern.test(text(region)));
  expect(
    saying.map(({ region, level }) => `${level} <${region.localName} part="${region.getAttribute('part') ?? ''}">: “${text(region)}”`),
    `live regions saying ${pattern}`,
  ).to.have.length(1);
}

describe('names, toggles and announcements', () => {
  let page: s.Mounted;
  let ann: VideoCall, bob: VideoCall;
  let restoreScreen = () => {};
  before(async () => {
    page = s.mount(['Ann', 'Bob']);
    [ann, bob] = page.els as [VideoCall, VideoCall];
    await s.startPair(ann, bob);
  });
  after(() => {
    restoreScreen();
    page.remove();
  });

  it('an incoming call is announced assertively, with the caller’s name', async () => {
    await expectAnnounced(bob, 'assertive', /Ann/, () => ann.call());
    expectSaidOnce(bob, /Ann/);
  });

  it('the videos say whose they are', async () => {
    if (bob.state === 'incoming') bob.accept();
    await s.waitForState(ann, 'connected');
    await waitUntil(() => s.remoteVideoPlaying(ann) && s.remoteVideoPlaying(bob), 'both remote videos playing', { timeout: 15000 });
    expect(accessibleName(s.part(ann, 'remote-video')), 'Ann’s remote video').to.contain('Bob');
    expect(accessibleName(s.part(bob, 'remote-video')), 'Bob’s remote video').to.contain('Ann');
    expect(accessibleName(s.part(ann, 'local-video')), 'Ann’s own video').to.not.equal('');
  });

  for (const [toggle, on, off, read] of [
    [
      'mic-button',
      (el: VideoCall) => el.setMicrophoneEnabled(true),
      (el: VideoCall) => el.setMicrophoneEnabled(false),
      (el: VideoCall) => !el.microphoneEnabled,
    ],
    [
      'camera-button',
      (el: VideoCall) => el.setCameraEnabled(true),
      (el: VideoCall) => el.setCameraEnabled(false),
      (el: VideoCall) => !el.cameraEnabled,
    ],
  ] as const) {
    it(`${toggle}: a fixed accessible name; aria-pressed says it is off (API and click)`, async () => {
      const button = () => s.part(ann, toggle)!;
      on(ann);
      await s.settle(ann);
      const name = accessibleName(button());
      expect(name, 'a name').to.not.equal('');
      expect(button().getAttribute('aria-pressed')).to.equal('false');
      off(ann);
      await s.settle(ann);
      expect(read(ann)).to.equal(true);
      expect([accessibleName(button()), button().getAttribute('aria-pressed')]).to.deep.equal([name, 'true']);
      button().click();
      await waitUntil(() => !read(ann), 'the click turned it back on');
      await s.settle(ann);
      expect([accessibleName(button()), button().getAttribute('aria-pressed')]).to.deep.equal([name, 'false']);
    });
  }

  it('share-button: a fixed name, aria-pressed while sharing; the shared screen says whose it is', async () => {
    restoreScreen = s.fakeScreenShare();
    const button = () => s.part(ann, 'share-button')!;
    const name = accessibleName(button());
    expect(name, 'a name').to.not.equal('');
    expect(button().getAttribute('aria-pressed')).to.equal('false');
    await ann.shareScreen();
    await s.settle(ann);
    expect([accessibleName(button()), button().getAttribute('aria-pressed')]).to.deep.equal([name, 'true']);
    await waitUntil(() => bob.peer?.screenSharing === true, 'Bob sees the share');
    await s.settle(bob);
    expect(accessibleName(s.part(bob, 'remote-screen')), 'Bob’s view of the shared screen').to.contain('Ann');
    ann.stopScreenShare();
    await s.settle(ann);
    expect([accessibleName(button()), button().getAttribute('aria-pressed')]).to.deep.equal([name, 'false']);
    restoreScreen();
  });

  it('the other person muting the microphone is announced politely', async () => {
    await expectAnnounced(ann, 'polite', /micro|mute/i, () => bob.setMicrophoneEnabled(false));
  });

  it('the other person turning the camera off is announced politely', async () => {
    await expectAnnounced(ann, 'polite', /camera|video/i, () => bob.setCameraEnabled(false));
  });

  it('a message while the chat is closed is announced, and the chat button names the unread count', async () => {
    await expectAnnounced(ann, 'polite', /Bob.*hello there/i, () => bob.sendMessage('hello there'));
    await s.settle(ann);
    expect(accessibleName(s.part(ann, 'chat-button'))).to.match(/^Chat\W+1 unread$/);
  });

  it('the other person leaving is announced politely', async () => {
    await expectAnnounced(ann, 'polite', /Bob.*(left|leav)|(left|leav).*Bob/i, () => bob.leave());
    await s.settle(ann);
    expectSaidOnce(ann, /Bob.*(left|leav)|(left|leav).*Bob/i);
  });

  it('an error (camera refused) is announced', async () => {
    const restore = s.refuseCamera('NotAllowedError');
    const eve = s.mount(['Eve']);
    try {
      await s.settle(eve.els[0]!);
      await expectAnnounced(eve.els[0]!, 'any', /denied|allow|permission|blocked/i, () => eve.els[0]!.start());
      await s.settle(eve.els[0]!);
      expectSaidOnce(eve.els[0]!, /denied|allow|permission|blocked/i);
    } finally {
      restore();
      eve.remove();
    }
  });
});
