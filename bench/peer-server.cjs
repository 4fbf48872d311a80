/**
 * peerjs-server (npm `peer`) for bench:call's PeerJS column, run as a child process by
 * bench/peer-server.ts: `node bench/peer-server.cjs`. Listens on 127.0.0.1, port 0 (the system
 * picks a free one), key `peerjs`, path `/`, and prints one line `{"port":N}` once it listens.
 * Ends on SIGTERM or SIGINT.
 *
 * Started through its CommonJS entry with `createWebSocketServer`: the package's own CLI and ESM
 * build import `{ WebSocketServer }` from `ws` by name, which the ws 7 this repository resolves
 * (for @web/dev-server) does not export; ws 7's `Server` is the same class.
 */
'use strict';
const { PeerServer } = require('peer');
const ws = require('ws');

const WebSocketServer = ws.WebSocketServer ?? ws.Server;
PeerServer(
  {
    host: '127.0.0.1',
    port: 0,
    path: '/',
    key: 'peerjs',
    createWebSocketServer: (options) => new WebSocketServer(options),
  },
  (server) => {
    process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
    const stop = () => server.close(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  },
);
