/**
 * The next event of a name, typed from the page's event maps: the widget's `vc-*` events come
 * with their `detail` types (open-wc's `oneEvent` types every event as `CustomEvent<any>`).
 */
import { oneEvent } from '@open-wc/testing';

/** Resolves with the next `name` event that `target` dispatches. */
export const nextEvent = <K extends keyof HTMLElementEventMap>(target: EventTarget, name: K): Promise<HTMLElementEventMap[K]> =>
  oneEvent<HTMLElementEventMap[K]>(target, name);
