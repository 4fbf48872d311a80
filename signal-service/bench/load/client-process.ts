/**
 * One client process of the load benchmark (load-bench.ts forks several): raw socket.io clients
 * (test/raw-client.ts) over WebSocket, driven by IPC commands, so that the clients never share
 * the service's event loop or CPU accounting. Every command answers one message.
 *
 * Commands: `idle` (open idle sockets), `pairs` (open sockets joined two a room), `relay` (paced
 * candidate relays between pair members, one-way latency from a timestamp in the call id),
 * `probe` (new connections + joins at a fixed rate, outcomes counted), `close-idle`, `close`.
 */
import { performance } from 'node:perf_hooks';
import { HandshakeRefused, RawClient } from '../../test/raw-client.js';

export type Command =
  | { op: 'idle'; port: number; count: number; concurrency: number }
  | { op: 'pairs'; port: number; pairs: number; prefix: string }
  | { op: 'relay'; rate: number; seconds: number; warmUpSeconds: number }
  | { op: 'probe'; port: number; rate: number; seconds: number }
  | { op: 'close-idle' }
  | { op: 'close' };

export interface IdleResult {
  opened: number;
  /** Handshakes refused, by HTTP status or error message. */
  refused: Record<string, number>;
  pingInterval: number;
}
export interface RelayResult {
  sent: number;
  delivered: number;
  /** One-way latencies (ms) of deliveries after the warm-up, sorted. Sampled to at most 20,000. */
  latencies: number[];
  /** Pair sockets closed during the run (by the service or a ping timeout). */
  dropped: number;
  /** Relays answered with an error (none are sent with an ack; always 0 unless refused events arrive). */
  seconds: number;
}
export interface ProbeResult {
  outcomes: Record<string, number>;
  joinMs: number[];
}

const LOCAL = process.env.BENCH_LOCAL_ADDRESS ?? '127.0.0.1';
const CANDIDATE =
  '","candidate":{"candidate":"candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag sXsv network-cost 999","sdpMid":"0","sdpMLineIndex":0,"usernameFragment":"sXsv"}}}]';

const idle: RawClient[] = [];
const pairMembers: RawClient[] = [];
let delivered = 0;
let latencies: number[] = [];
let measuring = false;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function openOne(port: number, refused: Record<string, number>): Promise<RawClient | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await RawClient.connect(port, { localAddress: LOCAL, timeoutMs: 15_000 });
    } catch (error) {
      const key = error instanceof HandshakeRefused ? `http-${error.status}` : String((error as Error).message).slice(0, 40);
      refused[key] = (refused[key] ?? 0) + 1;
      await sleep(200 + Math.random() * 800);
    }
  }
  return undefined;
}

async function openIdle(port: number, count: number, concurrency: number): Promise<IdleResult> {
  const refused: Record<string, number> = {};
  let next = 0;
  let pingInterval = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const client = await openOne(port, refused);
      if (client) {
        client.parseEvents = false;
        pingInterval = client.open.pingInterval;
        idle.push(client);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { opened: idle.length, refused, pingInterval };
}

async function openPairs(port: number, pairs: number, prefix: string): Promise<{ opened: number }> {
  for (let i = 0; i < pairs; i++) {
    const refused: Record<string, number> = {};
    const a = await openOne(port, refused);
    const b = await openOne(port, refused);
    if (!a || !b) throw new Error(`could not open pair ${i}: ${JSON.stringify(refused)}`);
    for (const client of [a, b]) {
      const answer = (await client.request('room:join', { room: `${prefix}-${process.pid}-${i}` })) as { ok: boolean };
      if (!answer.ok) throw new Error(`join refused: ${JSON.stringify(answer)}`);
      client.parseEvents = false;
      client.onPacket = onRelay;
      pairMembers.push(client);
    }
  }
  return { opened: pairMembers.length };
}

/** Receives a relayed candidate: the call id is `t` + the send time in µs (same clock: same process). */
function onRelay(packet: string): void {
  const at = packet.indexOf('"call":"t');
  if (at < 0) return;
  delivered++;
  if (!measuring) return;
  const sentUs = Number(packet.slice(at + 9, at + 9 + 13));
  latencies.push(performance.now() - sentUs / 1000);
}

async function relay(rate: number, seconds: number, warmUpSeconds: number): Promise<RelayResult> {
  const senders = pairMembers.map((client, index) => ({
    client,
    prefix: `42["signal:relay",{"to":"${pairMembers[index ^ 1]!.id}","signal":{"kind":"candidate","call":"t`,
  }));
  const droppedBefore = pairMembers.filter((client) => !client.connected).length;
  delivered = 0;
  latencies = [];
  measuring = false;
  let sent = 0;
  let turn = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = (performance.now() - start) / 1000;
      if (elapsed >= seconds) {
        clearInterval(timer);
        return resolve();
      }
      measuring = elapsed >= warmUpSeconds;
      const due = Math.floor(elapsed * rate) - sent;
      for (let i = 0; i < due; i++) {
        const sender = senders[turn++ % senders.length]!;
        const stamp = String(Math.round(performance.now() * 1000)).padStart(13, '0');
        sender.client.sendPacket(`${sender.prefix}${stamp}${CANDIDATE}`);
        sent++;
      }
    }, 5);
  });
  // Deliveries still in flight count, up to 3 s more.
  const drainUntil = performance.now() + 3000;
  while (delivered < sent && performance.now() < drainUntil) await sleep(20);
  measuring = false;
  const sample = latencies.length > 20_000 ? latencies.filter((_, i) => i % Math.ceil(latencies.length / 20_000) === 0) : latencies;
  const dropped = pairMembers.filter((client) => !client.connected).length - droppedBefore;
  return { sent, delivered, latencies: sample.sort((a, b) => a - b), dropped, seconds };
}

async function probe(port: number, rate: number, seconds: number): Promise<ProbeResult> {
  const outcomes: Record<string, number> = {};
  const joinMs: number[] = [];
  const count = (key: string) => (outcomes[key] = (outcomes[key] ?? 0) + 1);
  const attempts: Promise<void>[] = [];
  const attempt = async (n: number) => {
    const start = performance.now();
    let client: RawClient | undefined;
    try {
      client = await RawClient.connect(port, { localAddress: LOCAL, timeoutMs: 10_000 });
      const answer = (await Promise.race([
        client.request('room:join', { room: `probe-${process.pid}-${n}` }),
        sleep(5000).then(() => ({ ok: false, error: { code: 'timeout' } })),
      ])) as { ok: boolean; error?: { code: string } };
      if (answer.ok) {
        count('joined');
        joinMs.push(performance.now() - start);
      } else {
        count(`join refused: ${answer.error?.code}`);
      }
    } catch (error) {
      const within = performance.now() - start < 1000 ? 'within 1 s' : 'after 1 s';
      count(
        error instanceof HandshakeRefused
          ? `refused ${error.status} ${(JSON.parse(error.body || '{}') as { error?: { code?: string } }).error?.code ?? ''} ${within}`
          : 'no answer in 10 s',
      );
    } finally {
      client?.destroy();
    }
  };
  for (let n = 0; n < rate * seconds; n++) {
    attempts.push(attempt(n));
    await sleep(1000 / rate);
  }
  await Promise.all(attempts);
  return { outcomes, joinMs: joinMs.sort((a, b) => a - b) };
}

function closeAll(clients: RawClient[]): void {
  for (const client of clients.splice(0)) client.destroy();
}

async function handle(command: Command): Promise<unknown> {
  switch (command.op) {
    case 'idle':
      return openIdle(command.port, command.count, command.concurrency);
    case 'pairs':
      return openPairs(command.port, command.pairs, command.prefix);
    case 'relay':
      return relay(command.rate, command.seconds, command.warmUpSeconds);
    case 'probe':
      return probe(command.port, command.rate, command.seconds);
    case 'close-idle': {
      const dropped = idle.filter((client) => !client.connected).length;
      closeAll(idle);
      return { dropped };
    }
    case 'close':
      closeAll(idle);
      closeAll(pairMembers);
      setTimeout(() => process.exit(0), 100);
      return null;
  }
}

process.on('message', (message: { id: number; command: Command }) => {
  handle(message.command).then(
    (result) => process.send?.({ id: message.id, result }),
    (error: unknown) => process.send?.({ id: message.id, error: String((error as Error)?.message ?? error) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });
