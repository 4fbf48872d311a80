/**
 * axe-core in the test page: its UMD build, loaded once with a script tag from node_modules (the
 * dev server serves it), for the accessibility tests.
 */
import type * as AxeCore from 'axe-core';

/** axe-core's API, as the UMD build puts it on `window.axe`. */
export type Axe = typeof AxeCore;

/** window.axe, once loaded. */
export const axe = await new Promise<Axe>((resolve, reject) => {
  const loaded = (window as unknown as { axe?: Axe }).axe;
  if (loaded) return resolve(loaded);
  const script = Object.assign(document.createElement('script'), { src: '/node_modules/axe-core/axe.min.js' });
  script.onload = () => resolve((window as unknown as { axe: Axe }).axe);
  script.onerror = () => reject(new Error('axe-core did not load'));
  document.head.append(script);
});
