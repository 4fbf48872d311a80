/**
 * The fuzz test's throwaway connections (fuzz.test.ts): messages over the size limit, and raw
 * malformed socket.io and engine.io packets (type digits, ack ids, placeholders of binary
 * attachments, deep nesting, prototype keys), each on a connection of its own.
 */
import assert from 'node:assert/strict';
import type { Answers } from './fuzz-answers.js';
import { LEGIT_ROOM } from './fuzz-generator.js';
import { disconnected, rawEmit, type TestContext } from './helpers.js';

/**
 * Sends, each on a new connection of `ctx` to the service at `url`, three messages over the 64 KiB
 * limit (the connection must close: `transport close`) and raw malformed socket.io and engine.io
 * packets (the service either closes the connection or goes on serving it; the ones with an ack
 * id must be answered `invalid-payload`, checked by `answers`). `peerId`: a member to address.
 * Returns each raw packet's outcome (`served`, or `closed (reason)`), keyed by its start.
 */
export async function throwaways(ctx: TestContext, url: string, peerId: string, answers: Answers): Promise<Record<string, string>> {
  const oversized: unknown[][] = [
    ['signal:relay', { to: peerId, signal: { kind: 'description', description: { type: 'offer', sdp: 'a'.repeat(70 * 1024) } } }],
    ['room:join', { room: 'fuzz-0', name: 'n'.repeat(100 * 1024) }],
    ['room:join', { room: LEGIT_ROOM, ticket: 't'.repeat(1024 * 1024) }],
  ];
  for (const [event, payload] of oversized) {
    const socket = await ctx.client(url);
    const gone = disconnected(socket, 3000);
    rawEmit(socket, event as string, payload);
    assert.equal(await gone, 'transport close', `${String(event)} over 64 KiB`);
  }
  // socket.io packets as the engine carries them (type digit, optional ack id, JSON), and raw
  // engine.io frames; the ones with ack ids 999001… are answered through the raw packet stream.
  const rawPackets: [kind: 'socket.io' | 'engine.io', text: string][] = [
    ['socket.io', '2['],
    ['socket.io', '{'],
    ['socket.io', '2["disconnect"]'],
    ['socket.io', '2["connect"]'],
    ['socket.io', '2["newListener","room:join"]'],
    ['socket.io', '2[1,2]'],
    ['socket.io', '2{}'],
    ['socket.io', '2"room:join"'],
    ['socket.io', '51-["room:join",{"_placeholder":true,"num":0}]'],
    ['socket.io', '52-["room:join",{"_placeholder":true,"num":7}]'],
    ['socket.io', '0/admin,{}'],
    ['socket.io', '3999["forged ack"]'],
    ['socket.io', '9'],
    ['socket.io', `2999001["room:join",${'['.repeat(20_000)}${']'.repeat(20_000)}]`],
    ['socket.io', `2999002["signal:relay",${'{"signal":'.repeat(5000)}null${'}'.repeat(5000)}]`],
    ['socket.io', `2999003["room:join",${JSON.stringify(JSON.parse('{"room":"fuzz-0","__proto__":{"polluted":"yes"}}'))}]`],
    ['socket.io', `2999004["room:join",${JSON.stringify(JSON.parse('{"room":"fuzz-0","constructor":{"prototype":{"polluted":"yes"}}}'))}]`],
    ['engine.io', '9'],
    ['engine.io', ''],
    ['engine.io', '4'],
    ['engine.io', '6'],
    ['engine.io', 'x'.repeat(1000)],
  ];
  const outcomes: Record<string, string> = {};
  for (const [kind, packet] of rawPackets) {
    const socket = await ctx.client(url);
    const rawAnswers: string[] = [];
    socket.io.engine.on('packet', (p: { type: string; data?: unknown }) => {
      if (p.type === 'message' && typeof p.data === 'string' && p.data.startsWith('3999')) rawAnswers.push(p.data);
    });
    const gone = disconnected(socket, 5000).then((reason) => `closed (${reason})`);
    if (kind === 'socket.io') socket.io.engine.write(packet);
    else (socket.io.engine.transport as unknown as { ws: { send(data: string): void } }).ws.send(packet);
    // Either the service closes the connection (a packet it cannot parse), or it goes on
    // serving it: one more request on the same connection is answered.
    // (socket.timeout() fails the request at once when the connection closes.)
    const served = socket
      .timeout(5000)
      .emitWithAck('ice:servers')
      .then(
        () => 'served',
        () => gone,
      );
    const outcome = await Promise.race([gone, served]);
    outcomes[`${kind} ${packet.slice(0, 24)}`] = outcome;
    if (packet.startsWith('2999')) {
      assert.equal(outcome, 'served', `connection after ${packet.slice(0, 30)}`);
      assert.equal(rawAnswers.length, 1, `one answer to ${packet.slice(0, 30)}`);
      const answer = (JSON.parse(rawAnswers[0]!.replace(/^3\d+/, '')) as unknown[])[0];
      answers.check(`raw ${packet.slice(0, 20)}`, answer);
      assert.equal((answer as { error?: { code?: string } }).error?.code, 'invalid-payload', packet.slice(0, 30));
    }
    socket.disconnect();
  }
  return outcomes;
}
