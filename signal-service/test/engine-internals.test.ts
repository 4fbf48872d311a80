/**
 * The engine.io internals the service reaches (engine-internals.ts) still have the shape it
 * expects, on real connections of the installed engine.io: a WebSocket one, a long-polling one
 * and one that upgraded from long-polling. An engine.io release that renames or reshapes any of
 * them fails here.
 */
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Socket as EngineSocket } from 'engine.io';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import {
  clearWriteBuffer,
  connectionId,
  detachHttpServer,
  forgetHandshakeRequest,
  handshakeRequest,
  openConnections,
  transportName,
  transportWebSocket,
} from '../src/engine-internals.js';

describe('engine.io internals', () => {
  let http: HttpServer;
  let io: Server;
  let url = '';
  const clients: ClientSocket[] = [];
  before(async () => {
    http = createServer();
    io = new Server(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const c of clients) c.close();
    await io.close();
  });

  /** A client with `transports`; resolves with the server side's engine.io connection once connected (and upgraded, if asked). */
  async function serverSideOf(transports: ('websocket' | 'polling')[], upgraded = false): Promise<EngineSocket> {
    const connected = new Promise<EngineSocket>((resolve) => io.once('connection', (socket) => resolve(socket.conn)));
    const client = connect(url, { transports, forceNew: true, reconnection: false });
    clients.push(client);
    const conn = await connected;
    if (upgraded && transportName(conn) !== 'websocket') await new Promise((resolve) => conn.once('upgrade', resolve));
    return conn;
  }

  it("a WebSocket connection: its id, its transport's ws socket (bufferedAmount, terminate, listeners), its write buffer, its request", async () => {
    const conn = await serverSideOf(['websocket']);
    assert.match(connectionId(conn), /^[A-Za-z0-9_-]{20}$/, 'a socket.io 4 connection id');
    assert.equal(transportName(conn), 'websocket');
    const ws = transportWebSocket(conn);
    assert.ok(ws, 'a ws socket under the transport');
    assert.equal(typeof ws.bufferedAmount, 'number');
    assert.equal(typeof ws.terminate, 'function');
    // A WebSocket handshake keeps engine.io's onUpgradeError listener (dropHandshake removes it).
    assert.ok(
      ws.listeners('error').some((listener) => listener.name === 'onUpgradeError'),
      'the upgrade error listener, by its name',
    );
    assert.ok(Array.isArray((conn as unknown as { writeBuffer: unknown }).writeBuffer), 'writeBuffer is an array');
    clearWriteBuffer(conn);
    assert.deepEqual((conn as unknown as { writeBuffer: unknown[] }).writeBuffer, []);
    const request = handshakeRequest(conn);
    assert.ok(
      request && typeof request.headers === 'object' && Array.isArray(request.rawHeaders),
      'the handshake request, with its headers',
    );
    forgetHandshakeRequest(conn);
    assert.equal(handshakeRequest(conn), undefined);
    assert.ok(openConnections(io.engine).includes(conn), 'listed among the open connections');
  });

  it('a long-polling connection has no ws socket, and is listed too', async () => {
    const conn = await serverSideOf(['polling']);
    assert.equal(transportName(conn), 'polling');
    assert.equal(transportWebSocket(conn), undefined);
    assert.ok(openConnections(io.engine).includes(conn));
  });

  it('a connection upgraded from long-polling has a ws socket, and no upgrade error listener left (engine.io removes it)', async () => {
    const conn = await serverSideOf(['polling', 'websocket'], true);
    assert.equal(transportName(conn), 'websocket');
    const names = transportWebSocket(conn)!
      .listeners('error')
      .map((listener) => listener.name);
    assert.ok(!names.includes('onUpgradeError'), `error listeners: ${names.join(', ')}`);
  });

  it('socket.io keeps the HTTP server it is attached to; detached, its close() leaves that server open', async () => {
    const host = createServer();
    const own = new Server(host);
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    try {
      assert.equal((own as unknown as { httpServer?: unknown }).httpServer, host, 'socket.io keeps it as httpServer');
      detachHttpServer(own);
      assert.equal((own as unknown as { httpServer?: unknown }).httpServer, undefined);
      await own.close();
      assert.equal(host.listening, true, 'the host server still listens after io.close()');
    } finally {
      await new Promise<void>((resolve) => host.close(() => resolve()));
    }
  });

  it("attached, socket.io's close() closes the HTTP server too (what detaching prevents)", async () => {
    const host = createServer();
    const own = new Server(host);
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    await own.close();
    assert.equal(host.listening, false);
  });
});
