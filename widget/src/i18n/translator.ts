/**
 * A translate function: message key and params in, the words in one language out. The
 * element's is `el.i18n.t` (its LocalizeController); `createTranslate()` makes a fixed one
 * (tests, defaults), `english` is the fixed English one.
 */
import { en } from './en.js';
import { format, type MessageKey, type MessageParams, type Messages } from './messages.js';

/** Message `key` with its `{params}` filled in, in some language (numbers formatted for it). */
export type Translate = (key: MessageKey, params?: MessageParams) => string;

/** A fixed translate function for catalog `messages` in language `lang` (BCP 47). */
export function createTranslate(messages: Messages, lang: string): Translate {
  return (key, params) => format(messages[key], params, lang);
}

/** English, fixed: the words before an element has its own, and `VideoCallError.message`. */
export const english: Translate = createTranslate(en, 'en');
