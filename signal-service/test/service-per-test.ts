/**
 * A fresh real service for every test of a file (its defaults: rooms of two, default rate
 * limits), and two members in one of its rooms.
 */
import { afterEach, beforeEach } from 'node:test';
import type { SignalService } from '../src/server.js';
import { join, nextEvent, TestContext, type ClientSocket } from './helpers.js';

/**
 * Registers `beforeEach` and `afterEach` hooks that start a service in a new TestContext before
 * each test and close both after it. Read `ctx` and `service` inside tests (they change per
 * test); `pair(room)` joins Ann and Bob to `room` (default `r1`) of that service.
 */
export function servicePerTest() {
  let ctx: TestContext;
  let service: SignalService;
  beforeEach(async () => {
    ctx = new TestContext();
    service = await ctx.server();
  });
  afterEach(() => ctx.close());
  return {
    get ctx() {
      return ctx;
    },
    get service() {
      return service;
    },
    pair: (room?: string) => joinedPair(ctx, service.url, room),
  };
}

/**
 * Two real socket.io clients in one room of the service at `url`, named Ann and Bob: `a` joined
 * first and has seen `b` join (`room:peer-joined`). Returns both sockets and both join answers.
 */
export async function joinedPair(ctx: TestContext, url: string, room = 'r1') {
  const [a, b] = (await ctx.clients(url, 2)) as [ClientSocket, ClientSocket];
  const aJoin = await join(a, room, 'Ann');
  const aSeesB = nextEvent(a, 'room:peer-joined');
  const bJoin = await join(b, room, 'Bob');
  await aSeesB;
  return { a, b, aJoin, bJoin };
}
