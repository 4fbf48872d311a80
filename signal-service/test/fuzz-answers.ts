/**
 * The check every acknowledged answer of the fuzz test (fuzz.test.ts) must pass, and the count of
 * answers by code: `{ ok: true, … }`, or `{ ok: false, error: { code, message } }` with a code the
 * protocol declares, never `internal-error`, and a message without stack frames, paths or file names.
 */
import { ERROR_CODES, type ErrorCode } from 'video-call-protocol';

/** Every code protocol.ts declares; a fuzzer must only ever see these (and never internal-error). */
const KNOWN_CODES: readonly ErrorCode[] = ERROR_CODES;
/** What a message must never contain: stack frames, file names and paths of the service. */
const LEAK = /\n\s*at |node_modules|file:\/\/|\/work\/|\/src\/|\.ts:\d|\.js:\d|Error:/;

/** Answer statistics, and the check every acknowledged answer must pass. */
export class Answers {
  readonly counts = new Map<string, number>();
  readonly problems: string[] = [];

  check(event: string, answer: unknown): void {
    const fail = (why: string) =>
      this.problems.length < 20 && this.problems.push(`${event}: ${why}: ${JSON.stringify(answer)?.slice(0, 300)}`);
    if (answer === null || typeof answer !== 'object') return void fail('not an object');
    const { ok, error } = answer as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
    if (ok === true) return void this.#count('ok');
    if (ok !== false || !error || typeof error !== 'object') return void fail('neither ok nor an error');
    if (!KNOWN_CODES.includes(error.code as ErrorCode)) return void fail('unknown code');
    if (error.code === 'internal-error') fail('internal-error');
    if (typeof error.message !== 'string' || error.message.length === 0) fail('no message');
    else if (LEAK.test(error.message)) fail('message leaks internals');
    this.#count(error.code as string);
  }

  #count(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
}
