/**
 * Where the service finds what it serves when not told (StartOptions `demoDir`, `widgetFile`):
 *
 * - the widget's script-tag build: `dist/video-call.js` of the `video-call` package (a dependency
 *   of this one; in the repository, the npm workspace link to widget/), found through its
 *   `video-call/script` export; in the repository without that link, widget/dist/video-call.js;
 * - the demo page: `dist/demo/` beside this module in the installed package (`npm run
 *   build:service` copies demo/ there), else the repository's demo/ (running from src/).
 *
 * A path is returned even when nothing is there yet (the widget not built): the routes then
 * answer 404, as before the first build.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The folder of this module: signal-service/src, signal-service/dist, or the package's dist. */
const here = new URL('./', import.meta.url);

/** Absolute path of the widget's `video-call.js` (the self-contained build for script tags). */
export function defaultWidgetFile(): string {
  try {
    return createRequire(import.meta.url).resolve('video-call/script');
  } catch {
    return fileURLToPath(new URL('../../widget/dist/video-call.js', here));
  }
}

/** Absolute path of the demo page's folder (it holds index.html). */
export function defaultDemoDir(): string {
  const packaged = fileURLToPath(new URL('./demo/', here));
  return existsSync(packaged) ? packaged : fileURLToPath(new URL('../../demo/', here));
}
