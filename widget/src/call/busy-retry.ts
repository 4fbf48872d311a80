/**
 * When to try a join again that the service refused as busy: `overloaded` (its event loop is
 * late, so it sheds new joins; PROTOCOL.md) or `unavailable` (its room store cannot be reached).
 * Both say "try again in a few seconds", so the widget does, with back-off, for as long as its
 * request timeout allows, before it shows the person an error.
 */

/** The first wait, ms; each later one doubles … */
export const BUSY_RETRY_FIRST_MS = 500;
/** … up to this, ms. */
export const BUSY_RETRY_MAX_MS = 2_000;

/**
 * The wait before try number `attempt + 1` (`attempt` counts the refusals so far, from 0), in ms:
 * 500, 1000, 2000, 2000, …; or `undefined` when, `elapsedMs` after the first try, that wait
 * would end past `timeoutMs` (then the refusal stands).
 */
export function busyRetryDelay(attempt: number, elapsedMs: number, timeoutMs: number): number | undefined {
  const delay = Math.min(BUSY_RETRY_FIRST_MS * 2 ** attempt, BUSY_RETRY_MAX_MS);
  return elapsedMs + delay < timeoutMs ? delay : undefined;
}
