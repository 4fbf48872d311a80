/** Turns a node-redis failure into the room store's {@link StoreUnavailableError}. */
import { ClientClosedError, ClientOfflineError } from 'redis';
import { StoreUnavailableError } from '../rooms.js';

/**
 * Runs a Redis call; any failure becomes a StoreUnavailableError whose `maybeApplied` is false
 * only when the command was never sent (client offline or closed).
 */
export async function redisCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    const unsent = error instanceof ClientOfflineError || error instanceof ClientClosedError;
    throw new StoreUnavailableError(!unsent, { cause: error });
  }
}
