/**
 * Per-socket budgets counted in Redis (rate-limits.ts with a RateLimitStore) against a real
 * redis-server: two nodes draw on one budget; while Redis is down each node counts in memory,
 * neither blocking nor unlimiting; forgetting a socket never fails.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { startRedisServer, type RedisServerProcess } from '../../deploy/test/redis-server.js';
import { connectRedis, type RedisConnections } from '../src/redis/clients.js';
import { SocketRateLimiter } from '../src/rate-limits.js';

let redis: RedisServerProcess;
let c1: RedisConnections;
let c2: RedisConnections;

before(async () => {
  redis = await startRedisServer();
  c1 = connectRedis(redis.url, pino({ level: 'silent' }));
  c2 = connectRedis(redis.url, pino({ level: 'silent' }));
  assert.ok((await c1.connected(2000)) && (await c2.connected(2000)));
});
after(async () => {
  await Promise.all([c1?.close(), c2?.close()]);
  await redis?.stop();
});

describe('SocketRateLimiter on Redis', () => {
  it('shares one budget between two nodes and keeps it in Redis with its window', async () => {
    const budgets = { join: { points: 5, duration: 60 } };
    const a = new SocketRateLimiter(budgets, { redis: c1.command, prefix: 'rl1:' });
    const b = new SocketRateLimiter(budgets, { redis: c2.command, prefix: 'rl1:' });
    const decisions = [];
    for (let i = 0; i < 6; i += 1) decisions.push(await (i % 2 ? b : a).take('join', 'sock1'));
    assert.deepEqual(decisions, ['allow', 'allow', 'allow', 'allow', 'allow', 'refuse']);
    assert.equal(await c1.command.get('rl1:rl:join:sock1'), '6');
    const ttl = await c1.command.pTTL('rl1:rl:join:sock1');
    assert.ok(ttl > 55_000 && ttl <= 60_000, `ttl ${ttl}`);
    assert.equal(await a.take('join', 'sock2'), 'allow', 'budgets are per socket');
    await b.forget('sock1');
    assert.equal(await c1.command.exists('rl1:rl:join:sock1'), 0);
  });

  it('counts in memory while Redis is down, and forget never rejects', async () => {
    const limiter = new SocketRateLimiter({ join: { points: 3, duration: 60 } }, { redis: c1.command, prefix: 'rl2:' });
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const decisions = [];
    for (let i = 0; i < 4; i += 1) decisions.push(await limiter.take('join', 'sock1'));
    assert.deepEqual(decisions, ['allow', 'allow', 'allow', 'refuse']);
    await limiter.forget('sock1');
    await redis.restart();
    for (let i = 0; i < 100 && !(c1.ready && c2.ready); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(await limiter.take('join', 'sock3'), 'allow');
    assert.equal(await c1.command.get('rl2:rl:join:sock3'), '1', 'counted in Redis again');
  });
});
