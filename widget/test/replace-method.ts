/**
 * Test doubles for browser methods (getUserMedia, getDisplayMedia, Permissions.query,
 * XMLHttpRequest.open), put back exactly as they were.
 */

/**
 * Puts `replace(original)` in place of `target[key]` until the returned function runs. That
 * function puts back exactly what was there: `target`'s own property, or none (so the prototype's
 * method shows through again). `original` is the method that was in effect; a replacement that
 * calls it passes its own `this` (`original.call(this, ...)`).
 */
export function replaceMethod<T extends object, K extends keyof T>(target: T, key: K, replace: (original: T[K]) => T[K]): () => void {
  const own = Object.getOwnPropertyDescriptor(target, key);
  const original = target[key];
  Object.defineProperty(target, key, { value: replace(original), configurable: true, writable: true });
  return () => {
    if (own) Object.defineProperty(target, key, own);
    else Reflect.deleteProperty(target, key);
  };
}
