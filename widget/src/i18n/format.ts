/**
 * Filling a message's `{param}` placeholders (messages.ts): text as is, numbers written for the
 * language (`Intl.NumberFormat`).
 */

/** A message's params: text (inserted as is) or numbers (formatted for the language). */
export type MessageParams = Readonly<Record<string, string | number>>;

const numberFormats = new Map<string, Intl.NumberFormat>();

/** `n` written for `lang` (e.g. `1 234,5` in French); plain `String(n)` without a usable `lang`. */
function formatNumber(n: number, lang: string | undefined): string {
  if (!lang) return String(n);
  let formatter = numberFormats.get(lang);
  if (!formatter) {
    try {
      formatter = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
    } catch {
      return String(n); // not a valid language tag
    }
    numberFormats.set(lang, formatter);
  }
  return formatter.format(n);
}

/**
 * `template` with each `{name}` replaced by `params[name]` (letters, digits, `_`), in one pass:
 * a value that contains `{…}` stays as it is. A missing param gives ''. Numbers are written with
 * `Intl.NumberFormat(lang)` when `lang` is given. Other braces are left alone.
 */
export function format(template: string, params: MessageParams = {}, lang?: string): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    if (!Object.hasOwn(params, name)) return '';
    const value = params[name];
    return typeof value === 'number' ? formatNumber(value, lang) : String(value ?? '');
  });
}
