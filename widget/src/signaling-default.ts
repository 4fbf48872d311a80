/**
 * Where `<video-call>` finds its signal service when it has no `signaling-url`:
 *
 * 1. `<meta name="video-call-signaling-url" content="https://call.example.com">` in the page, for
 *    apps that bundle the widget and place many elements;
 * 2. the origin that served the script-tag build (`video-call.js` from the service itself):
 *    script-tag.ts records it. A bundled copy has no such origin (its URL is the app's), so it
 *    does not guess: without 1 or the attribute, `start()` ends in `missing-signaling-url`.
 */

let scriptOrigin = '';

/** Records the origin that served the script-tag build (script-tag.ts). */
export function setScriptOrigin(origin: string): void {
  scriptOrigin = origin;
}

/** The signal service's URL from the page's meta tag, else the script-tag build's origin, else ''. */
export function defaultSignalingUrl(doc: Document = document): string {
  const meta = doc.querySelector('meta[name="video-call-signaling-url"]')?.getAttribute('content')?.trim();
  return meta || scriptOrigin;
}
