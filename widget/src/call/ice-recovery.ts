/**
 * When to restart ICE after a call's media path broke: a pure policy, tested in node.
 *
 * A path that is `disconnected` often heals by itself within a second or two (a Wi-Fi blip), so
 * the first restart waits {@link DISCONNECTED_GRACE_MS}; a `failed` path is restarted at once.
 * The polite side waits {@link POLITE_RESTART_DELAY_MS} longer, so that the impolite side's
 * restart usually goes first and both rarely offer at once (perfect negotiation resolves it when
 * they do). A restart that has not reconnected after {@link ICE_RESTART_TIMEOUT_MS} is followed
 * by another, up to {@link MAX_ICE_RESTARTS}; after the last one the call has failed.
 */

/** ICE `disconnected` for this long (ms) counts as lost. */
export const DISCONNECTED_GRACE_MS = 2_000;
/** The polite side's extra wait before its first restart, in ms. */
export const POLITE_RESTART_DELAY_MS = 3_000;
/** How long one ICE restart may take before the next, in ms. */
export const ICE_RESTART_TIMEOUT_MS = 8_000;
/** Restarts per loss; then the call ends with `call-failed`. */
export const MAX_ICE_RESTARTS = 3;

/** What the policy looks at. */
export interface IceLoss {
  /** `RTCPeerConnection.connectionState` that started the recovery. */
  cause: 'disconnected' | 'failed';
  /** This side's perfect-negotiation role. */
  polite: boolean;
}

/**
 * Milliseconds to wait before ICE restart number `attempt` (0 for the first after a loss), or
 * null when no restart is left and the call has failed.
 */
export function iceRestartDelayMs(attempt: number, loss: IceLoss): number | null {
  if (attempt >= MAX_ICE_RESTARTS) return null;
  if (attempt > 0) return ICE_RESTART_TIMEOUT_MS;
  return (loss.cause === 'failed' ? 0 : DISCONNECTED_GRACE_MS) + (loss.polite ? POLITE_RESTART_DELAY_MS : 0);
}
