/**
 * `<video-call>` fits the box its host page gives it (issue 10): in containers of 320×240, 390×844
 * and 1280×800 the element stays inside its container, nothing visible in its shadow DOM spills
 * outside the element, and while connected the remote video takes at least half the element's
 * area, with no rounded clip over a video (rounded-clips.ts). Unsized, it still has a height.
 * Under forced colours the buttons keep a visible edge; with reduced motion nothing animates.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendMouse, setViewport } from '@web/test-runner-commands';
import type { VideoCall } from '../src/video-call.js';
import { roundedClipsOverVideo } from './rounded-clips.js';
import * as s from './states.js';

const SIZES = [
  { width: 320, height: 240 },
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
] as const;

const fmt = (r: DOMRect) => `${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}×${Math.round(r.height)}`;
/** `inner` lies within `outer`, give or take a pixel of rounding. */
const within = (inner: DOMRect, outer: DOMRect) =>
  inner.left >= outer.left - 1 && inner.top >= outer.top - 1 && inner.right <= outer.right + 1 && inner.bottom <= outer.bottom + 1;

/**
 * The visible `[part]` elements of `el` whose box, clipped by their scrolling or clipping
 * ancestors inside the shadow DOM (not by the host), reaches outside the element's box.
 */
function spills(el: VideoCall): string[] {
  const host = el.getBoundingClientRect();
  const out: string[] = [];
  for (const node of el.shadowRoot!.querySelectorAll<HTMLElement>('[part]')) {
    if (!node.checkVisibility({ checkVisibilityCSS: true })) continue;
    let r = node.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    for (let a = node.parentElement; a; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
      const c = a.getBoundingClientRect();
      const left = Math.max(r.left, c.left);
      const top = Math.max(r.top, c.top);
      r = new DOMRect(left, top, Math.max(0, Math.min(r.right, c.right) - left), Math.max(0, Math.min(r.bottom, c.bottom) - top));
    }
    if (r.width === 0 || r.height === 0) continue; // scrolled out of sight
    if (!within(r, host)) out.push(`${node.getAttribute('part')} at ${fmt(r)}`);
  }
  return out;
}

/** Sets the container's size, lets the element lay out, and checks it fits; returns its box. */
async function fitsIn(el: VideoCall, box: HTMLElement, size: { width: number; height: number }, label: string): Promise<DOMRect> {
  box.style.width = `${size.width}px`;
  box.style.height = `${size.height}px`;
  await s.settle(el);
  const host = el.getBoundingClientRect();
  const container = box.getBoundingClientRect();
  const where = `${label} in ${size.width}×${size.height}`;
  expect(within(host, container), `${where}: the element (${fmt(host)}) stays inside its container (${fmt(container)})`).to.equal(true);
  expect(spills(el), `${where}: parts outside the element's box ${fmt(host)}`).to.deep.equal([]);
  return host;
}

/** Every running animation and every transition longer than 10 ms in `el`'s shadow DOM. */
function motion(el: VideoCall): string[] {
  const found = el.shadowRoot!.getAnimations().flatMap((a) => {
    const duration = Number(a.effect?.getComputedTiming().duration ?? 0);
    const target = (a.effect as KeyframeEffect | null)?.target;
    return a.playState === 'running' && duration > 10
      ? [`${a.constructor.name} ${duration} ms on ${target?.getAttribute('part') ?? target?.localName}`]
      : [];
  });
  const seconds = (list: string) =>
    Math.max(0, ...list.split(',').map((t) => (t.trim().endsWith('ms') ? parseFloat(t) / 1000 : parseFloat(t))));
  for (const node of el.shadowRoot!.querySelectorAll<HTMLElement>('*')) {
    const style = getComputedStyle(node);
    const name = node.getAttribute('part') ?? node.getAttribute('class') ?? node.localName;
    if (seconds(style.transitionDuration) > 0.01) found.push(`transition ${style.transitionDuration} on ${name}`);
    if (style.animationName !== 'none' && seconds(style.animationDuration) > 0.01)
      found.push(`animation ${style.animationName} ${style.animationDuration} on ${name}`);
  }
  return found;
}

describe('layout', () => {
  let page: s.Mounted;
  let ann: VideoCall, bob: VideoCall;
  before(async () => {
    await setViewport({ width: 1400, height: 1000 });
    page = s.mount(['Ann', 'Bob'], { box: { width: 320, height: 240 } });
    [ann, bob] = page.els as [VideoCall, VideoCall];
    page.boxes[1]!.style.cssText = 'width:480px;height:400px';
    await Promise.all(page.els.map(s.settle));
  });
  after(async () => {
    await emulateMedia({ reducedMotion: 'no-preference', colorScheme: 'no-preference' });
    page.remove();
  });

  it('unsized in a 600 px wide container, it has a height and keeps to the width', async () => {
    const holder = document.createElement('div');
    holder.style.width = '600px';
    const el = document.createElement('video-call');
    el.setAttribute('room', s.uniqueRoom());
    holder.append(el);
    document.body.append(holder);
    try {
      await s.settle(el);
      const r = el.getBoundingClientRect();
      expect(r.height, 'height').to.be.greaterThan(0);
      expect(r.width, 'width').to.be.within(1, 601);
      expect(spills(el), 'parts outside the element').to.deep.equal([]);
    } finally {
      holder.remove();
    }
  });

  for (const size of SIZES) {
    it(`idle: fits ${size.width}×${size.height}`, async () => {
      await fitsIn(ann, page.boxes[0]!, size, 'idle');
    });
  }

  it('connects a call for the next checks', async () => {
    await s.startPair(ann, bob);
    await s.connect(ann, bob);
  });

  for (const size of SIZES) {
    it(`connected: fits ${size.width}×${size.height}; the remote video covers at least half of it`, async () => {
      const host = await fitsIn(ann, page.boxes[0]!, size, 'connected');
      const video = s.part(ann, 'remote-video')!.getBoundingClientRect();
      const share = (video.width * video.height) / (host.width * host.height);
      expect(share, `remote video ${fmt(video)} in element ${fmt(host)}`).to.be.at.least(0.5);
      expect(roundedClipsOverVideo(ann), 'videos under a rounded overflow clip').to.deep.equal([]);
    });
  }

  it('connected in 320×240: every control is in view (none cut off at the start of the row), at the compact size', async () => {
    await fitsIn(ann, page.boxes[0]!, SIZES[0], 'connected');
    const row = s.part(ann, 'controls')!;
    const box = row.getBoundingClientRect();
    const buttons = [...row.querySelectorAll('button')].filter((b) => b.checkVisibility());
    expect(buttons.length, 'buttons').to.be.at.least(3);
    for (const b of buttons) {
      const r = b.getBoundingClientRect();
      expect(within(r, box), `${b.getAttribute('part')} at ${fmt(r)} inside the controls ${fmt(box)}`).to.equal(true);
      expect(r.height, `${b.getAttribute('part')} height`).to.be.at.most(35);
    }
  });

  for (const size of SIZES) {
    it(`connected with the chat open: fits ${size.width}×${size.height}`, async () => {
      if (!s.part(ann, 'chat')) {
        s.part(ann, 'chat-button')!.click();
        await waitUntil(() => s.part(ann, 'chat'), 'chat open');
        ann.sendMessage('A message long enough to wrap over more than one line in a narrow container, to see where it goes.');
      }
      await fitsIn(ann, page.boxes[0]!, size, 'chat open');
    });
  }

  it('the chat button looks pressed while its panel is open', () => {
    const bg = (name: string) => getComputedStyle(s.part(ann, name)!).backgroundColor;
    expect(s.part(ann, 'chat-button')!.getAttribute('aria-expanded')).to.equal('true');
    expect(bg('chat-button'), 'open chat vs the (not pressed) camera button').to.not.equal(bg('camera-button'));
  });

  it('error in 320×240 and 390×844: the whole status line shows (not cut to two lines)', async () => {
    const lone = s.mount(['Eve'], { box: SIZES[0] });
    const [eve] = lone.els as [VideoCall];
    eve.lang = 'fr';
    const restore = s.refuseCamera();
    try {
      await eve.start().catch(() => {});
      await s.waitForState(eve, 'error');
      for (const size of SIZES.slice(0, 2)) {
        await fitsIn(eve, lone.boxes[0]!, size, 'error');
        const status = s.part(eve, 'status')!;
        expect(status.scrollHeight, `status "${status.textContent}" at ${size.width}×${size.height}`).to.be.at.most(
          status.clientHeight + 1,
        );
      }
    } finally {
      restore();
      lone.remove();
    }
  });

  it('forced colours: every button keeps a visible edge (border or outline)', async function () {
    await emulateMedia({ forcedColors: 'active' });
    await s.settle(ann);
    const emulated = matchMedia('(forced-colors: active)').matches;
    if (!emulated) {
      // The Chromium launcher (puppeteer) ignores forcedColors: check the element's own styles instead.
      const sheets = [...ann.shadowRoot!.adoptedStyleSheets, ...[...ann.shadowRoot!.querySelectorAll('style')].map((n) => n.sheet!)];
      const rules = sheets.flatMap((sheet) => [...sheet.cssRules]);
      const forced = rules.filter((r) => r instanceof CSSMediaRule && r.conditionText.includes('forced-colors'));
      expect(forced.length, 'an @media (forced-colors: active) rule in the element’s styles').to.be.greaterThan(0);
    }
    const edgeless = [...ann.shadowRoot!.querySelectorAll<HTMLButtonElement>('button')]
      .filter((b) => b.checkVisibility())
      .filter((b) => {
        const style = getComputedStyle(b);
        return style.borderTopStyle === 'none' && style.borderBottomStyle === 'none' && style.outlineStyle === 'none';
      })
      .map((b) => b.getAttribute('part'));
    expect(edgeless, `buttons without a border or outline (forced colours ${emulated ? 'emulated' : 'not emulated'})`).to.deep.equal([]);
  });

  it('reduced motion: nothing in the shadow DOM animates or transitions for more than 10 ms (connected, hovered, ringing)', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    await s.settle(ann);
    const first = s.part(ann, 'controls')!.querySelector('button')!.getBoundingClientRect();
    await sendMouse({ type: 'move', position: [Math.round(first.x + first.width / 2), Math.round(first.y + first.height / 2)] });
    expect(motion(ann), 'connected, a button hovered').to.deep.equal([]);
    await sendMouse({ type: 'move', position: [1, 1] });
    ann.hangUp();
    await s.waitForState(bob, 'ended');
    await s.ring(bob, ann);
    expect(motion(ann), 'ringing').to.deep.equal([]);
    expect(motion(bob), 'calling').to.deep.equal([]);
    ann.decline();
  });
});
