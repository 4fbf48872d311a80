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
 * valid only for its room and until its expiry ({@link REJOIN_TOKEN_TTL_SECONDS}). The secret is
 * `REJOIN_SECRET` when set (tokens then survive restarts and work across nodes), otherwise random
 * at start-up (a restart refuses old tokens with `rejoin-invalid`; clients join afresh).
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
}

export interface RejoinTokenOptions {
  /** Clock in ms since the epoch, for tests. */
  now?: () => number;
}

/** Tokens signed with `secret` (`REJOIN_SECRET`), or with a random secret when undefined. */
export function createRejoinTokens(secret: string | undefined, options: RejoinTokenOptions = {}): RejoinTokens {
  const key = secret === undefined ? randomBytes(32) : Buffer.from(secret, 'utf8');
  const now = options.now ?? Date.now;
  const mac = (room: string, body: Buffer) =>
    createHmac('sha256', key).update('rejoin\0').update(room).update('\0').update(body).digest().subarray(0, MAC_BYTES);

  return {
    newPeerId: () => randomBytes(PEER_ID_BYTES).toString('base64url'),
    issue(room, peerId) {
      const body = Buffer.alloc(PEER_ID_BYTES + EXPIRY_BYTES);
      Buffer.from(peerId, 'base64url').copy(body, 0, 0, PEER_ID_BYTES);
      body.writeUInt32BE(Math.floor(now() / 1000) + REJOIN_TOKEN_TTL_SECONDS, PEER_ID_BYTES);
      return Buffer.concat([body, mac(room, body)]).toString('base64url');
    },
    verify(token, room) {
      const bytes = Buffer.from(token, 'base64url');
      if (bytes.length !== TOKEN_BYTES || bytes.toString('base64url') !== token) return undefined;
      const body = bytes.subarray(0, PEER_ID_BYTES + EXPIRY_BYTES);
      if (!timingSafeEqual(bytes.subarray(PEER_ID_BYTES + EXPIRY_BYTES), mac(room, body))) return undefined;
      if (body.readUInt32BE(PEER_ID_BYTES) * 1000 <= now()) return undefined;
      return body.subarray(0, PEER_ID_BYTES).toString('base64url');
    },
  };
}
