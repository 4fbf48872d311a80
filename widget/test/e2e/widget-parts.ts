/**
 * Reads the shadow DOM of the first `<video-call>` of a Playwright page, by `part` name.
 */
import type { Page } from 'playwright-core';

/** Whether the element shows a part named `part`. */
export const hasPart = (page: Page, part: string) =>
  page.evaluate((p) => document.querySelector('video-call')!.shadowRoot!.querySelector(`[part~="${p}"]`) !== null, part);
/** The trimmed text of the element's first part named `part`, or null when there is none. */
export const partText = (page: Page, part: string) =>
  page.evaluate(
    (p) => document.querySelector('video-call')!.shadowRoot!.querySelector(`[part~="${p}"]`)?.textContent?.trim() ?? null,
    part,
  );
