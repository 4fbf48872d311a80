/**
 * Rejoin tokens: the secret that lets a client take its own place back after a reconnection,
 * and nobody else's.
 *
 * At every successful join the service gives the joiner (and only it) a token. Others see only
 * the member's `peerId`, an opaque public identity. A later `room:join` with `rejoin: <token>`
 * comes back as the same `peerId` and, while the old connection is still a member (not yet
 * noticed dead), takes its place and role. Without the token, knowing a `peerId` (or anything else
 * a peer is shown) gets nobody in as that member.
 *
 * Stateless: a token is `peerId (16 bytes) ‖ expiry (uint32, unix seconds) ‖ MAC (16 bytes)`,
 * base64url (48 characters), where MAC = HMAC-SHA-256(secret, "rejoin" ‖ room ‖ peerId ‖ expiry)
 * truncated to 128 bits, compared in constant time. Nothing is stored per member; a token is
 * valid only for its room and until its expiry ({@link REJOIN_TOKEN_TTL_SECONDS}). The secret
 * (rejoin-key.ts) is `REJOIN_SECRET` when set, else one shared through Redis (`REDIS_URL`), else
 * one kept in the state directory (state-dir.ts): tokens survive restarts and work on every node.
 * Only when none of these can be had is it random at start-up (a restart then refuses old tokens
 * with `rejoin-invalid`; clients join afresh).
 *
 * The key can change while the service runs ({@link RejoinTokens.setKey}: the shared key read from
 * Redis once it is reachable); tokens signed with the key before are still accepted.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { REJOIN_TOKEN_TTL_SECONDS } from 'video-call-protocol';

const PEER_ID_BYTES = 16;
const EXPIRY_BYTES = 4;
const MAC_BYTES = 16;
const TOKEN_BYTES = PEER_ID_BYTES + EXPIRY_BYTES + MAC_BYTES;

export interface RejoinTokens {
  /** A fresh random peer id (22 URL-safe characters) for a first join. */
  newPeerId(): string;
  /** The token that lets the holder rejoin `room` as `peerId`, valid for REJOIN_TOKEN_TTL_SECONDS. */
  issue(room: string, peerId: string): string;
  /** The peer id `token` admits to `room`, or undefined when it is malformed, forged, of another room or expired. */
  verify(token: string, room: string): string | undefined;
  /**
   * False while the key is still to come (`pending`: the shared key of Redis not read yet); joins
   * are then answered `unavailable` (room-handlers.ts), so that no token is judged or given out
   * with a key the other nodes do not have.
   */
  readonly ready: boolean;
  /** Signs with `key` from now on (and is ready); tokens of the key before still verify. */
  setKey(key: string | Uint8Array): void;
}

export interface RejoinTokenOptions {
  /** Clock in ms since the epoch, for tests. */
  now?: () => number;
  /** The key comes later through {@link RejoinTokens.setKey}: not ready until then. */
  pending?: boolean;
}

/** A string secret (`REJOIN_SECRET`) is used as its UTF-8 bytes; bytes as they are. */
const keyBytes = (key: string | Uint8Array) => (typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key));

/** Tokens signed with `secret` (`REJOIN_SECRET`, or 32 bytes from rejoin-key.ts), or with a random secret when undefined. */
export function createRejoinTokens(secret: string | Uint8Array | undefined, options: RejoinTokenOptions = {}): RejoinTokens {
  let key = secret === undefined ? randomBytes(32) : keyBytes(secret);
  let previousKey: Buffer | undefined;
  let ready = !options.pending;
  const now = options.now ?? Date.now;
  const mac = (withKey: Buffer, room: string, body: Buffer) =>
    createHmac('sha256', withKey).update('rejoin\0').update(room).update('\0').update(body).digest().subarray(0, MAC_BYTES);

  return {
    newPeerId: () => randomBytes(PEER_ID_BYTES).toString('base64url'),
    issue(room, peerId) {
      const body = Buffer.alloc(PEER_ID_BYTES + EXPIRY_BYTES);
      Buffer.from(peerId, 'base64url').copy(body, 0, 0, PEER_ID_BYTES);
      body.writeUInt32BE(Math.floor(now() / 1000) + REJOIN_TOKEN_TTL_SECONDS, PEER_ID_BYTES);
      return Buffer.concat([body, mac(key, room, body)]).toString('base64url');
    },
    verify(token, room) {
      const bytes = Buffer.from(token, 'base64url');
      if (bytes.length !== TOKEN_BYTES || bytes.toString('base64url') !== token) return undefined;
      const body = bytes.subarray(0, PEER_ID_BYTES + EXPIRY_BYTES);
      const given = bytes.subarray(PEER_ID_BYTES + EXPIRY_BYTES);
      const signed =
        timingSafeEqual(given, mac(key, room, body)) || (previousKey !== undefined && timingSafeEqual(given, mac(previousKey, room, body)));
      if (!signed) return undefined;
      if (body.readUInt32BE(PEER_ID_BYTES) * 1000 <= now()) return undefined;
      return body.subarray(0, PEER_ID_BYTES).toString('base64url');
    },
    get ready() {
      return ready;
    },
    setKey(next) {
      const bytes = keyBytes(next);
      // A key that was never used to sign (pending) is not worth keeping.
      if (!bytes.equals(key)) previousKey = ready ? key : undefined;
      key = bytes;
      ready = true;
    },
  };
}
