/**
 * A cluster for the multi-node tests: one real redis-server and two processes of the built
 * service (signal-service/dist/main.js, via the e2e harness) sharing it through `REDIS_URL`,
 * plus a Redis client for the test to look at the rooms. `stop()` ends what is still running.
 */
import { createClient } from 'redis';
import { startService, type ServiceProcess } from '../../widget/test/e2e/harness.js';
import { startRedisServer, type RedisServerProcess } from './redis-server.js';

export interface Cluster {
  redis: RedisServerProcess;
  nodes: [ServiceProcess, ServiceProcess];
  /** Members Redis records in `room` (socket ids, sorted). */
  membersInRedis(room: string): Promise<string[]>;
  /** The node id recorded with each member of `room`, in member order. */
  nodesOfMembers(room: string): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * What every node gets. No REJOIN_SECRET: the nodes agree on the one they keep in Redis (the
 * default), so a token from one node is good at the other (multi-node-kill.test.ts checks it).
 */
export const CLUSTER_ENV = {
  // Every test client comes from 127.0.0.1.
  MAX_CONNECTIONS_PER_IP: '100000',
  NEW_CONNECTIONS_PER_IP: '100000',
};

/** Starts redis-server and two nodes on it (`env` added to both). */
export async function startCluster(env: Record<string, string> = {}): Promise<Cluster> {
  const redis = await startRedisServer();
  const nodeEnv = { REDIS_URL: redis.url, ...CLUSTER_ENV, ...env };
  const nodes: [ServiceProcess, ServiceProcess] = await Promise.all([startService(nodeEnv), startService(nodeEnv)]);
  const client = createClient({ url: redis.url });
  await client.connect();
  return {
    redis,
    nodes,
    membersInRedis: async (room) => (await client.hKeys(`vc:room:${room}`)).sort(),
    nodesOfMembers: async (room) => (await client.hVals(`vc:room:${room}`)).map((json) => (JSON.parse(json) as { node: string }).node),
    async stop() {
      await client.close().catch(() => client.destroy());
      await Promise.all(nodes.map((node) => node.stop()));
      await redis.stop();
    },
  };
}
