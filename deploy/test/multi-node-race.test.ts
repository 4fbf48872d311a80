/**
 * The capacity race across nodes: two service processes sharing one redis-server, with room
 * tickets (ROOM_TICKET_SECRET) and the default ROOM_CAPACITY of 2. Fresh clients, half on each
 * node, join one fresh room at the same moment:
 * - rooms of two (tickets without a `capacity` claim): 500 rounds of 4 joiners; every round
 *   answers exactly 2 `ok` and 2 `room-full`;
 * - rooms of five (tickets claiming `capacity: 5`): 300 rounds; even rounds, 8 joiners at once;
 *   odd rounds, a first member seated with its claim of 5, then 7 joiners at once whose tickets
 *   claim 6 (the first member's claim holds: 4 more get in). Every round the sixth join and those
 *   after it get `room-full`.
 * Redis must hold exactly the members admitted, and the room's capacity. Prints the timing of the
 * join phase (first emit to last answer) of each kind.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createClient } from 'redis';
import { mintRoomTicket } from '../../signal-service/examples/mint-ticket.mjs';
import { connectClient, rawRequest, type ClientSocket } from '../../signal-service/test/helpers.js';
import { startCluster, type Cluster } from './multi-node.js';

const ROUNDS_OF_TWO = 500;
const ROUNDS_OF_FIVE = 300;
const SECRET = 'multi-node-race-room-ticket-secret-0123456789';

let cluster: Cluster;
let redis: ReturnType<typeof createClient>;

before(async () => {
  cluster = await startCluster({ ROOM_TICKET_SECRET: SECRET });
  redis = createClient({ url: cluster.redis.url });
  await redis.connect();
});
after(async () => {
  await redis?.close().catch(() => redis.destroy());
  await cluster?.stop();
});

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;

type Answer = { ok: boolean; capacity?: number; error?: { code: string } };

/** Joins every client to `room` at once with its ticket; resolves the answers and the join phase's duration. */
async function joinAtOnce(clients: ClientSocket[], room: string, tickets: string[]): Promise<{ answers: Answer[]; ms: number }> {
  const t0 = performance.now();
  const answers = (await Promise.all(clients.map((c, i) => rawRequest(c, 'room:join', [{ room, ticket: tickets[i] }], 5000)))) as Answer[];
  return { answers, ms: performance.now() - t0 };
}

/** `ok` and error codes, sorted: the outcome of a round whatever the order of the answers. */
const summary = (answers: Answer[]) =>
  answers
    .map((x) => (x.ok ? 'ok' : x.error?.code))
    .sort()
    .join(',');

/** Fresh clients, alternately on each node. */
const clientsOnBothNodes = (count: number) =>
  Promise.all(Array.from({ length: count }, (_, i) => connectClient(cluster.nodes[i % 2]!.url)));

function report(what: string, rounds: number, tally: Map<string, number>, joinMs: number[], started: number) {
  joinMs.sort((x, y) => x - y);
  console.log(
    `capacity race, ${what}: ${rounds} rounds over 2 nodes: ${JSON.stringify(Object.fromEntries(tally))}; ` +
      `join phase median ${percentile(joinMs, 50).toFixed(1)} ms, p95 ${percentile(joinMs, 95).toFixed(1)} ms, ` +
      `max ${joinMs.at(-1)!.toFixed(1)} ms; whole test ${((performance.now() - started) / 1000).toFixed(1)} s (connects and closes included)`,
  );
}

describe('two nodes on one Redis: the capacity race', () => {
  test(`${ROUNDS_OF_TWO} rounds of 4 clients joining a room of two at once, over both nodes, never put more than 2 in it`, async () => {
    const joinMs: number[] = [];
    const tally = new Map<string, number>();
    const started = performance.now();
    for (let round = 0; round < ROUNDS_OF_TWO; round += 1) {
      const room = `race-${round}`;
      const ticket = await mintRoomTicket(SECRET, room);
      const clients = await clientsOnBothNodes(4);
      try {
        const { answers, ms } = await joinAtOnce(clients, room, Array<string>(4).fill(ticket));
        joinMs.push(ms);
        const outcome = summary(answers);
        tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
        assert.equal(outcome, 'ok,ok,room-full,room-full', `round ${round}: ${JSON.stringify(answers)}`);
        assert.ok(answers.every((a) => !a.ok || a.capacity === 2));
        const admitted = clients
          .filter((_, i) => answers[i]!.ok)
          .map((c) => c.id!)
          .sort();
        assert.deepEqual(await cluster.membersInRedis(room), admitted, `round ${round}: Redis holds exactly the two admitted`);
      } finally {
        for (const c of clients) c.close();
      }
    }
    report('rooms of two', ROUNDS_OF_TWO, tally, joinMs, started);
  });

  test(`${ROUNDS_OF_FIVE} rounds of a room of five (ticket claim) taking concurrent joins over both nodes: the sixth is always room-full`, async () => {
    const joinMs: number[] = [];
    const tally = new Map<string, number>();
    const started = performance.now();
    for (let round = 0; round < ROUNDS_OF_FIVE; round += 1) {
      const room = `race5-${round}`;
      const [five, six] = await Promise.all([mintRoomTicket(SECRET, room, { capacity: 5 }), mintRoomTicket(SECRET, room, { capacity: 6 })]);
      const clients = await clientsOnBothNodes(8);
      try {
        let seated: ClientSocket[] = [];
        let racers = clients;
        let tickets = Array<string>(8).fill(five);
        if (round % 2 === 1) {
          // The first member fixes 5; the seven racers' claims of 6 must not raise it.
          const first = (await rawRequest(clients[0]!, 'room:join', [{ room, ticket: five }], 5000)) as Answer;
          assert.equal(first.ok && first.capacity, 5, `round ${round}: ${JSON.stringify(first)}`);
          seated = [clients[0]!];
          racers = clients.slice(1);
          tickets = Array<string>(7).fill(six);
        }
        const { answers, ms } = await joinAtOnce(racers, room, tickets);
        joinMs.push(ms);
        const outcome = `${seated.length ? 'seated+' : ''}${summary(answers)}`;
        tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
        assert.equal(answers.filter((a) => a.ok).length + seated.length, 5, `round ${round}: ${JSON.stringify(answers)}`);
        assert.ok(
          answers.every((a) => (a.ok ? a.capacity === 5 : a.error?.code === 'room-full')),
          `round ${round}: ${JSON.stringify(answers)}`,
        );
        const admitted = [...seated, ...racers.filter((_, i) => answers[i]!.ok)].map((c) => c.id!).sort();
        assert.deepEqual(await cluster.membersInRedis(room), admitted, `round ${round}: Redis holds exactly the five admitted`);
        assert.equal(await redis.hGet(`vc:room-info:${room}`, 'capacity'), '5');
      } finally {
        for (const c of clients) c.close();
      }
    }
    report('rooms of five', ROUNDS_OF_FIVE, tally, joinMs, started);
  });
});
