/**
 * The rejoin secret shared by every node of a cluster (`REDIS_URL` without `REJOIN_SECRET`), so
 * that a token given out by one node is good at every other and after every restart, with no
 * setting to share.
 *
 * Kept at `<prefix>rejoin-secret` (no expiry) as 64 hex digits (32 random bytes). A node proposes a
 * secret with `SET key value NX GET`, one atomic command (Redis 7): the first proposal ever is
 * stored, and every later one gets the stored value back instead. Every node, first start or not,
 * thus signs with the same key.
 *
 * Whenever the node's command connection is ready again (a Redis outage, a failover, a Redis
 * restarted without persistence), it proposes the key it already uses: a Redis that came back
 * empty gets the cluster's key back from the first node to reconnect, and a node that finds
 * another key there takes it (RejoinTokens still accepts the previous one).
 *
 * Who can read it: whoever can read that Redis database (protect Redis with a password or ACL,
 * as the room store needs anyway).
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { RejoinTokens } from '../rejoin-tokens.js';
import type { CommandClient } from './clients.js';
import { redisCall } from './errors.js';

/** Bytes of a proposed secret. */
const SECRET_BYTES = 32;

/** The Redis key of the shared secret for key prefix `prefix`. */
export const rejoinSecretKey = (prefix: string) => `${prefix}rejoin-secret`;

/** A value at the key that is not a secret this service stored (64 hex digits). */
export class SharedSecretError extends Error {
  override name = 'SharedSecretError';
}

/**
 * Stores `proposal` at `key` unless a secret is there already, atomically, and resolves with the
 * secret that is there now (32 bytes).
 * @throws StoreUnavailableError when Redis cannot be reached (redis/errors.ts).
 * @throws SharedSecretError when the key holds something else than 64 hex digits.
 */
export async function agreeOnSecret(client: CommandClient, key: string, proposal: Buffer): Promise<Buffer> {
  const before = await redisCall(() => client.set(key, proposal.toString('hex'), { condition: 'NX', GET: true }));
  if (before === null) return Buffer.from(proposal);
  const stored = String(before);
  if (!/^[0-9a-f]{64}$/.test(stored)) {
    throw new SharedSecretError(
      `Redis key ${key} does not hold a rejoin secret (64 hex digits): delete it (a node stores a new one) or set REJOIN_SECRET.`,
    );
  }
  return Buffer.from(stored, 'hex');
}

/**
 * Keeps `tokens` signing with the cluster's shared secret (see the file comment): agrees on it now
 * when `connectedNow` (awaited; a SharedSecretError rejects, so that the service does not start;
 * Redis gone meanwhile leaves `tokens` pending), and again at every later `ready` of `client`
 * (failures logged; `tokens` keeps its key).
 */
export async function shareRejoinSecret(
  client: CommandClient,
  options: { prefix: string; tokens: RejoinTokens; logger: Logger; connectedNow: boolean },
): Promise<void> {
  const { tokens, logger } = options;
  const key = rejoinSecretKey(options.prefix);
  let current: Buffer | undefined;
  const agree = async () => {
    const secret = await agreeOnSecret(client, key, current ?? randomBytes(SECRET_BYTES));
    if (current && !secret.equals(current))
      logger.warn({ key }, 'Redis holds another rejoin secret than this node used: using it from now on');
    current = secret;
    tokens.setKey(secret);
  };
  client.on(
    'ready',
    () =>
      void agree().catch((error: unknown) =>
        logger.error({ err: error, key }, 'could not agree on the shared rejoin secret in Redis: keeping the one in use'),
      ),
  );
  if (!options.connectedNow) return;
  await agree().catch((error: unknown) => {
    if (error instanceof SharedSecretError) throw error;
    // Redis went away meanwhile: `tokens` stays pending until the next `ready`.
    logger.warn({ err: error, key }, 'could not read the shared rejoin secret from Redis yet: joins wait for it');
  });
}
