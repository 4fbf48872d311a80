/**
 * Which language `<video-call>` speaks: the first `lang` found on the element, its ancestors
 * (through shadow roots), the document, then the browser's preferred language; mapped onto the
 * languages it has a catalog for, English otherwise.
 */

/** The languages with a built-in catalog (BCP 47 primary subtags). */
export const SUPPORTED_LANGUAGES = ['en', 'fr', 'zh'] as const;

/** One of {@link SUPPORTED_LANGUAGES}. */
export type Language = (typeof SUPPORTED_LANGUAGES)[number];

/**
 * The supported language for BCP 47 tag `tag` (case-insensitive, `_` taken as `-`): `fr`,
 * `fr-CA`, `fr-BE` … → `fr`; `zh`, `zh-CN`, `zh-Hans`, `zh-SG`, `cmn` … → `zh`, and also `zh-TW`,
 * `zh-HK`, `zh-Hant` (Simplified Chinese until a Traditional catalog exists); anything else → `en`.
 */
export function matchLanguage(tag: string): Language {
  const primary = tag.trim().toLowerCase().replace(/_/g, '-').split('-')[0];
  if (primary === 'fr') return 'fr';
  if (primary === 'zh' || primary === 'cmn') return 'zh';
  return 'en';
}

/**
 * The language for candidate tags in priority order (the element's or nearest ancestor's
 * `lang`, the document's, the browser's): the first non-empty one decides, even when it is not
 * supported (a German page gets English, not the browser's French). None: `en`.
 */
export function pickLanguage(candidates: readonly (string | null | undefined)[]): Language {
  for (const tag of candidates) {
    if (tag && tag.trim()) return matchLanguage(tag);
  }
  return 'en';
}

/**
 * The `lang` that applies to `el`: its own non-empty `lang` attribute, else the nearest
 * ancestor's, walking out of shadow roots to their hosts (`getRootNode().host`); null when
 * none has one (an empty `lang=""` counts as none, so the search goes on).
 */
export function inheritedLang(el: Element): string | null {
  let node: Element | null = el;
  while (node) {
    const lang = node.getAttribute('lang');
    if (lang && lang.trim()) return lang;
    if (node.parentElement) {
      node = node.parentElement;
      continue;
    }
    const root = node.getRootNode();
    node = isShadowRoot(root) ? root.host : null;
  }
  return null;
}

/** The shadow roots `el` is inside, innermost first (the roots to watch for `lang` changes). */
export function enclosingShadowRoots(el: Element): ShadowRoot[] {
  const roots: ShadowRoot[] = [];
  let root = el.getRootNode();
  while (isShadowRoot(root)) {
    roots.push(root);
    root = root.host.getRootNode();
  }
  return roots;
}

/** The language of `el` in this page: {@link inheritedLang}, the document's, then the browser's. */
export function languageOf(el: Element): Language {
  const nav = typeof navigator === 'undefined' ? undefined : navigator;
  return pickLanguage([inheritedLang(el), el.ownerDocument?.documentElement?.lang, nav?.languages?.[0], nav?.language]);
}

/** A shadow root: a document fragment with a host (duck-typed, so node tests can fake a tree). */
function isShadowRoot(node: Node): node is ShadowRoot {
  return node.nodeType === 11 && !!(node as Partial<ShadowRoot>).host;
}
