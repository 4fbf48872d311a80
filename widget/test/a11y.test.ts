/**
 * Accessibility of `<video-call>` (issue 10): axe-core (WCAG 2.2 A/AA) finds no violation in any
 * state, in a dark and a light host page, with a button hovered and with one focused from the
 * keyboard; toggles keep their name and flip `aria-pressed`; the videos say whose they are; an
 * incoming call, a remote mute, camera off, departure and errors reach a live region.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys, sendMouse, setViewport } from '@web/test-runner-commands';
import type { AxeResults, Result, RunOptions } from 'axe-core';
import type { VideoCall } from '../src/video-call.js';
import { axe } from './axe.js';
import * as s from './states.js';


const AXE_OPTIONS: RunOptions = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
  resultTypes: ['violations'],
};

const THEMES = {
  dark: { colorScheme: 'dark', background: '#111', color: '#eee' },
  light: { colorScheme: 'light', background: '#fff', color: '#111' },
} as const;

/** Sets the host page's theme: its colour scheme (also the emulated preference), background and text. */
async function theme(name: keyof typeof THEMES) {
  const t = THEMES[name];
  await emulateMedia({ colorScheme: t.colorScheme });
  document.documentElement.style.colorScheme = t.colorScheme;
  Object.assign(document.body.style, { background: t.background, color: t.color });
}

/** Resolves when the element's transitions (a hover fading in) have finished, at most 1 s. */
async function transitionsDone(el: VideoCall) {
  await s.settle(el);
  const running = el.shadowRoot!.getAnimations().filter((a) => a instanceof CSSTransition);
  await Promise.race([Promise.all(running.map((a) => a.finished.catch(() => {}))), new Promise((r) => setTimeout(r, 1000))]);
}

/** One violation on one element, in the variants (theme, hover, focus) where it was found. */
interface Finding {
  rule: string;
  target: string;
  summary: string;
  variants: string[];
}

/** Runs axe on `targets` and adds what it finds to `findings` (keyed by rule, element and summary). */
async function axeOn(targets: VideoCall[], variant: string, findings: Map<string, Finding>): Promise<void> {
  const results: AxeResults = await axe.run({ include: targets }, AXE_OPTIONS);
  runs.count++;
  runs.rulesPassed = Math.max(runs.rulesPassed, results.passes.length);
  for (const v of results.violations as Result[]) {
    for (const node of v.nodes) {
      const target = JSON.stringify(node.target);
      const summary = (node.failureSummary ?? '').replace(/\s*\n\s*/g, ' ').replace(/^Fix (any|all) of the following: /, '');
      const key = `${v.id} ${target} ${summary}`;
      const finding = findings.get(key) ?? { rule: `${v.id} (${v.impact})`, target, summary, variants: [] };
      finding.variants.push(variant);
      findings.set(key, finding);
    }
  }
}

/** axe runs in the current state and the most rules passed in one (printed for the closing note). */
const runs = { count: 0, rulesPassed: 0 };

/** One line per violation: rule and impact, element, failure summary, and where it showed. */
const report = (findings: Map<string, Finding>) =>
  [...findings.values()].map((f) => `${f.rule} ${f.target}: ${f.summary} [${f.variants.join('; ')}]`);

/** The first enabled button of the controls row, else of the element. */
const firstButton = (el: VideoCall) =>
  s.part(el, 'controls')?.querySelector<HTMLButtonElement>('button:not([disabled])') ??
  el.shadowRoot!.querySelector<HTMLButtonElement>('button:not([disabled])');

async function hover(target: HTMLElement, el: VideoCall) {
  target.scrollIntoView({ block: 'center' });
  const r = target.getBoundingClientRect();
  await sendMouse({ type: 'move', position: [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)] });
  await transitionsDone(el);
}

async function mouseAway() {
  window.scrollTo(0, 0);
  await sendMouse({ type: 'move', position: [1, 1] });
}

/**
 * axe on `targets` in both themes: as is, with the subject's first button hovered, with the
 * `pressed` toggle hovered and focused, and with focus entering the subject by Tab (:focus-visible).
 * Fails listing every violation found, labelled `label`.
 */
async function checkState(label: string, targets: VideoCall[], subject: VideoCall, before: HTMLButtonElement, pressed?: HTMLElement | null) {
  const findings = new Map<string, Finding>();
  Object.assign(runs, { count: 0, rulesPassed: 0 });
  for (const name of ['dark', 'light'] as const) {
    await theme(name);
    await mouseAway();
    await Promise.all(targets.map(transitionsDone));
    await axeOn(targets, name, findings);
    const first = firstButton(subject);
    if (first) {
      await hover(first, subject);
      await axeOn(targets, `${name} hover ${partName(first)}`, findings);
    }
    if (pressed) {
      await hover(pressed, subject);
      await axeOn(targets, `${name} hover pressed ${partName(pressed)}`, findings);
    }
    await mouseAway();
    before.focus();
    await sendKeys({ press: 'Tab' });
    await transitionsDone(subject);
    const focused = subject.shadowRoot!.activeElement;
    await axeOn(targets, `${name} Tab-focus ${focused ? partName(focused) : 'nothing inside'}`, findings);
    if (pressed) {
      pressed.focus();
      await transitionsDone(subject);
      await axeOn(targets, `${name} focus pressed ${partName(pressed)}`, findings);
    }
    (subject.shadowRoot!.activeElement as HTMLElement | null)?.blur();
  }
  const lines = report(findings);
  console.log(`axe ${label}: ${runs.count} runs (dark and light host, hover, focus), ${lines.length} violations, up to ${runs.rulesPassed} rules passed per run`);
  if (lines.length) expect.fail(`${lines.length} axe violation(s) in ${label} (state ${subject.state}):\n${lines.join('\n')}`);
}

/** An element's most specific part name (`mic-button` for `part="button mic-button"`). */
const partName = (el: Element) => el.getAttribute('part')?.split(/\s+/).at(-1) ?? el.localName;

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

  it('idle', check(() => [ann]));

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
    await check(() => [cat], () => cat).call(this);
  });

  it('calling', async function () {
    cat.leave();
    await s.ring(ann, bob);
    await check(() => [ann]).call(this);
  });

  it('incoming', check(() => [bob], () => bob));

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
    await check(() => [ann, bob], () => ann, () => s.part(ann, 'mic-button')).call(this);
  });

  it('camera off (own camera off; the other side sees it)', async function () {
    ann.setMicrophoneEnabled(true);
    ann.setCameraEnabled(false);
    await waitUntil(() => bob.peer?.cameraEnabled === false, 'Bob sees Ann’s camera off');
    await s.settle(bob);
    await check(() => [ann, bob], () => ann, () => s.part(ann, 'camera-button')).call(this);
  });

  it('sharing the screen', async function () {
    ann.setCameraEnabled(true);
    restoreScreen = s.fakeScreenShare();
    await ann.shareScreen();
    await waitUntil(() => bob.peer?.screenSharing === true && (s.part<HTMLVideoElement>(bob, 'remote-screen')?.videoWidth ?? 0) > 0, 'Bob shows Ann’s screen', {
      timeout: 10000,
    });
    await check(() => [ann, bob], () => ann, () => s.part(ann, 'share-button')).call(this);
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
