/**
 * The catalogs by language: English is built in; French and Chinese are each a chunk of their
 * own, fetched with `import()` the first time an element needs them (the entry does not grow by
 * their size). Adding a language: a catalog file like fr.ts, a line in LOADERS, its tag in
 * language.ts (SUPPORTED_LANGUAGES and matchLanguage).
 */
import { en } from './en.js';
import type { Language } from './language.js';
import type { Messages } from './messages.js';

const LOADERS: Record<Exclude<Language, 'en'>, () => Promise<Messages>> = {
  fr: () => import('./fr.js').then((module) => module.fr),
  zh: () => import('./zh.js').then((module) => module.zh),
};

const loaded = new Map<Language, Messages>([['en', en]]);
const loading = new Map<Language, Promise<Messages>>();

/** The catalog of `lang` if it is already here (English always is), else undefined. */
export function loadedMessages(lang: Language): Messages | undefined {
  return loaded.get(lang);
}

/**
 * The catalog of `lang`, fetched once and shared by every element.
 * @throws (as a rejection) when its chunk cannot be fetched; a later call tries again.
 */
export function loadMessages(lang: Language): Promise<Messages> {
  const ready = loaded.get(lang);
  if (ready) return Promise.resolve(ready);
  let pending = loading.get(lang);
  if (!pending) {
    pending = LOADERS[lang as Exclude<Language, 'en'>]()
      .then((messages) => {
        loaded.set(lang, messages);
        return messages;
      })
      .finally(() => loading.delete(lang));
    loading.set(lang, pending);
  }
  return pending;
}
