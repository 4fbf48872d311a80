/**
 * Where the key of the rejoin tokens (rejoin-tokens.ts) comes from, first match wins:
 *
 * 1. `REJOIN_SECRET`, when set: the operator's choice, on every node.
 * 2. `REDIS_URL`: one secret stored in Redis, agreed on by every node (redis/rejoin-secret.ts).
 * 3. The state directory (`STATE_DIR`, state-dir.ts): a secret made at the first start and read
 *    at every later one. A secret file or directory that must not be used stops the start with a
 *    ConfigError; a directory that cannot be created or written (read-only file system, no
 *    permission) falls back to 4 with a warning.
 * 4. A random key for this process only (also when the configuration names no state directory,
 *    as a hand-made Config may): a restart then ends calls (`rejoin-invalid`, clients join afresh).
 *
 * 1 to 3 survive restarts: members take their places back and calls go on.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { ConfigError, type Config } from './config.js';
import { createRejoinTokens, type RejoinTokens } from './rejoin-tokens.js';
import { readOrCreateSecret, REJOIN_SECRET_FILE, StateFileError } from './state-dir.js';

/** Which of the sources above signs the tokens. */
export type RejoinKeySource = 'REJOIN_SECRET' | 'redis' | 'state-dir' | 'random';

/** The part of a Redis node this needs (redis/index.ts). */
export interface SharedSecretHolder {
  /** Rejects only when Redis holds something else than a secret (redis/rejoin-secret.ts). */
  shareRejoinSecret(tokens: RejoinTokens): Promise<void>;
}

/**
 * The rejoin tokens of a service started with `config` (see the file comment); `redis` is the
 * service's Redis node when it shares rooms. Logs the source at info (a fallback at warn).
 * @throws ConfigError for a state file or a shared secret that must not be used.
 */
export async function rejoinTokensFor(
  config: Pick<Config, 'rejoinSecret' | 'stateDir'>,
  logger: Logger,
  redis?: SharedSecretHolder,
): Promise<{ tokens: RejoinTokens; source: RejoinKeySource }> {
  if (config.rejoinSecret !== undefined) {
    logger.info({ rejoinSecret: 'REJOIN_SECRET' }, 'rejoin tokens signed with REJOIN_SECRET');
    return { tokens: createRejoinTokens(config.rejoinSecret), source: 'REJOIN_SECRET' };
  }
  if (redis) {
    const tokens = createRejoinTokens(undefined, { pending: true });
    try {
      await redis.shareRejoinSecret(tokens);
    } catch (error) {
      throw new ConfigError((error as Error).message, { cause: error });
    }
    logger.info({ rejoinSecret: 'redis' }, 'rejoin tokens signed with the secret every node shares in Redis');
    return { tokens, source: 'redis' };
  }
  if (config.stateDir !== undefined) {
    const path = join(config.stateDir, REJOIN_SECRET_FILE);
    try {
      const tokens = createRejoinTokens(await readOrCreateSecret(config.stateDir));
      logger.info({ rejoinSecret: path }, 'rejoin tokens signed with the secret kept in the state directory');
      return { tokens, source: 'state-dir' };
    } catch (error) {
      if (error instanceof StateFileError) throw new ConfigError(error.message, { cause: error });
      if (!(error as NodeJS.ErrnoException).code) throw error;
      logger.warn(
        { rejoinSecret: 'random', stateDir: config.stateDir, error: (error as Error).message },
        'cannot keep the rejoin secret in STATE_DIR: using a random one, so a restart ends the calls in progress. ' +
          'Set STATE_DIR to a directory this user may write, or REJOIN_SECRET.',
      );
    }
  }
  return { tokens: createRejoinTokens(undefined), source: 'random' };
}
