/**
 * `<video-call>` by keyboard alone (issue 10): Tab and Enter through start, call, cancel, decline,
 * accept and hang up, with focus moved to the first enabled control of the new state whenever the
 * focused button disappears (never dropped to <body>); the shortcuts M (microphone), V (camera)
 * and H (hang up), active only while focus is inside the element and not in a text field, and
 * exposed with `aria-keyshortcuts`. Keys are real key presses (@web/test-runner-commands).
 */
import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { VideoCall } from '../src/video-call.js';
import * as s from './states.js';

const describeFocus = (el: VideoCall) => {
  const inner = el.shadowRoot!.activeElement;
  if (inner) return `<${inner.localName} part="${inner.getAttribute('part') ?? ''}">`;
  const outer = document.activeElement;
  return outer === el ? `${el.name} itself` : `<${outer?.localName ?? 'nothing'}> outside ${el.name}`;
};

/** Focuses the button before `el`, then presses Tab until the `name` part has focus (at most 20 times). */
async function tabTo(el: VideoCall, before: HTMLButtonElement, name: string): Promise<HTMLElement> {
  before.focus();
  const path: string[] = [];
  for (let i = 0; i < 20; i++) {
    await sendKeys({ press: 'Tab' });
    const active = el.shadowRoot!.activeElement as HTMLElement | null;
    if (active?.matches(`[part~="${name}"]`)) return active;
    path.push(describeFocus(el));
  }
  throw new Error(`Tab never reached ${name} in ${el.name} (state ${el.state}); focus went: ${path.join(' → ')}`);
}

/** The first enabled button of the controls row. */
const firstControl = (el: VideoCall) => s.part(el, 'controls')?.querySelector<HTMLButtonElement>('button:not([disabled])') ?? null;

/** Focus is on the first enabled button of `el`'s controls (after the focused button disappeared). */
async function expectFocusOnFirstControl(el: VideoCall, after: string) {
  await s.settle(el);
  const active = el.shadowRoot!.activeElement;
  expect(active, `after ${after}, focus is on ${describeFocus(el)} (state ${el.state})`).to.be.instanceOf(HTMLButtonElement);
  const first = firstControl(el);
  expect(active, `after ${after}, focus is on ${describeFocus(el)}, not the first enabled control ${first?.getAttribute('part')}`).to.equal(
    first,
  );
}

const pressed = (el: VideoCall, name: string) => s.part(el, name)?.getAttribute('aria-pressed');

describe('keyboard only', () => {
  let page: s.Mounted;
  let ann: VideoCall, bob: VideoCall;
  before(async () => {
    page = s.mount(['Ann', 'Bob']);
    [ann, bob] = page.els as [VideoCall, VideoCall];
    await Promise.all(page.els.map(s.settle));
  });
  after(() => page.remove());

  it('Tab into the element, Enter on Start: in the room, focus on the first control', async () => {
    const start = await tabTo(ann, page.before[0]!, 'start-button');
    expect(start, 'Start is the first thing Tab reaches').to.equal(firstControl(ann));
    await sendKeys({ press: 'Enter' });
    await s.waitForState(ann, 'waiting');
    await expectFocusOnFirstControl(ann, 'Start');
  });

  it('Tab to Call, Enter: calling, focus on the first control', async () => {
    await bob.start();
    await s.waitForState(ann, 'ready');
    await tabTo(ann, page.before[0]!, 'call-button');
    await sendKeys({ press: 'Enter' });
    await s.waitForState(ann, 'calling');
    await s.waitForState(bob, 'incoming');
    await expectFocusOnFirstControl(ann, 'Call');
  });

  it('Enter on Cancel: the call ends, focus on the first control', async () => {
    await tabTo(ann, page.before[0]!, 'cancel-button');
    await sendKeys({ press: 'Enter' });
    await s.waitForState(ann, 'ended');
    await expectFocusOnFirstControl(ann, 'Cancel');
  });

  it('Enter on Decline: focus on the first control', async () => {
    await s.waitForState(bob, 'ended');
    await s.ring(ann, bob);
    await tabTo(bob, page.before[1]!, 'decline-button');
    await sendKeys({ press: 'Enter' });
    await s.waitForState(bob, 'ended');
    await expectFocusOnFirstControl(bob, 'Decline');
  });

  it('Enter on Accept: connected, focus on the first control', async () => {
    await s.waitForState(ann, 'ended');
    await s.ring(ann, bob);
    await tabTo(bob, page.before[1]!, 'accept-button');
    await sendKeys({ press: 'Enter' });
    await s.waitForState(bob, 'connected');
    await expectFocusOnFirstControl(bob, 'Accept');
  });

  it('the mic, camera and hang-up buttons carry aria-keyshortcuts M, V and H', async () => {
    await s.waitForState(bob, 'connected');
    expect(
      ['mic-button', 'camera-button', 'hang-up-button'].map((name) => s.part(bob, name)?.getAttribute('aria-keyshortcuts')),
    ).to.deep.equal(['M', 'V', 'H']);
  });

  it('M and V toggle microphone and camera (aria-pressed follows) while focus is inside', async () => {
    await tabTo(bob, page.before[1]!, 'hang-up-button');
    expect([pressed(bob, 'mic-button'), pressed(bob, 'camera-button')]).to.deep.equal(['false', 'false']);
    await sendKeys({ press: 'm' });
    await waitUntil(() => !bob.microphoneEnabled, 'm turned the microphone off', { timeout: 2000 });
    await s.settle(bob);
    expect(pressed(bob, 'mic-button')).to.equal('true');
    await sendKeys({ press: 'v' });
    await waitUntil(() => !bob.cameraEnabled, 'v turned the camera off', { timeout: 2000 });
    await s.settle(bob);
    expect(pressed(bob, 'camera-button')).to.equal('true');
    await sendKeys({ press: 'm' });
    await sendKeys({ press: 'v' });
    await waitUntil(() => bob.microphoneEnabled && bob.cameraEnabled, 'both back on', { timeout: 2000 });
    expect(bob.state).to.equal('connected');
  });

  it('with Control or Alt held, M, V and H are not shortcuts', async () => {
    await tabTo(bob, page.before[1]!, 'hang-up-button');
    for (const [modifier, key] of [
      ['Control', 'm'],
      ['Alt', 'm'],
      ['Control', 'v'],
      ['Alt', 'v'],
      ['Alt', 'h'],
    ]) {
      await sendKeys({ down: modifier! });
      await sendKeys({ press: key! });
      await sendKeys({ up: modifier! });
    }
    await new Promise((resolve) => setTimeout(resolve, 300)); // keys that should do nothing: give them time to do something
    expect([bob.microphoneEnabled, bob.cameraEnabled, bob.state]).to.deep.equal([true, true, 'connected']);
  });

  it('M does nothing while focus is outside the element', async () => {
    (bob.shadowRoot!.activeElement as HTMLElement | null)?.blur();
    expect(document.activeElement).to.equal(document.body);
    await sendKeys({ press: 'm' });
    await sendKeys({ press: 'h' });
    await new Promise((resolve) => setTimeout(resolve, 300)); // a key that should do nothing: give it time to do something
    expect([ann.microphoneEnabled, bob.microphoneEnabled, bob.state]).to.deep.equal([true, true, 'connected']);
  });

  it('in the chat input, m and h are typed, not shortcuts', async () => {
    s.part(bob, 'chat-button')!.click();
    await waitUntil(() => s.part(bob, 'chat-input'), 'the chat panel opened');
    const input = s.part<HTMLInputElement>(bob, 'chat-input')!;
    input.focus();
    await sendKeys({ type: 'mvh' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(input.value).to.equal('mvh');
    expect([bob.microphoneEnabled, bob.cameraEnabled, bob.state]).to.deep.equal([true, true, 'connected']);
    input.value = '';
    s.part(bob, 'chat-button')!.click();
    await waitUntil(() => !s.part(bob, 'chat-input'), 'the chat panel closed');
  });

  it('Enter on Hang up: ended, focus on the first control', async () => {
    await tabTo(bob, page.before[1]!, 'hang-up-button');
    await sendKeys({ press: 'Enter' });
    await s.waitForState(bob, 'ended');
    await expectFocusOnFirstControl(bob, 'Hang up');
  });

  it('the whole call by keyboard: Tab to Call, Enter; the other side accepts; M mutes; H hangs up', async () => {
    await s.waitForState(ann, 'ended');
    await tabTo(ann, page.before[0]!, 'call-button');
    await sendKeys({ press: 'Enter' });
    await s.waitForState(bob, 'incoming');
    bob.accept();
    await s.waitForState(ann, 'connected');
    // Cancel, which had focus, is gone: focus went on within the element.
    await expectFocusOnFirstControl(ann, 'the call was accepted (Cancel gone)');
    await sendKeys({ press: 'm' });
    await waitUntil(() => !ann.microphoneEnabled, 'm muted', { timeout: 2000 });
    await s.settle(ann);
    expect(pressed(ann, 'mic-button')).to.equal('true');
    await sendKeys({ press: 'h' });
    await s.waitForState(ann, 'ended', 3000);
    await expectFocusOnFirstControl(ann, 'H (hang up)');
  });
});
