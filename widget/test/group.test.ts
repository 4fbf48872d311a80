/**
 * Group calls in the browser, four `<video-call>` elements in one page against the service whose
 * rooms hold four: the `participants` API and its event, the tiles (`part="tile"`,
 * `data-participant-id`, `speaking`), the grid in boxes from 320×240 to 1280×800 (every tile
 * inside the stage, none over another, no rounded clip over a video), and axe-core (WCAG 2.2 A/AA)
 * in each group state.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import type { VideoCall } from '../src/video-call.js';
import type { Participant } from '../src/events.js';
import { checkState } from './a11y-check.js';
import { roundedClipsOverVideo } from './rounded-clips.js';
import * as s from './states.js';

const tiles = (el: VideoCall) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="tile"]')];
const tileOf = (el: VideoCall, name: string) => {
  const id = el.participants.find((p) => p.name === name)?.id;
  return tiles(el).find((tile) => tile.dataset.participantId === id) ?? null;
};
/** True when `el` shows a playing video in a tile for each of `names`. */
const playing = (el: VideoCall, names: string[]) =>
  names.every((name) => {
    const video = tileOf(el, name)?.querySelector<HTMLVideoElement>('[part~="remote-video"]');
    return !!video && !video.hidden && video.videoWidth > 0 && video.readyState >= 2;
  });
const overlap = (a: DOMRect, b: DOMRect) =>
  Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left)) * Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
const fmt = (r: DOMRect) => `${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}×${Math.round(r.height)}`;

describe('a group call of four elements', () => {
  let page: s.Mounted;
  let ann: VideoCall, bob: VideoCall, cat: VideoCall, dan: VideoCall;
  const changes: Participant[][] = [];
  before(async function () {
    this.timeout(60_000);
    await setViewport({ width: 1300, height: 1000 });
    page = s.mount(['Ann', 'Bob', 'Cat', 'Dan'], { service: s.groupServiceUrl, box: { width: 420, height: 320 } });
    [ann, bob, cat, dan] = page.els as [VideoCall, VideoCall, VideoCall, VideoCall];
    ann.addEventListener('vc-participants-change', (e) => changes.push(e.detail.participants));
    for (const el of page.els) await s.startTracked(el);
    for (const el of page.els) await waitUntil(() => el.participants.length === 3, `${el.name} sees the three others`, { timeout: 15_000 });
  });
  after(() => page.remove());

  it('participants lists every other member, in join order, and vc-participants-change reports them', () => {
    expect(ann.participants.map((p) => p.name)).to.deep.equal(['Bob', 'Cat', 'Dan']);
    expect(ann.participants[0]).to.deep.equal({
      id: ann.participants[0]!.id,
      name: 'Bob',
      inCall: false,
      microphoneEnabled: true,
      cameraEnabled: true,
      screenSharing: false,
      speaking: false,
    });
    expect(changes.at(-1)?.map((p) => p.name)).to.deep.equal(['Bob', 'Cat', 'Dan']);
    expect(ann.state).to.equal('ready');
  });

  it('ringing several: every other member rings (accessible in both themes)', async function () {
    this.timeout(120_000);
    await ann.call();
    for (const el of [bob, cat, dan]) await s.waitForState(el, 'incoming');
    expect(s.statusText(ann)).to.match(/Calling Bob, Cat(,)? and Dan/);
    await checkState('group: calling three', [ann], ann, page.before[0]!);
    await checkState('group: incoming', [bob], bob, page.before[1]!);
  });

  it('Bob and Cat accept, Dan declines: a call of three, a tile each, Dan may join', async function () {
    this.timeout(120_000);
    bob.accept();
    cat.accept();
    dan.decline();
    await s.waitForState(dan, 'ended');
    for (const [el, others] of [
      [ann, ['Bob', 'Cat']],
      [bob, ['Ann', 'Cat']],
      [cat, ['Ann', 'Bob']],
    ] as const) {
      await s.waitForState(el, 'connected');
      await waitUntil(() => playing(el, [...others]), `${el.name} shows ${others.join(' and ')} playing`, { timeout: 20_000 });
    }
    // Every microphone beeps (one fake device): tiles may ring as they speak.
    expect(tiles(ann).map((tile) => tile.getAttribute('part')!.split(' ')[0])).to.deep.equal(['tile', 'tile']);
    expect(ann.participants.map((p) => [p.name, p.inCall])).to.deep.equal([
      ['Bob', true],
      ['Cat', true],
      ['Dan', false],
    ]);
    expect(s.part(dan, 'call-button')!.textContent.trim()).to.equal('Join');
    expect(dan.participants.filter((p) => p.inCall).map((p) => p.name)).to.deep.equal(['Ann', 'Bob', 'Cat']);
    await checkState('group: connected, three', [ann, bob], ann, page.before[0]!);
    await checkState('group: a call runs, not in it (Join)', [dan], dan, page.before[3]!);
  });

  it('Dan joins: a call of four, every tile plays', async function () {
    this.timeout(120_000);
    await dan.call();
    for (const el of page.els) {
      const others = ['Ann', 'Bob', 'Cat', 'Dan'].filter((n) => n !== el.name);
      await s.waitForState(el, 'connected');
      await waitUntil(() => playing(el, others), `${el.name} shows ${others.join(', ')} playing`, { timeout: 30_000 });
    }
    await checkState('group: connected, four', [ann, dan], ann, page.before[0]!);
  });

  it('the grid fits every box: tiles inside the stage, none over another, each big enough to see', async function () {
    this.timeout(60_000);
    for (const size of [
      { width: 320, height: 240 },
      { width: 390, height: 844 },
      { width: 1280, height: 800 },
    ]) {
      Object.assign(page.boxes[0]!.style, { width: `${size.width}px`, height: `${size.height}px` });
      await s.settle(ann);
      const stage = s.part(ann, 'stage')!.getBoundingClientRect();
      const boxes = tiles(ann).map((tile) => tile.getBoundingClientRect());
      const where = `${size.width}×${size.height}`;
      expect(boxes.length, where).to.equal(3);
      for (const r of boxes) {
        expect(
          r.left >= stage.left - 1 && r.top >= stage.top - 1 && r.right <= stage.right + 1 && r.bottom <= stage.bottom + 1,
          `${where}: tile ${fmt(r)} inside the stage ${fmt(stage)}`,
        ).to.equal(true);
        expect(r.width * r.height, `${where}: tile ${fmt(r)} big enough`).to.be.greaterThan((stage.width * stage.height) / 8);
      }
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++)
          expect(overlap(boxes[i]!, boxes[j]!), `${where}: tiles ${i} and ${j} overlap`).to.be.lessThan(2);
      expect(roundedClipsOverVideo(ann), `${where}: videos under a rounded overflow clip`).to.deep.equal([]);
    }
    Object.assign(page.boxes[0]!.style, { width: '420px', height: '320px' });
  });

  it('the speaking ring follows the one unmuted microphone (the fake microphone beeps)', async function () {
    this.timeout(60_000);
    for (const el of [ann, cat, dan]) el.setMicrophoneEnabled(false);
    await waitUntil(() => tileOf(ann, 'Bob')?.getAttribute('part') === 'tile speaking', 'Bob’s tile rings on Ann’s side', {
      timeout: 15_000,
    });
    expect(ann.participants.find((p) => p.name === 'Bob')!.speaking).to.equal(true);
    await waitUntil(
      () => tileOf(ann, 'Cat')?.getAttribute('part') === 'tile' && tileOf(ann, 'Dan')?.getAttribute('part') === 'tile',
      'the muted ones do not ring',
      { timeout: 5000 },
    );
    await checkState('group: someone speaks', [ann], ann, page.before[0]!);
    bob.setMicrophoneEnabled(false);
    await waitUntil(() => !tiles(ann).some((tile) => tile.getAttribute('part') === 'tile speaking'), 'the ring goes with the voice', {
      timeout: 15_000,
    });
  });

  it('Ann hangs up: the three others go on', async function () {
    this.timeout(60_000);
    ann.hangUp();
    await s.waitForState(ann, 'ended');
    for (const el of [bob, cat, dan]) {
      await waitUntil(() => tiles(el).length === 2, `${el.name} keeps two tiles`, { timeout: 10_000 });
      expect(el.state).to.equal('connected');
    }
    // Ann learns that the call goes on when those in it say so again (`in-call`, sent as her hang-up reaches them).
    await waitUntil(() => s.part(ann, 'call-button')?.textContent.trim() === 'Join', 'Ann is offered to join the call that goes on', {
      timeout: 5000,
    });
  });
});
