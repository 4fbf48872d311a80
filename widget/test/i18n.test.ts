/**
 * <video-call>'s language in real Chromium: from an ancestor's `lang` (also across a shadow
 * root), the document's, its own; following changes at run time; the host page's `strings`;
 * and `vc-error` messages in the page's language with the same code.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../src/index.js';
import type { VideoCall } from '../src/video-call.js';
import { nextEvent } from './next-event.js';

const FR_IDLE = 'Appuyez sur «\u202fDémarrer\u202f» pour allumer votre caméra et rejoindre l’appel.';
const ZH_IDLE = '按“开始”打开摄像头并加入通话。';
const EN_IDLE = 'Press Start to turn on your camera and join the call.';

const status = (el: VideoCall) => el.shadowRoot?.querySelector('[part~="status"]')?.textContent?.trim() ?? '';
async function statusBecomes(el: VideoCall, text: string) {
  await waitUntil(() => status(el) === text, `status "${text}" (is "${status(el)}")`, { timeout: 5000, interval: 20 });
}

describe('<video-call> languages', () => {
  it('speaks the nearest ancestor’s language and follows its changes', async () => {
    const box = await fixture<HTMLDivElement>(html`<div lang="fr"><section><video-call room="r1"></video-call></section></div>`);
    const el = box.querySelector('video-call')!;
    await statusBecomes(el, FR_IDLE);
    expect(el.i18n.lang).to.equal('fr');
    box.setAttribute('lang', 'zh-CN');
    await statusBecomes(el, ZH_IDLE);
    box.setAttribute('lang', 'de'); // not supported: English
    await statusBecomes(el, EN_IDLE);
    box.setAttribute('lang', 'fr-CA');
    await statusBecomes(el, FR_IDLE);
  });

  it('its own lang wins over the ancestors’, and removing it hands back to them', async () => {
    const box = await fixture<HTMLDivElement>(html`<div lang="fr"><video-call room="r1" lang="zh-Hans"></video-call></div>`);
    const el = box.querySelector('video-call')!;
    await statusBecomes(el, ZH_IDLE);
    el.removeAttribute('lang');
    await statusBecomes(el, FR_IDLE);
    el.lang = 'en';
    await statusBecomes(el, EN_IDLE);
  });

  it('finds the language across a shadow root, and follows a change inside it', async () => {
    const host = await fixture<HTMLDivElement>(html`<div lang="zh"></div>`);
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = '<div class="wrapper"><video-call room="r1"></video-call></div>';
    const el = root.querySelector('video-call')!;
    await statusBecomes(el, ZH_IDLE);
    root.querySelector('.wrapper')!.setAttribute('lang', 'fr');
    await statusBecomes(el, FR_IDLE);
  });

  it('falls back to the document’s language', async () => {
    const html0 = document.documentElement;
    const before = html0.getAttribute('lang');
    try {
      html0.setAttribute('lang', 'zh-CN');
      const el = await fixture<VideoCall>(html`<video-call room="r1"></video-call>`);
      await statusBecomes(el, ZH_IDLE);
      html0.setAttribute('lang', 'fr');
      await statusBecomes(el, FR_IDLE);
    } finally {
      if (before === null) html0.removeAttribute('lang');
      else html0.setAttribute('lang', before);
    }
  });

  it('shows the host page’s strings, in any language, and re-renders when they change', async () => {
    const box = await fixture<HTMLDivElement>(html`<div lang="fr"><video-call room="r1"></video-call></div>`);
    const el = box.querySelector('video-call')!;
    await statusBecomes(el, FR_IDLE);
    el.strings = { statusIdle: 'Appuyez sur «\u202fRejoindre\u202f» quand vous êtes prêt.' };
    await statusBecomes(el, 'Appuyez sur «\u202fRejoindre\u202f» quand vous êtes prêt.');
    box.setAttribute('lang', 'zh');
    await waitUntil(() => el.i18n.lang === 'zh', 'Chinese loaded', { timeout: 5000 });
    await el.updateComplete;
    expect(status(el)).to.equal('Appuyez sur «\u202fRejoindre\u202f» quand vous êtes prêt.');
    expect(el.i18n.t('start')).to.equal('开始');
    el.strings = { start: 'Go' };
    await statusBecomes(el, ZH_IDLE);
    expect(el.i18n.t('start')).to.equal('Go');
  });

  it('vc-error says the message in the page’s language, with the same code', async () => {
    const box = await fixture<HTMLDivElement>(html`<div lang="fr"><video-call room="not a valid room!"></video-call></div>`);
    const el = box.querySelector('video-call')!;
    await statusBecomes(el, FR_IDLE);
    const error = nextEvent(el, 'vc-error');
    await el.start();
    const { detail } = await error;
    expect(detail.code).to.equal('missing-room');
    expect(detail.message).to.equal(
      'Aucun salon valide\u202f: renseignez l’attribut room (lettres, chiffres, «\u202f_\u202f», «\u202f.\u202f» ou «\u202f-\u202f»).',
    );
    expect(el.state).to.equal('error');
    expect(status(el)).to.equal(detail.message);
    // The shown error follows a later change of language; the code does not change.
    box.setAttribute('lang', 'zh');
    await statusBecomes(el, '没有有效的房间：请设置 room 属性（字母、数字、“_”、“.”或“-”）。');
    const again = nextEvent(el, 'vc-error');
    await el.start();
    expect((await again).detail).to.deep.equal({ code: 'missing-room', message: status(el) });
  });

  it('loads each language once, shared by every element', async () => {
    const box = await fixture<HTMLDivElement>(
      html`<div lang="fr"><video-call room="r1"></video-call><video-call room="r2"></video-call></div>`,
    );
    const [a, b] = box.querySelectorAll('video-call');
    await statusBecomes(a!, FR_IDLE);
    await statusBecomes(b!, FR_IDLE);
    const fetched = (name: string) =>
      performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname.endsWith(`/i18n/${name}`)).length;
    expect(fetched('fr.ts')).to.equal(1);
    expect(fetched('zh.ts')).to.equal(1);
  });
});
