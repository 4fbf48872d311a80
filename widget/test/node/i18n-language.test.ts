/**
 * Which language the widget speaks (pure resolution, and the walk up a faked DOM through shadow
 * roots), the host page's overrides, and the catalogs loaded on demand.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadedMessages, loadMessages } from '../../src/i18n/catalogs.js';
import { en } from '../../src/i18n/en.js';
import { fr } from '../../src/i18n/fr.js';
import { enclosingShadowRoots, inheritedLang, matchLanguage, pickLanguage } from '../../src/i18n/language.js';
import { mergeOverrides } from '../../src/i18n/localize-controller.js';
import { zh } from '../../src/i18n/zh.js';

describe('language', () => {
  test('BCP 47 tags map onto the supported languages, anything else onto English', () => {
    const cases: [string, string][] = [
      ['fr', 'fr'],
      ['fr-CA', 'fr'],
      ['FR-be', 'fr'],
      ['fr_CH', 'fr'],
      ['zh', 'zh'],
      ['zh-CN', 'zh'],
      ['zh-Hans', 'zh'],
      ['zh-SG', 'zh'],
      ['zh-Hans-CN', 'zh'],
      ['cmn', 'zh'],
      // Traditional Chinese gets Simplified until a catalog of its own exists.
      ['zh-TW', 'zh'],
      ['zh-Hant', 'zh'],
      ['en', 'en'],
      ['en-GB', 'en'],
      ['de', 'en'],
      ['frr', 'en'],
      ['x-klingon', 'en'],
      ['', 'en'],
    ];
    for (const [tag, lang] of cases) assert.equal(matchLanguage(tag), lang, tag);
  });

  test('the first non-empty candidate decides, supported or not', () => {
    assert.equal(pickLanguage(['fr-CA', 'zh', 'en']), 'fr');
    assert.equal(pickLanguage([null, undefined, '', '  ', 'zh-CN']), 'zh');
    assert.equal(pickLanguage(['de', 'fr']), 'en'); // a German page: English, not the browser's French
    assert.equal(pickLanguage([]), 'en');
  });

  /** A minimal element/shadow-root tree, as `inheritedLang` reads it. */
  interface FakeNode {
    nodeType: number;
    lang?: string;
    parentElement: FakeNode | null;
    root?: FakeNode;
    host?: FakeNode;
    getAttribute(name: string): string | null;
    getRootNode(): FakeNode;
  }
  const doc: FakeNode = { nodeType: 9, parentElement: null, getAttribute: () => null, getRootNode: () => doc };
  function element(lang: string | null, parent: FakeNode | null, root?: FakeNode): FakeNode {
    const node: FakeNode = {
      nodeType: 1,
      parentElement: parent,
      getAttribute: (name) => (name === 'lang' ? lang : null),
      getRootNode: () => root ?? parent?.getRootNode() ?? doc,
    };
    return node;
  }
  function shadowRoot(host: FakeNode): FakeNode {
    const root: FakeNode = { nodeType: 11, host, parentElement: null, getAttribute: () => null, getRootNode: () => root };
    return root;
  }
  const asElement = (node: FakeNode) => node as unknown as Element;

  test('the element’s own lang, else the nearest ancestor’s, through shadow roots', () => {
    const html = element('en', null);
    const section = element('fr', html);
    const app = element(null, section); // a component whose shadow root holds the widget
    const root = shadowRoot(app);
    const wrapper = element(null, null, root); // top of the shadow tree
    const widget = element(null, wrapper, root);
    assert.equal(inheritedLang(asElement(widget)), 'fr');
    assert.deepEqual(enclosingShadowRoots(asElement(widget)), [root]);
    const own = element('zh-CN', wrapper, root);
    assert.equal(inheritedLang(asElement(own)), 'zh-CN');
    const inner = element('de', null, root); // lang set inside the shadow tree wins over the page's
    assert.equal(inheritedLang(asElement(element(null, inner, root))), 'de');
  });

  test('an empty lang counts as none; no lang anywhere gives null', () => {
    const html = element('fr', null);
    const empty = element('', html);
    assert.equal(inheritedLang(asElement(element(null, empty))), 'fr');
    assert.equal(inheritedLang(asElement(element(null, element(null, null)))), null);
  });
});

describe('overrides (the element’s strings)', () => {
  test('known keys with string values replace the catalog’s; the catalog itself is untouched', () => {
    const merged = mergeOverrides(fr, { start: 'Go', statusIdle: 'Appuyez sur «\u202fGo\u202f».' });
    assert.equal(merged.start, 'Go');
    assert.equal(merged.statusIdle, 'Appuyez sur «\u202fGo\u202f».');
    assert.equal(merged.call, fr.call);
    assert.equal(fr.start, 'Démarrer');
  });

  test('unknown keys, non-string values and non-objects change nothing, with a warning', (t) => {
    const warn = t.mock.method(console, 'warn', () => {});
    const merged = mergeOverrides(en, { strat: 'Go', start: 42, toString: 'x', call: 'Ring' });
    assert.equal(merged.start, 'Start');
    assert.equal(merged.call, 'Ring');
    assert.equal(Object.hasOwn(merged, 'strat'), false);
    assert.match(String(warn.mock.calls[0]?.arguments[0]), /strat, start, toString/);
    assert.equal(mergeOverrides(en, 'start=Go'), en);
    assert.equal(mergeOverrides(en, ['Go']), en);
    assert.equal(mergeOverrides(en, null), en);
    assert.equal(mergeOverrides(en, undefined), en);
    assert.equal(warn.mock.callCount(), 3);
  });
});

describe('catalogs on demand', () => {
  test('English is always there; French and Chinese load once and are shared', async () => {
    assert.equal(loadedMessages('en'), en);
    assert.equal(loadedMessages('fr'), undefined);
    const [first, second] = await Promise.all([loadMessages('fr'), loadMessages('fr')]);
    assert.equal(first, fr);
    assert.equal(second, fr);
    assert.equal(loadedMessages('fr'), fr);
    assert.equal(await loadMessages('zh'), zh);
    assert.equal(await loadMessages('en'), en);
  });
});
