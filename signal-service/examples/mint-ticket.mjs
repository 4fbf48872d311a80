#!/usr/bin/env node
/**
 * Mints a room ticket for the video-call signal service, as a host site's backend does.
 *
 *   ROOM_TICKET_SECRET=... node signal-service/examples/mint-ticket.mjs <room> [name] [ttlSeconds] [capacity]
 *
 * Prints the ticket (a JWT signed HS256 with ROOM_TICKET_SECRET) on stdout. Claims: `room`,
 * `exp` = now + ttlSeconds (default 3600), `iat`, `name` when given (the service then shows
 * that name to the other members instead of the one the browser sends), and `capacity` when
 * given (2–6: how many people the room holds when this ticket's holder is the first in it; the
 * service's ROOM_CAPACITY otherwise). Give it to the page of a user you have authenticated,
 * e.g. `<video-call room="…" ticket="…">`.
 *
 * Copy the `mintRoomTicket` function into your backend (npm install jose); it is all there is to it.
 * Keep the secret on the server: anyone who has it can mint tickets for any room.
 */
import { pathToFileURL } from 'node:url';
import { SignJWT } from 'jose';

/**
 * @param {string} secret  ROOM_TICKET_SECRET, the same value as the signal service's (≥ 32 characters)
 * @param {string} room    the room this ticket admits to (1–64 of A–Z a–z 0–9 _ . -)
 * @param {{ name?: string, capacity?: number, ttlSeconds?: number }} [options]
 *   `capacity`: an integer 2–6, the room's capacity if this ticket's holder is its first member
 *   (the first member's ticket fixes it for as long as the room has members); any other value
 *   makes the service refuse the ticket (`ticket-invalid`)
 * @returns {Promise<string>} the ticket
 */
export async function mintRoomTicket(secret, room, { name, capacity, ttlSeconds = 3600 } = {}) {
  const claims = { room, ...(name !== undefined && { name }), ...(capacity !== undefined && { capacity }) };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const [room, name, ttl, cap] = process.argv.slice(2);
  const secret = process.env.ROOM_TICKET_SECRET;
  const ttlSeconds = ttl === undefined || ttl === '' ? 3600 : Number(ttl);
  const capacity = cap === undefined || cap === '' ? undefined : Number(cap);
  const badCapacity = capacity !== undefined && !(Number.isInteger(capacity) && capacity >= 2 && capacity <= 6);
  if (!room || !secret || !Number.isInteger(ttlSeconds) || ttlSeconds <= 0 || badCapacity) {
    process.stderr.write('usage: ROOM_TICKET_SECRET=<secret> node mint-ticket.mjs <room> [name] [ttlSeconds] [capacity 2-6]\n');
    process.exit(2);
  }
  process.stdout.write(`${await mintRoomTicket(secret, room, { name: name || undefined, capacity, ttlSeconds })}\n`);
}
