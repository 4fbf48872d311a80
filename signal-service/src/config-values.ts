/**
 * Parsers of single environment values for config.ts (zod): lists of URLs, whole numbers in a
 * range, yes/no flags and `ALLOWED_ORIGINS`. Each one's message says what a good value looks like;
 * config.ts puts the variable's name in front of it.
 */
import { z } from 'zod';

/** A comma-separated list of URLs that each match `urlPattern` (`what` names the kind in the message). */
export const commaList = (urlPattern: RegExp, what: string) =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .refine((urls) => urls.every((url) => urlPattern.test(url)), `every entry must be a ${what} URL`);

/** A whole number from `min` to `max`, with a default. */
export const wholeNumber = (min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be a whole number from ${min} to ${max}`).max(max, `must be a whole number from ${min} to ${max}`))
    .default(fallback);

/** `true`/`1` or `false`/`0`. */
export const yesNo = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

/**
 * One `ALLOWED_ORIGINS` entry: `scheme://host[:port]` with http or https, nothing after (no path,
 * not even "/", no query, no credentials). Normalized as a browser's `Origin` header writes it:
 * lower-case host, default port dropped (`https://Shop.Example.com:443` → `https://shop.example.com`).
 */
function parseOrigin(entry: string): string | undefined {
  if (!/^https?:\/\/[^/?#@\s]+$/i.test(entry)) return undefined;
  try {
    const url = new URL(entry);
    return url.origin === 'null' ? undefined : url.origin;
  } catch {
    return undefined;
  }
}

/** `ALLOWED_ORIGINS`: a comma-separated list of origins, normalized, without duplicates. */
export const originList = z.string().transform((value, ctx) => {
  const entries = value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (entries.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'must list at least one origin, e.g. https://shop.example.com' });
    return z.NEVER;
  }
  const origins: string[] = [];
  for (const entry of entries) {
    const origin = parseOrigin(entry);
    if (origin === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `"${entry}" is not an origin: write scheme://host[:port] with http or https and no path, e.g. https://shop.example.com`,
      });
      return z.NEVER;
    }
    if (!origins.includes(origin)) origins.push(origin);
  }
  return origins;
});
